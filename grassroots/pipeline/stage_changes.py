"""Incremental staging: restage only the records the landing zone changed since the last published build.

The working database starts as a copy of the last published build's staged tables (grassroots.pipeline.stage_state);
the records to restage ("dirty") are then replaced in it, so that the result is what staging everything would give.
A staged row depends on more than its landed row, and each dependency makes records dirty:

- its landed row changed (inserted, updated, deleted: ``extractors.landing.changes_sql`` after the load staged last);
- an enrichment row describing it changed or moved to another record (the old record is found in the kept index of
  which record each enrichment row describes); the enrichment rows of every dirty record are restaged with it;
- the reference date moved and a normalizer depends on it (future dates, ages): each such normalizer is run with
  the old and the new date over the distinct raw values kept in the staged tables; records holding a value whose
  outputs differ are dirty;
- relation rows (stg_<relation>) and standardize warnings belong to their record and follow it; orphan warnings
  (enrichment rows without their record) are recomputed from the index.

Whatever cannot be decided this way raises :class:`Fallback`, and the build stages everything: a table synced for
the first time, a landing zone rewritten, a legacy sex convention (decided from a whole table) that flips, a
reference-date dependency in a mapping whose raw values are not kept.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict

import duckdb

from extractors.landing import changes_sql, current_sql
from extractors.registry import registry
from grassroots.home import Home
from grassroots.pipeline import stage_state
from grassroots.pipeline.stage import (
    WARNINGS,
    StageResult,
    attach_index_table,
    attach_plans,
    count_rows,
    flags_sqls,
    insert_warnings,
    legacy_sex_sql,
    orphans_sql,
    sex_id_fields,
    standardize_plans,
    write_attach_index,
    write_kinds,
    write_quarantine,
    write_relations,
)
from grassroots.pipeline.stage_state import Previous, table_name
from transforms.layered import ident
from transforms.staging import plan, statuses
from transforms.staging.fields import Normalizer
from transforms.staging.plan import TablePlan
from transforms.staging.table_sql import field_normalizers, literal, record_key_sql
from transforms.standardize import prepare, standardize_sql

log = logging.getLogger(__name__)

DIRTY = "_stage_dirty"  # (source, tbl, record_key) of every record to restage
_NEW = "_new_"  # prefix of the restaged tables before they are merged


class Fallback(Exception):
    """The previous stage cannot be built upon; the message says why."""


Table = tuple[str, str]


def _tables(plans: list[TablePlan]) -> dict[Table, list[TablePlan]]:
    out: dict[Table, list[TablePlan]] = defaultdict(list)
    for p in plans:
        out[(p.source, p.table)].append(p)
    return out


def _check_landing(home: Home, prev: Previous, marks: dict[str, str], plans: list[TablePlan]) -> None:
    if set(marks) != set(prev.marks):
        added, gone = sorted(set(marks) - set(prev.marks)), sorted(set(prev.marks) - set(marks))
        raise Fallback(f"tables landed since the last published build: {added}, no longer landed: {gone}")
    for name, mark in prev.marks.items():
        source, table = name.split(".", 1)
        if mark != marks[name] and mark not in stage_state.committed_ids(home, source, table):
            raise Fallback(f"the landing zone of {name} no longer holds load {mark}, staged last")
    for p in plans:
        if not p.is_entity and sex_id_fields(p) is not None:
            raise Fallback(f"{p.name} decides a sex convention but keeps no raw values in its staged table")


def _changed(
    con: duckdb.DuckDBPyConnection, home: Home, tables: dict[Table, list[TablePlan]], prev: Previous,
    marks: dict[str, str],
) -> dict[Table, str]:  # fmt: skip
    """Per table with new loads, a temp table of the latest change of each key changed (deletions included)."""
    out: dict[Table, str] = {}
    for i, ((source, table), ps) in enumerate(tables.items()):
        name = f"{source}.{table}"
        if name not in marks or marks[name] == prev.marks[name]:
            continue
        chg = f"_stage_chg_{i}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {chg} AS SELECT *, {record_key_sql(ps[0].key)} AS __record_key "
            f"FROM ({changes_sql(home.root, source, table, prev.marks[name])})"
        )
        con.execute(
            f"INSERT INTO {DIRTY} SELECT DISTINCT {literal(source)}, {literal(table)}, __record_key FROM {chg}"
        )
        out[(source, table)] = chg
    return out


def _moved_by_date(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], staged: set[str], prev: Previous, as_of: dt.date
) -> None:
    """Records whose staged values depend on the reference date and differ between the old and the new one."""
    if as_of == prev.as_of:
        return
    by_normalizer: dict[str, list[tuple[TablePlan, str]]] = defaultdict(list)
    normalizers: dict[str, Normalizer] = {}
    for p in plans:
        if p.name not in staged:
            continue
        for f, n in field_normalizers(p, prev.legacy.get(p.name, False)).items():
            if n.build(ident("raw"), prev.as_of) == n.build(ident("raw"), as_of):
                continue
            if not p.is_entity:
                raise Fallback(f"{p.name}.{f} depends on the reference date and its raw values are not kept")
            by_normalizer[n.name].append((p, f))
            normalizers[n.name] = n
    for i, (name, fields) in enumerate(by_normalizer.items()):
        n = normalizers[name]
        old, new = n.build(ident("raw"), prev.as_of), n.build(ident("raw"), as_of)
        prepare(con, [old, new])
        # Only values the normalizer says may move are run twice (all of them when it cannot say).
        narrow = n.moved(ident("raw"), prev.as_of, as_of) if n.moved is not None else None
        values = " UNION ".join(
            f"SELECT DISTINCT {ident('raw_' + f)} AS raw FROM {ident('stg_' + p.target)} "
            f"WHERE source_system = {literal(p.source)} AND source_table = {literal(p.table)}"
            for p, f in fields
        )
        if narrow is not None:
            values = f"SELECT raw FROM ({values}) WHERE raw IS NULL OR {narrow}"
        differs = " OR ".join(
            f"{ident(a)} IS DISTINCT FROM {ident(b)}"
            for (_, _, a), (_, _, b) in zip(old.columns("a"), new.columns("b"), strict=True)
        )
        moved = f"_stage_moved_{i}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {moved} AS SELECT raw FROM "
            f"({standardize_sql(f'({values})', {'a': old, 'b': new})}) WHERE {differs}"
        )
        for p, f in fields:
            con.execute(
                f"INSERT INTO {DIRTY} SELECT source_system, source_table, record_key FROM {ident('stg_' + p.target)} k "
                f"WHERE source_system = {literal(p.source)} AND source_table = {literal(p.table)} "
                f"AND EXISTS (SELECT 1 FROM {moved} m WHERE m.raw IS NOT DISTINCT FROM k.{ident('raw_' + f)})"
            )
        row = con.execute(f"SELECT count(*) FROM {moved}").fetchone()
        log.info(
            "reference date %s -> %s: %d %s values stage differently",
            prev.as_of,
            as_of,
            row[0] if row else 0,
            name,
        )


def _enrichments(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], staged: set[str], changed: dict[Table, str]
) -> None:
    """A changed enrichment row makes its record (old and new) dirty; a dirty record's enrichment rows restage too."""
    for p in plans:
        if not p.is_entity or p.name not in staged:
            continue
        for e in plan.enrichments_of(p, plans):
            chg = changed.get((e.source, e.table))
            if e.name not in staged or chg is None or e.mapping.attach is None:
                continue
            index = ident(attach_index_table(e))
            column = ident(e.mapping.attach.column)
            con.execute(
                f"INSERT INTO {DIRTY} SELECT {literal(p.source)}, {literal(p.table)}, attach_key FROM ("
                f"SELECT CAST({column} AS VARCHAR) AS attach_key FROM {chg} WHERE _op <> 'delete' "
                f"UNION SELECT i.attach_key FROM {index} i JOIN {chg} c ON i.record_key = c.__record_key"
                ") WHERE attach_key IS NOT NULL"
            )
    for p in plans:
        if not p.is_entity or p.name not in staged:
            continue
        for e in plan.enrichments_of(p, plans):
            if e.name not in staged:
                continue
            con.execute(
                f"INSERT INTO {DIRTY} SELECT {literal(e.source)}, {literal(e.table)}, i.record_key "
                f"FROM {ident(attach_index_table(e))} i WHERE i.attach_key IN (SELECT record_key FROM {DIRTY} "
                f"WHERE source = {literal(p.source)} AND tbl = {literal(p.table)})"
            )


def _types(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute(f"DESCRIBE {sql}").fetchall() if r[0] != "__record_key"}


def _landed(
    con: duckdb.DuckDBPyConnection, home: Home, tables: dict[Table, list[TablePlan]], changed: dict[Table, str],
    plans: list[TablePlan],
) -> dict[str, str]:  # fmt: skip
    """Plan name -> SQL of the live landed rows of its dirty records (a dirty record's enrichments included)."""
    dirty_tables = {(s, t) for s, t in con.execute(f"SELECT DISTINCT source, tbl FROM {DIRTY}").fetchall()}
    for p in plans:
        if p.is_entity and (p.source, p.table) in dirty_tables:
            dirty_tables |= {(e.source, e.table) for e in plan.enrichments_of(p, plans)}
    out: dict[str, str] = {}
    for (source, table), ps in tables.items():
        if (source, table) not in dirty_tables:
            continue
        mine = f"(SELECT record_key FROM {DIRTY} WHERE source = {literal(source)} AND tbl = {literal(table)})"
        current = current_sql(home.root, source, table)
        chg = changed.get((source, table))
        sql = None
        if chg is not None:
            row = con.execute(
                f"SELECT count(*) FROM {mine} d WHERE d.record_key NOT IN (SELECT __record_key FROM {chg})"
            ).fetchone()
            # The changes alone are the live rows when every dirty record changed and the loads agree on types.
            if (
                row is not None
                and row[0] == 0
                and _types(con, f"SELECT * FROM {chg}") == _types(con, current)
            ):
                sql = f"SELECT * EXCLUDE (__record_key) FROM {chg} WHERE _op <> 'delete'"
        if sql is None:
            sql = f"SELECT * FROM ({current}) AS live WHERE {record_key_sql(ps[0].key)} IN {mine}"
        for p in ps:
            out[p.name] = sql
    return out


def _merge(con: duckdb.DuckDBPyConnection, tables: list[str], new: dict[str, str]) -> None:
    """Replace the dirty records' rows of each staged table by their restaged rows."""
    for table in tables:
        if table in new:
            have = {r[0] for r in con.execute(f"DESCRIBE {ident(table)}").fetchall()}
            extra = {r[0] for r in con.execute(f"DESCRIBE {ident(new[table])}").fetchall()} - have
            if extra:
                raise Fallback(f"restaged {table} has columns the kept one lacks: {sorted(extra)}")
    for table in tables:
        con.execute(
            f"DELETE FROM {ident(table)} USING {DIRTY} d WHERE {ident(table)}.source_system = d.source "
            f"AND {ident(table)}.source_table = d.tbl AND {ident(table)}.record_key = d.record_key"
        )
        if table in new:
            con.execute(f"INSERT INTO {ident(table)} BY NAME SELECT * FROM {ident(new[table])}")
            con.execute(f"DROP TABLE {ident(new[table])}")


def _check_legacy(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], staged: set[str], prev: Previous
) -> None:
    for p in plans:
        if not p.is_entity or p.name not in staged:
            continue
        rows = (
            f"(SELECT * FROM {ident('stg_' + p.target)} WHERE source_system = {literal(p.source)} "
            f"AND source_table = {literal(p.table)})"
        )
        sql = legacy_sex_sql(p, rows)
        if sql is None:
            continue
        row = con.execute(sql).fetchone()
        if bool(row and row[3] == "legacy_zero_male") != prev.legacy.get(p.name, False):
            raise Fallback(f"{table_name(p)} now writes sex with another convention; every record restages")


def stage_changes(
    con: duckdb.DuckDBPyConnection, home: Home, run_id: str, as_of: dt.date, prev: Previous
) -> StageResult:
    """Restage the records changed since ``prev`` in ``con`` (a copy of ``prev``'s database); raises Fallback."""
    statuses.check_complete()
    started = time.perf_counter()
    plans = plan.plans(registry().values())
    result = StageResult(run_id, as_of=as_of, mode="incremental")
    result.marks = stage_state.landed_marks(home, plans)
    _check_landing(home, prev, result.marks, plans)
    staged = {p.name for p in plans if table_name(p) in result.marks}
    tables = _tables(plans)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {DIRTY} (source VARCHAR, tbl VARCHAR, record_key VARCHAR)")
    changed = _changed(con, home, tables, prev, result.marks)
    _moved_by_date(con, plans, staged, prev, as_of)
    _enrichments(con, plans, staged, changed)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {DIRTY} AS SELECT DISTINCT * FROM {DIRTY}")
    landed = _landed(con, home, tables, changed, plans)
    subset = [p for p in plans if p.name in landed]
    std = standardize_plans(con, subset, landed, prev.legacy, as_of)
    attached = attach_plans(con, subset, std, as_of)
    new = {f"stg_{k}": v for k, v in write_kinds(con, subset, attached, prefix=_NEW).items()}
    new |= {f"stg_{k}": v for k, v in write_relations(con, subset, std, prefix=_NEW).items()}
    result.tables = dict(prev.meta["tables"])
    result.relations = dict.fromkeys(prev.meta["relations"], 0)
    _merge(con, [*(f"stg_{k}" for k in result.tables), *(f"stg_{r}" for r in result.relations)], new)
    _check_legacy(con, plans, staged, prev)
    for e in subset:
        if e.is_enrichment:
            con.execute(
                f"DELETE FROM {ident(attach_index_table(e))} USING {DIRTY} d WHERE d.source = {literal(e.source)} "
                f"AND d.tbl = {literal(e.table)} AND {ident(attach_index_table(e))}.record_key = d.record_key"
            )
    write_attach_index(con, subset, std, append=True)
    con.execute(
        f"DELETE FROM {WARNINGS} USING {DIRTY} d WHERE {WARNINGS}.source = d.source "
        f"AND {WARNINGS}.table_or_file = d.tbl AND {WARNINGS}.record_key = d.record_key"
    )
    con.execute(f"DELETE FROM {WARNINGS} WHERE rule = 'attach_record_missing'")
    insert_warnings(con, [*flags_sqls(subset, std, run_id), *orphans_sql(plans, staged, run_id)])
    write_quarantine(con, home, run_id, result)
    count_rows(con, plans, result)
    result.legacy = prev.legacy
    result.legacy_sex = tuple(table_name(p) for p in plans if prev.legacy.get(p.name))
    result.skipped = tuple(prev.meta.get("skipped", ()))
    row = con.execute(f"SELECT count(*) FROM {DIRTY}").fetchone()
    result.restaged = int(row[0]) if row else 0
    for name in {*std.values(), *attached.values(), *changed.values(), DIRTY}:
        con.execute(f"DROP TABLE IF EXISTS {ident(name)}")
    result.seconds = time.perf_counter() - started
    log.info(
        "staged incrementally: %d records restaged since build %s; %s; %d values flagged, %d orphans (%.1f s)",
        result.restaged,
        prev.meta.get("run_id"),
        ", ".join(f"{k} {v}" for k, v in result.rows.items()),
        result.flagged,
        result.orphans,
        result.seconds,
    )
    return result
