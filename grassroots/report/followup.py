"""Follow-up of earlier worklists: each item is new, still open, fixed, or not re-checked since it was reported.

Items are kept per report run in ``<home>/reports/<run>/worklist_items.parquet`` and compared by
(source, table, record key, rule). An old item counts as fixed only if the current runs checked its source again.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from grassroots.report.worklist import ITEM_COLUMNS, ITEM_KEY

log = logging.getLogger(__name__)

ITEMS_FILE = "worklist_items.parquet"
STATUS_LABELS = {
    "new": "新增 new",
    "open": "未整改 open",
    "fixed": "已整改 fixed",
    "unchecked": "未复核 unchecked",
}


def previous_items(reports: Path, run_id: str) -> Path | None:
    """The items file of the latest report run before ``run_id`` (run ids sort by time)."""
    earlier = sorted(p for p in reports.glob(f"*/{ITEMS_FILE}") if p.parent.name < run_id)
    return earlier[-1] if earlier else None


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def followed_sql(now: str, previous: str | None, run_id: str, checked: set[str]) -> str:
    """Current items with their status and first report, plus earlier open items now fixed or not re-checked."""
    cols = ", ".join(f"n.{c}" for c in ITEM_COLUMNS)
    if previous is None:
        return f"SELECT {cols}, 'new' AS status, {_literal(run_id)} AS first_reported FROM {now} n"
    on = " AND ".join(f"n.{c} = p.{c}" for c in ITEM_KEY)
    sources = ", ".join(_literal(s) for s in sorted(checked)) or "NULL"
    prev_cols = ", ".join(f"p.{c}" for c in ITEM_COLUMNS)
    return f"""
        WITH p AS (SELECT * FROM {previous} WHERE status <> 'fixed')
        SELECT {cols}, CASE WHEN p.record_key IS NULL THEN 'new' ELSE 'open' END AS status,
               coalesce(p.first_reported, {_literal(run_id)}) AS first_reported
        FROM {now} n LEFT JOIN p ON {on}
        UNION ALL
        SELECT {prev_cols}, CASE WHEN p.source IN ({sources}) THEN 'fixed' ELSE 'unchecked' END, p.first_reported
        FROM p WHERE NOT EXISTS (SELECT 1 FROM {now} n WHERE {on})"""


def follow_up(
    con: duckdb.DuckDBPyConnection, now: str, out_dir: Path, reports: Path, run_id: str, checked: set[str]
) -> str:
    """Create the table ``report_worklist`` (items with status) and persist it for the next report."""
    prev_path = previous_items(reports, run_id)
    previous = None
    if prev_path is not None:
        previous = f"read_parquet('{str(prev_path).replace(chr(39), chr(39) * 2)}')"
        log.info("comparing worklist items with report run %s", prev_path.parent.name)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE report_worklist AS {followed_sql(now, previous, run_id, checked)}"
    )
    target = out_dir / ITEMS_FILE
    tmp = out_dir / (ITEMS_FILE + ".tmp")
    con.execute(f"COPY report_worklist TO '{str(tmp).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
    tmp.rename(target)
    return "report_worklist"


def status_counts_sql(worklist: str) -> str:
    """Per source: items by status (the follow-up table of the report)."""
    counts = ", ".join(f"count(*) FILTER (WHERE status = '{s}') AS {s}" for s in STATUS_LABELS)
    return f"SELECT source, {counts}, count(*) AS total FROM {worklist} GROUP BY source ORDER BY source"
