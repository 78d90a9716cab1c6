"""The sync stage: extract every declared legacy system into the landing zone, incrementally.

``sync`` returns one summary per table or file; a failed source yields a ``failed`` line and the others still
sync. ``raise_for_failures`` turns failed lines into the error a scheduler should see (retry or not).
"""

from __future__ import annotations

from collections.abc import Sequence

from extractors.run import sync as _sync
from extractors.summary import SyncSummary
from grassroots.config import Settings
from grassroots.errors import FatalError, TransientError

__all__ = ["SyncSummary", "raise_for_failures", "sync"]


def sync(
    settings: Settings, sources: Sequence[str] | None = None, *, accept_drift: Sequence[str] = ()
) -> list[SyncSummary]:
    """Sync the named sources (default: every declared one); ``accept_drift`` lists ``source.table`` names whose
    schema change is accepted for this run."""
    return _sync(settings, sources, accept_drift=accept_drift)


def raise_for_failures(summaries: Sequence[SyncSummary]) -> None:
    """Raise FatalError if any source failed fatally, else TransientError if any failed transiently."""
    failed = [s for s in summaries if s.status == "failed"]
    if not failed:
        return
    text = "; ".join(f"{s.source}: {s.message}" for s in failed)
    if any(s.error == "fatal" for s in failed):
        raise FatalError(f"sync failed for {len(failed)} source(s): {text}")
    raise TransientError(f"sync failed for {len(failed)} source(s): {text}")
