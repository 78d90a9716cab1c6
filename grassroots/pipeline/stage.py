"""The staging step of the build: every declared table's current landed rows into stg_<kind> tables, in DuckDB.

``stage_all`` writes ``stg_person``, ``stg_organization``, ``stg_place``, ``stg_thing``, ``stg_event`` (the input
contract of resolution, transforms/resolve/inputs.py) and ``stg_<relation>`` for the relation mappings, into the
connection it is given; values that could not be standardized become quarantine warnings (stage ``standardize``).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from extractors.declare import ENTITY_KINDS, Source
from extractors.landing import current_sql
from extractors.registry import registry
from grassroots import quarantine
from grassroots.errors import FatalError
from grassroots.home import Home
from transforms.codes import sex_convention_sql
from transforms.layered import ident
from transforms.staging import kinds, plan, statuses, table_sql
from transforms.staging.flags import flags_sql
from transforms.staging.plan import TablePlan
from transforms.staging.relations import relation_select_sql
from transforms.standardize import prepare

log = logging.getLogger(__name__)


@dataclass
class StageResult:
    """What staging wrote: staged table per kind, rows per kind and per source table, values flagged."""

    run_id: str
    tables: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    flagged: int = 0
    orphans: int = 0
    legacy_sex: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    quarantine_file: Path | None = None
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "tables": self.tables,
            "rows": self.rows,
            "sources": self.sources,
            "relations": self.relations,
            "flagged": self.flagged,
            "orphans": self.orphans,
            "legacy_sex": list(self.legacy_sex),
            "skipped": list(self.skipped),
            "quarantine_file": str(self.quarantine_file) if self.quarantine_file else None,
            "seconds": round(self.seconds, 2),
        }


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {ident(table)}").fetchone()
    return int(row[0]) if row else 0


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {ident(table)}").fetchall()]


def _legacy_sex(con: duckdb.DuckDBPyConnection, p: TablePlan, landed: str) -> bool:
    """Does this table write sex as 0 = male? Decided from the table's own IDs (transforms.codes)."""
    fields = p.mapping.fields
    id_field = "citizen_id" if "citizen_id" in fields else "cert_number" if "cert_number" in fields else None
    if "sex" not in fields or id_field is None:
        return False
    source = f"({table_sql.record_sql(p, landed)})"
    row = con.execute(sex_convention_sql(source, ident("raw_sex"), ident("raw_" + id_field))).fetchone()
    return bool(row and row[3] == "legacy_zero_male")


def _landed(home: Home, p: TablePlan) -> str | None:
    try:
        return current_sql(home.root, p.source, p.table)
    except FatalError as exc:
        log.warning("staging skips %s.%s: %s", p.source, p.table, exc)
        return None


def _standardize(
    con: duckdb.DuckDBPyConnection, home: Home, plans: list[TablePlan], as_of: dt.date, result: StageResult
) -> dict[str, str]:
    """Each plan's standardized rows as a temp table; plan name -> table."""
    done: dict[str, str] = {}
    legacy: list[str] = []
    skipped: list[str] = []
    for p in plans:
        landed = _landed(home, p)
        if landed is None:
            skipped.append(f"{p.source}.{p.table}")
            continue
        zero_male = _legacy_sex(con, p, landed)
        if zero_male:
            legacy.append(f"{p.source}.{p.table}")
            log.info("%s.%s writes sex as 0 = male; read with that convention", p.source, p.table)
        prepare(con, table_sql.layered(p, as_of, zero_male).values())
        name = f"std_{p.name}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {ident(name)} AS {table_sql.standardized_sql(p, landed, as_of, zero_male)}"
        )
        done[p.name] = name
    result.legacy_sex = tuple(legacy)
    result.skipped = tuple(sorted(set(skipped)))
    return done


def _attach(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], std: dict[str, str], as_of: dt.date
) -> tuple[dict[str, str], list[str]]:
    """Entity plans with their enrichments joined; also the SQL of enrichment rows whose record is gone."""
    out: dict[str, str] = {}
    orphans: list[str] = []
    for p in plans:
        if not p.is_entity or p.name not in std:
            continue
        extra = [e for e in plan.enrichments_of(p, plans) if e.name in std]
        if not extra:
            out[p.name] = std[p.name]
            continue
        enrich = [f"({table_sql.enrichment_sql(e, ident(std[e.name]), as_of)})" for e in extra]
        name = f"att_{p.name}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {ident(name)} AS {table_sql.attached_sql(ident(std[p.name]), enrich)}"
        )
        out[p.name] = name
        orphans += [
            f"SELECT '{e.source}' AS source, '{e.table}' AS tbl, record_key, attach_key FROM {ident(std[e.name])} s "
            f"WHERE attach_key IS NULL OR NOT EXISTS "
            f"(SELECT 1 FROM {ident(std[p.name])} b WHERE b.record_key = s.attach_key)"
            for e in extra
        ]
    return out, orphans


def _write_kinds(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], staged: dict[str, str], result: StageResult
) -> None:
    for kind in ENTITY_KINDS:
        selects = []
        for p in plans:
            if p.target == kind and p.name in staged:
                table = staged[p.name]
                selects.append(kinds.kind_select_sql(kind, ident(table), _columns(con, table)))
                result.sources[f"{p.source}.{p.table}"] = _count(con, table)
        if not selects:
            continue
        name = f"stg_{kind}"
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {kinds.union_sql(selects)}")
        result.tables[kind] = name
        result.rows[kind] = _count(con, name)


def _write_relations(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], std: dict[str, str], result: StageResult
) -> None:
    """stg_<relation>: each relation row with the source record it belongs to and its standardized fields."""
    by_target: dict[str, list[str]] = {}
    for p in plans:
        if p.target in ENTITY_KINDS or p.name not in std:
            continue
        by_target.setdefault(p.target, []).append(relation_select_sql(p, ident(std[p.name])))
    for target, selects in by_target.items():
        name = f"stg_{target}"
        con.execute(f"CREATE OR REPLACE TABLE {name} AS {kinds.union_sql(selects)}")
        result.relations[target] = _count(con, name)


def _quarantine(
    con: duckdb.DuckDBPyConnection, home: Home, run_id: str, plans: list[TablePlan], std: dict[str, str],
    orphans: list[str], result: StageResult,
) -> None:  # fmt: skip
    parts = [s for p in plans if p.name in std and (s := flags_sql(p, ident(std[p.name]), run_id))]
    parts += [
        f"SELECT '{run_id}' AS run_id, 'standardize' AS stage, source, tbl AS table_or_file, record_key, "
        "CAST(NULL AS BIGINT) AS line, 'attach_record_missing' AS rule, "
        "'the record this row describes is not in the table it refers to; it is not staged' AS reason, "
        "CAST(NULL AS VARCHAR) AS value_masked, 'warning' AS severity, now() AS occurred_at "
        f"FROM ({o})"
        for o in orphans
    ]
    if not parts:
        return
    rows = con.execute(" UNION ALL ".join(parts)).fetch_arrow_table()
    result.orphans = sum(1 for r in rows.column("rule").to_pylist() if r == "attach_record_missing")
    result.flagged = rows.num_rows - result.orphans
    result.quarantine_file = quarantine.write(home.root, "standardize", rows)


def stage_all(
    con: duckdb.DuckDBPyConnection,
    home: Home,
    run_id: str,
    as_of: dt.date,
    sources: Iterable[Source] | None = None,
) -> StageResult:
    """Stage every declared source (or ``sources``) from the landing zone; ``as_of`` is "today" for dates."""
    statuses.check_complete()
    started = time.perf_counter()
    result = StageResult(run_id)
    plans = plan.plans(sources if sources is not None else registry().values())
    std = _standardize(con, home, plans, as_of, result)
    staged, orphans = _attach(con, plans, std, as_of)
    _write_kinds(con, plans, staged, result)
    if not result.tables:
        raise FatalError(f"nothing to stage in {home.landing}: run 'grassroots sync' first")
    _write_relations(con, plans, std, result)
    _quarantine(con, home, run_id, plans, std, orphans, result)
    for name in {*std.values(), *staged.values()}:
        con.execute(f"DROP TABLE IF EXISTS {ident(name)}")
    result.seconds = time.perf_counter() - started
    log.info(
        "staged %s; %d values flagged, %d enrichment rows without their record (%.1f s)",
        ", ".join(f"{k} {v}" for k, v in result.rows.items()),
        result.flagged,
        result.orphans,
        result.seconds,
    )
    return result
