"""Write one lake inside its publish transaction: each table as create, diff or replace; entity history; marts."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import duckdb

from schemas.model import Table, comment_sql, create_table_sql
from warehouse import changes
from warehouse.analyst import PSEUDONYM_SUFFIX, analyst_columns, quote
from warehouse.catalog import relation_columns, table_columns
from warehouse.marts import MARTS, Mart

log = logging.getLogger(__name__)

Mode = Literal["create", "recreate", "diff", "replace"]
RESTRICTED = "restricted"


@dataclass(frozen=True)
class LakeWrite:
    """One lake to write: its alias, where its version of each table is staged, and the declarations."""

    alias: str
    source: Callable[[str], str]
    decls: Mapping[str, Table]
    full_values: bool

    def staged(self, name: str) -> str:
        return f"memory.main.{self.source(name)}"

    def target(self, name: str, schema: str = "main") -> str:
        return f"{self.alias}.{schema}.{quote(name)}"


# A diff touching at least this share of the published rows is applied by emptying the table and inserting every
# row: DuckLake drops whole files for an unfiltered DELETE, while a keyed DELETE scans and joins the table.
REWRITE_SHARE = 0.5


@dataclass(frozen=True)
class TablePlan:
    """How one table is written; ``rewrite``: a diff applied as delete-all + insert-all (most rows changed)."""

    name: str
    mode: Mode
    diff: str | None
    counts: dict[str, int]
    rewrite: bool = False


def _bound(sql: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The named parameters ``sql`` uses: DuckDB refuses extra ones."""
    return {k: v for k, v in params.items() if f"${k}" in sql}


def _run(cur: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> None:
    """Execute one statement; at debug level, log its first line and duration (never its data)."""
    started = time.perf_counter()
    cur.execute(sql, _bound(sql, params or {}))
    log.debug("%.2fs %s", time.perf_counter() - started, sql.strip().splitlines()[0][:120])


def _plan_table(
    con: duckdb.DuckDBPyConnection, w: LakeWrite, decl: Table, scope: str | None, params: Mapping[str, Any]
) -> TablePlan:
    existing = table_columns(con, w.alias, "main", decl.name)
    if not existing:
        return TablePlan(decl.name, "create", None, {})
    columns = relation_columns(con, w.staged(decl.name))
    if existing != columns:
        log.info("table %s changed shape in %s: recreating it", decl.name, w.alias)
        return TablePlan(decl.name, "recreate", None, {})
    if not decl.primary_key:
        return TablePlan(decl.name, "replace", None, {})
    diff = f"memory.main.{quote(f'_diff_{w.alias}_{decl.name}')}"
    untracked = {f.name for f in decl.fields if not f.tracked}
    names = [c for c, _ in columns if c not in untracked]
    new, old = w.staged(decl.name), w.target(decl.name)
    if scope is not None:  # only these rows can differ: compare them alone
        new, old = f"(SELECT * FROM {new} WHERE {scope})", f"(SELECT * FROM {old} WHERE {scope})"
    _run(con, changes.diff_sql(diff, new, old, decl.primary_key, names), params)
    counts = {
        str(k): int(v)
        for k, v in con.execute(f"SELECT change, count(*) FROM {diff} GROUP BY change").fetchall()
    }
    # A log's new rows are this run's only: never applied as a rewrite of the whole table.
    rewrite = not decl.log and _mostly_changed(con, w.target(decl.name), counts)
    return TablePlan(decl.name, "diff", diff, counts, rewrite)


def _mostly_changed(con: duckdb.DuckDBPyConnection, target: str, counts: Mapping[str, int]) -> bool:
    removed = counts.get("changed", 0) + counts.get("gone", 0)
    if not removed:
        return False
    row = con.execute(f"SELECT count(*) FROM {target}").fetchone()
    return removed >= REWRITE_SHARE * (int(row[0]) if row else 0)


def plan_lake(
    con: duckdb.DuckDBPyConnection,
    w: LakeWrite,
    known: Mapping[str, TablePlan] | None = None,
    scopes: Mapping[str, str] | None = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, TablePlan]:
    """Decide how each table is written, computing the diffs (read-only on the lake); ``known`` plans are kept.

    ``scopes``: per table, a condition outside of which its new rows equal the lake's (only the rows inside it are
    compared); a log table is always compared on this run's rows only, so earlier runs' rows stay.
    """
    known, scopes = known or {}, scopes or {}
    plans = {}
    for name, decl in w.decls.items():
        scope = "run_id = $run_id" if decl.log else scopes.get(name)
        plans[name] = known[name] if name in known else _plan_table(con, w, decl, scope, params or {})
    return plans


def _create(cur: duckdb.DuckDBPyConnection, w: LakeWrite, decl: Table) -> None:
    target = w.target(decl.name)
    if w.full_values:  # the declared DDL: DuckLake enforces NOT NULL on required columns
        _run(cur, create_table_sql(decl, target, primary_key=False))
        _run(cur, f"INSERT INTO {target} BY NAME SELECT * FROM {w.staged(decl.name)}")
    else:
        _run(cur, f"CREATE TABLE {target} AS SELECT * FROM {w.staged(decl.name)}")
    # The grain and each column's meaning, for analysts browsing duckdb_columns() or a SQL client.
    for statement in comment_sql(decl, target):
        _run(cur, statement)
    if not w.full_values:
        for column in analyst_columns(decl):
            if column.endswith(PSEUDONYM_SUFFIX):
                source = column.removesuffix(PSEUDONYM_SUFFIX)
                text = (
                    f"keyed pseudonym (HMAC-SHA256) of {source}, for joins / {source} 的密钥化假名，用于关联"
                )
                _run(cur, f"COMMENT ON COLUMN {target}.{quote(column)} IS '{text}'")


def _write_table(cur: duckdb.DuckDBPyConnection, w: LakeWrite, decl: Table, plan: TablePlan) -> None:
    target, staged = w.target(decl.name), w.staged(decl.name)
    if plan.mode == "recreate":
        _run(cur, f"DROP TABLE {target}")
    if plan.mode in ("create", "recreate"):
        _create(cur, w, decl)
    elif plan.mode == "replace" or (plan.rewrite and plan.counts):
        _run(cur, f"DELETE FROM {target}")
        _run(cur, f"INSERT INTO {target} BY NAME SELECT * FROM {staged}")
    elif plan.diff is not None and plan.counts:
        _run(cur, changes.delete_changed_sql(target, plan.diff, decl.primary_key))
        _run(cur, changes.insert_changed_sql(target, staged, plan.diff, decl.primary_key))


def _write_history(
    cur: duckdb.DuckDBPyConnection, w: LakeWrite, decl: Table, plan: TablePlan, params: Mapping[str, Any]
) -> None:
    history_name = decl.name + changes.HISTORY_SUFFIX
    history, staged = w.target(history_name), w.staged(decl.name)
    existing = {c for c, _ in table_columns(cur, w.alias, "main", history_name)}
    if not existing:
        _run(cur, changes.create_history_sql(history, staged), params)
        return
    missing = [(c, t) for c, t in relation_columns(cur, staged) if c not in existing]
    for statement in changes.add_columns_sql(history, missing):
        _run(cur, statement)
    if plan.mode == "diff" and not plan.counts:
        return
    diff = plan.diff if plan.mode == "diff" else None
    _run(cur, changes.close_versions_sql(history, diff, decl.primary_key), params)
    _run(cur, changes.open_versions_sql(history, staged, diff, decl.primary_key), params)


def _mart_ref(cur: duckdb.DuckDBPyConnection, w: LakeWrite, mart: Mart) -> Callable[[str], str] | None:
    """Where a mart reads each table it needs, or None when one has never been published."""
    refs: dict[str, str] = {}
    for name in mart.needs:
        if mart.full_values and name in w.decls:
            refs[name] = f"memory.main.{quote('_in_' + name)}"
        elif mart.full_values and table_columns(cur, RESTRICTED, "main", name):
            refs[name] = f"{RESTRICTED}.main.{quote(name)}"
        elif not mart.full_values and (name in w.decls or table_columns(cur, w.alias, "main", name)):
            refs[name] = w.target(name)  # read-your-writes: this publish's version
        else:
            return None
    return refs.__getitem__


def write_marts(cur: duckdb.DuckDBPyConnection, w: LakeWrite) -> tuple[str, ...]:
    """Materialize every mart whose tables exist, in this lake's ``marts`` schema."""
    _run(cur, f"CREATE SCHEMA IF NOT EXISTS {w.alias}.marts")
    written = []
    for mart in MARTS:
        ref = _mart_ref(cur, w, mart)
        if ref is None:
            log.info("mart %s skipped: not all of %s are published yet", mart.name, ", ".join(mart.needs))
            continue
        _run(cur, f"CREATE OR REPLACE TABLE {w.target(mart.name, 'marts')} AS {mart.build(ref)}")
        written.append(mart.name)
    return tuple(written)


def write_lake(
    cur: duckdb.DuckDBPyConnection, w: LakeWrite, plans: Mapping[str, TablePlan], params: Mapping[str, Any]
) -> tuple[dict[str, dict[str, int]], tuple[str, ...]]:
    """Every table, the entity histories, then the marts; returns the changes per keyed table and the marts."""
    for name, decl in w.decls.items():
        _write_table(cur, w, decl, plans[name])
        if decl.kind == "entity":
            _write_history(cur, w, decl, plans[name], params)
    marts = write_marts(cur, w)
    return {name: plan.counts for name, plan in plans.items() if plan.mode == "diff"}, marts
