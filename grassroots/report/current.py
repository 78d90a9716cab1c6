"""The rows a report judges: the latest validation run, each stage's latest verdict per source, the latest findings.

Extraction and build run separately (and per source), so "current" quarantine rows are those of the latest run of
each (stage, source); a record quarantined by an older run and not re-checked since is not counted again.
"""

from __future__ import annotations

import duckdb

from grassroots.report.inputs import view_name

CURRENT_VALIDATION = "report_cur_validation"
CURRENT_QUARANTINE = "report_cur_quarantine"
CURRENT_FINDING = "report_cur_finding"
TABLE_KIND = "report_table_kind"


def current_validation_sql() -> str:
    v = view_name("validation_result")
    return f"""
        SELECT * FROM "{v}"
        WHERE run_id = (SELECT arg_max(run_id, validated_at) FROM "{v}")"""


def current_quarantine_sql() -> str:
    q = view_name("quarantine")
    return f"""
        WITH latest AS (
            SELECT stage, source, arg_max(run_id, occurred_at) AS run_id FROM "{q}" GROUP BY stage, source
        )
        SELECT q.* FROM "{q}" q JOIN latest USING (stage, source, run_id)"""


def current_finding_sql() -> str:
    f = view_name("finding")
    return f"""
        SELECT * FROM "{f}"
        WHERE run_id = (SELECT arg_max(run_id, detected_at) FROM "{f}")"""


def table_kind_sql() -> str:
    """Which entity kind each source table feeds, learnt from entity_source (a table feeding two takes the first)."""
    return f"""
        SELECT source_system AS source, source_table AS table_name, min(entity_kind) AS entity_kind
        FROM "{view_name("entity_source")}" GROUP BY ALL"""


def create(con: duckdb.DuckDBPyConnection) -> None:
    """The current-row views over the bound inputs (see grassroots.report.inputs.bind)."""
    for name, sql in (
        (CURRENT_VALIDATION, current_validation_sql()),
        (CURRENT_QUARANTINE, current_quarantine_sql()),
        (CURRENT_FINDING, current_finding_sql()),
        (TABLE_KIND, table_kind_sql()),
    ):
        con.execute(f'CREATE OR REPLACE TEMP VIEW "{name}" AS {sql}')


def checked_sources(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Source systems whose records the current runs looked at: only their old worklist items can count as fixed."""
    rows = con.execute(f"""
        SELECT source FROM "{CURRENT_VALIDATION}" WHERE source IS NOT NULL
        UNION SELECT source FROM "{CURRENT_QUARANTINE}"
        UNION SELECT source_system FROM "{view_name("entity_source")}"
    """).fetchall()
    return {r[0] for r in rows}
