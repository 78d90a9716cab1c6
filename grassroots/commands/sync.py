"""grassroots sync [SOURCE ...]: extract the legacy systems into the landing zone, incrementally.

Ends with a summary table (or one JSON object per line with --json); exits 1 when a source failed.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from extractors.summary import SyncSummary
    from grassroots.config import Settings

HEADERS = (
    "source",
    "table",
    "file",
    "status",
    "rows",
    "ins",
    "upd",
    "del",
    "quar",
    "watermark",
    "load",
    "drift",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="sources to sync (default: all declared)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per table or file")
    parser.add_argument(
        "--accept-drift",
        action="append",
        default=[],
        metavar="SOURCE.TABLE",
        help="accept the schema change of a frozen table for this run (repeatable)",
    )


def _cells(s: SyncSummary) -> tuple[str, ...]:
    drift = s.drift.get("action", "") if s.drift else ""
    return (
        s.source, s.table, s.file or "", s.status, str(s.rows), str(s.inserts), str(s.updates), str(s.deletes),
        str(s.quarantined), s.watermark or "", s.load_id or "", drift,
    )  # fmt: skip


def render_table(summaries: list[SyncSummary]) -> str:
    """A plain-text table, one line per table or file, then the messages of lines that need attention."""
    rows = [HEADERS, *(_cells(s) for s in summaries)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"{s.source} {s.file or s.table}: {s.message}" for s in summaries if s.message]
    return "\n".join(lines + (["", *notes] if notes else [])) + "\n"


def run(args: argparse.Namespace, settings: Settings) -> int:
    from grassroots.pipeline.sync import sync  # heavy: SQLAlchemy, the source drivers

    summaries = sync(settings, args.sources or None, accept_drift=args.accept_drift)
    if args.json:
        sys.stdout.write("".join(s.to_json() + "\n" for s in summaries))
    else:
        sys.stdout.write(render_table(summaries))
    return 1 if any(s.status == "failed" for s in summaries) else 0
