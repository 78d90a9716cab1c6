"""The analyst lake's input: the analyst projection of each staged table, of the changed rows only when it can be.

When both lakes were last written by the same run, the analyst lake holds the projection of exactly the rows the
restricted lake holds; a table the restricted lake applies as a diff is then applied to the analyst lake with the same
diff, and only its new and changed rows are projected (keyed HMACs and address cuts cost the most in a publish).
Otherwise (first publish, a changed shape, lakes out of step) every row is projected and diffed on its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

import duckdb

from schemas.model import Table
from warehouse.analyst import analyst_columns, analyst_select_sql, hmac_pads, quote
from warehouse.catalog import table_columns
from warehouse.changes import HISTORY_SUFFIX, in_diff_sql
from warehouse.inputs import staged_name
from warehouse.write import TablePlan

log = logging.getLogger(__name__)


def analyst_name(table: str) -> str:
    """The in-memory table holding the analyst projection of ``table``."""
    return quote("_an_" + table)


def last_run(con: duckdb.DuckDBPyConnection, alias: str) -> str | None:
    """The run id of the last publish committed to a lake (maintenance snapshots carry none)."""
    row = con.execute(
        f"SELECT json_extract_string(commit_extra_info, '$.run_id') FROM {alias}.snapshots() "
        "WHERE commit_extra_info IS NOT NULL ORDER BY snapshot_id DESC LIMIT 1"
    ).fetchone()
    return str(row[0]) if row and row[0] is not None else None


def _project(con: duckdb.DuckDBPyConnection, decl: Table, key: bytes, diff: str | None) -> None:
    source = f"memory.main.{staged_name(decl.name)}"
    if diff is not None:
        where = in_diff_sql(diff, decl.primary_key, "n", ("new", "changed"))
        source = f"(SELECT * FROM {source} AS n WHERE {where})"
    sql = f"CREATE OR REPLACE TABLE memory.main.{analyst_name(decl.name)} AS " + analyst_select_sql(
        decl, source
    )
    con.execute(sql, hmac_pads(key) if "$ipad" in sql else None)


def project_analyst(
    con: duckdb.DuckDBPyConnection,
    decls: Mapping[str, Table],
    key: bytes,
    restricted_plans: Mapping[str, TablePlan],
    analyst_alias: str,
    in_step: bool,
) -> dict[str, TablePlan]:
    """Project every staged table for analysts; returns the plans of the tables that reuse the restricted diff."""
    reused = {}
    for name, decl in decls.items():
        started = time.perf_counter()
        plan = restricted_plans[name]
        current = [c for c, _ in table_columns(con, analyst_alias, "main", name)]
        # An entity's history must exist too: it is extended from the projected rows, never rebuilt from them.
        history = decl.kind != "entity" or bool(
            table_columns(con, analyst_alias, "main", name + HISTORY_SUFFIX)
        )
        incremental = in_step and plan.mode == "diff" and current == analyst_columns(decl) and history
        # A rewritten table is inserted whole, so all its rows are projected; its diff still drives the history.
        _project(con, decl, key, plan.diff if incremental and not plan.rewrite else None)
        if incremental:
            reused[name] = plan
        log.debug(
            "%s: analyst projection (%s) %.2fs",
            name,
            "changed rows" if incremental and not plan.rewrite else "all rows",
            time.perf_counter() - started,
        )
    return reused
