"""The publish stage: the build's canonical tables into the warehouse in one snapshot, then retention.

The build calls :func:`publish` with every table it produced; the DAG calls it as one task. A failed publish raises
and leaves the last published snapshot as it was; retention runs only after a successful one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

from grassroots.config import Settings
from schemas.model import Table
from warehouse import PublishResult, RetentionResult, retain
from warehouse import publish as _publish
from warehouse.inputs import TableInput

__all__ = ["PublishSummary", "publish"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PublishSummary:
    """The published snapshot and what maintenance did afterwards (empty when it was skipped or failed)."""

    result: PublishResult
    retention: tuple[RetentionResult, ...]


def publish(
    settings: Settings,
    tables: Mapping[str, TableInput],
    run_id: str,
    *,
    declarations: Mapping[str, Table] | None = None,
    maintain: bool = True,
    scopes: Mapping[str, str] | None = None,
    base_run: str | None = None,
) -> PublishSummary:
    """Publish ``tables`` (canonical name -> database table, relation, SQL, Arrow, DataFrame or Parquet path) as run
    ``run_id``; ``scopes`` and ``base_run`` as warehouse.publish takes them.

    Tables outside schemas.TABLES need their ``declarations``.
    """
    # Errors arrive typed and masked: TransientError for I/O (a locked catalog, a full disk), else FatalError.
    result = _publish(settings, tables, run_id, declarations=declarations, scopes=scopes, base_run=base_run)
    retention: tuple[RetentionResult, ...] = ()
    if maintain:
        try:
            retention = tuple(retain(settings))
        except duckdb.Error as exc:
            # The snapshot is published; maintenance is retried by the next run.
            log.warning(
                "retention after run %s failed (%s); the next run retries it", run_id, type(exc).__name__
            )
    return PublishSummary(result, retention)
