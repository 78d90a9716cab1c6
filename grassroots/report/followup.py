"""Follow-up of earlier worklists: each item is new, still open, fixed, or not re-checked since it was reported.

Items are kept per report run in ``<home>/reports/<run>/worklist_items.parquet`` and compared by their identity
(source, table, record key, rule, field), unique on both sides, so the comparison can never multiply rows. An old
item counts as fixed only if the current runs checked its source again.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from grassroots.errors import FatalError
from grassroots.report.worklist import ITEM_COLUMNS, ITEM_KEY, identity_duplicates_sql

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


# Columns that items files written before the item identity had a field lack: how to fill them in.
_LEGACY_FILL = {
    "field": "CASE WHEN rule LIKE 'finding:%' THEN split_part(rule, ':', 3) ELSE '' END",
    "records": "CAST(1 AS BIGINT)",
}


def previous_open_sql(previous: str, columns: set[str]) -> str:
    """The earlier report's items not yet fixed, one per identity.

    Files of older versions may lack ``field``/``records`` and may repeat an identity (their keys were made unique
    before masking); keeping the earliest report of each identity heals them instead of feeding duplicates forward.
    """
    cols = ", ".join(c if c in columns else f"{_LEGACY_FILL.get(c, 'NULL')} AS {c}" for c in ITEM_COLUMNS)
    return f"""
        SELECT * FROM (SELECT {cols}, status, first_reported FROM {previous} WHERE status <> 'fixed')
        QUALIFY row_number() OVER (PARTITION BY {", ".join(ITEM_KEY)} ORDER BY first_reported, status) = 1"""


def followed_sql(
    now: str, previous: str | None, run_id: str, checked: set[str], columns: set[str] | None = None
) -> str:
    """Current items with their status and first report, plus earlier open items now fixed or not re-checked.

    ``now`` holds one row per identity (grassroots.report.worklist.unique_items_sql) and so does the previous side,
    so the left join finds at most one match and the anti join only filters: the result has one row per identity.
    ``columns`` are those of ``previous`` (all current ones when not given).
    """
    cols = ", ".join(f"n.{c}" for c in ITEM_COLUMNS)
    if previous is None:
        return f"SELECT {cols}, 'new' AS status, {_literal(run_id)} AS first_reported FROM {now} n"
    p_open = previous_open_sql(previous, set(ITEM_COLUMNS) if columns is None else columns)
    on = " AND ".join(f"n.{c} IS NOT DISTINCT FROM p.{c}" for c in ITEM_KEY)
    sources = ", ".join(_literal(s) for s in sorted(checked)) or "NULL"
    prev_cols = ", ".join(f"p.{c}" for c in ITEM_COLUMNS)
    return f"""
        WITH p AS ({p_open})
        SELECT {cols}, CASE WHEN p.status IS NULL THEN 'new' ELSE 'open' END AS status,
               coalesce(p.first_reported, {_literal(run_id)}) AS first_reported
        FROM {now} n LEFT JOIN p ON {on}
        UNION ALL
        SELECT {prev_cols}, CASE WHEN p.source IN ({sources}) THEN 'fixed' ELSE 'unchecked' END, p.first_reported
        FROM p ANTI JOIN {now} n ON {on}"""


def follow_up(
    con: duckdb.DuckDBPyConnection, now: str, out_dir: Path, reports: Path, run_id: str, checked: set[str]
) -> str:
    """Create the table ``report_worklist`` (items with status) and persist it for the next report."""
    prev_path = previous_items(reports, run_id)
    previous, columns = None, None
    if prev_path is not None:
        previous = f"read_parquet('{str(prev_path).replace(chr(39), chr(39) * 2)}')"
        columns = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {previous}").fetchall()}
        log.info("comparing worklist items with report run %s", prev_path.parent.name)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE report_worklist AS "
        + followed_sql(now, previous, run_id, checked, columns)
    )
    _check_unique(con, "report_worklist")
    target = out_dir / ITEMS_FILE
    tmp = out_dir / (ITEMS_FILE + ".tmp")
    con.execute(f"COPY report_worklist TO '{str(tmp).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
    tmp.rename(target)
    return "report_worklist"


def _check_unique(con: duckdb.DuckDBPyConnection, worklist: str) -> None:
    """Refuse to persist a worklist that repeats an item identity: the next report would multiply it."""
    row = con.execute(identity_duplicates_sql(worklist)).fetchone()
    repeated = row[0] if row else 0
    if repeated:
        raise FatalError(
            f"the worklist repeats {repeated} item identities ({', '.join(ITEM_KEY)}); this is a defect of the "
            "report's item SQL: report it with the report run's log, the previous worklist_items.parquet is intact"
        )


def status_counts_sql(worklist: str) -> str:
    """Per source: items by status (the follow-up table of the report)."""
    counts = ", ".join(f"count(*) FILTER (WHERE status = '{s}') AS {s}" for s in STATUS_LABELS)
    return f"SELECT source, {counts}, count(*) AS total FROM {worklist} GROUP BY source ORDER BY source"
