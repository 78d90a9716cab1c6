"""The staging step of the build: every declared table's current landed rows into stg_<kind> tables, in DuckDB.

``stage_all`` writes ``stg_person``, ``stg_organization``, ``stg_place``, ``stg_thing``, ``stg_event`` (the input
contract of resolution, transforms/resolve/inputs.py) and ``stg_<relation>`` for the relation mappings, into the
connection it is given; values that could not be standardized become quarantine warnings (stage ``standardize``).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Collection, Iterable
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
from grassroots.pipeline.stage_state import landed_marks
from transforms.codes import sex_convention_sql
from transforms.layered import ident
from transforms.staging import kinds, plan, statuses, table_sql
from transforms.staging.flags import flags_sql
from transforms.staging.plan import TablePlan
from transforms.staging.relations import relation_select_sql
from transforms.staging.table_sql import literal
from transforms.standardize import prepare

log = logging.getLogger(__name__)

# The build's standardize warnings, kept beside the staged tables so that the next build can carry them over.
WARNINGS = "_stage_warnings"
_WARNINGS_DDL = (
    f"CREATE OR REPLACE TABLE {WARNINGS} (run_id VARCHAR, stage VARCHAR, source VARCHAR, table_or_file VARCHAR, "
    "record_key VARCHAR, line BIGINT, rule VARCHAR, reason VARCHAR, value_masked VARCHAR, severity VARCHAR, "
    "occurred_at TIMESTAMPTZ)"
)


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
    as_of: dt.date | None = None
    mode: str = "full"  # or "incremental": only the records changed since the last published build restaged
    restaged: int = 0  # records restaged (every live record when full)
    fallback: str | None = None  # why an incremental stage was not possible, when it was tried
    marks: dict[str, str] = field(default_factory=dict)  # source.table -> newest load staged
    legacy: dict[str, bool] = field(default_factory=dict)  # plan name -> reads sex as 0 = male

    def state_json(self) -> dict[str, Any]:
        """What the next build needs to know of this stage (grassroots.pipeline.stage_state.meta)."""
        return {**self.to_json(), "marks": self.marks, "legacy": self.legacy}

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
            "mode": self.mode,
            "restaged": self.restaged,
            "fallback": self.fallback,
            "seconds": round(self.seconds, 2),
        }


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {ident(table)}").fetchone()
    return int(row[0]) if row else 0


def sex_id_fields(p: TablePlan) -> tuple[str, str] | None:
    """The raw sex and ID columns the legacy-sex convention is decided from, when the plan maps both."""
    fields = p.mapping.fields
    id_field = "citizen_id" if "citizen_id" in fields else "cert_number" if "cert_number" in fields else None
    if "sex" not in fields or id_field is None:
        return None
    return "raw_sex", "raw_" + id_field


def legacy_sex_sql(p: TablePlan, rows: str) -> str | None:
    """The convention query over ``rows`` (the plan's ``raw_`` columns, one row per live record), if it applies."""
    cols = sex_id_fields(p)
    return None if cols is None else sex_convention_sql(rows, ident(cols[0]), ident(cols[1]))


def _legacy_sex(con: duckdb.DuckDBPyConnection, p: TablePlan, landed: str) -> bool:
    """Does this table write sex as 0 = male? Decided from the table's own IDs (transforms.codes)."""
    sql = legacy_sex_sql(p, f"({table_sql.record_sql(p, landed)})")
    if sql is None:
        return False
    row = con.execute(sql).fetchone()
    return bool(row and row[3] == "legacy_zero_male")


def _landed(home: Home, p: TablePlan) -> str | None:
    try:
        return current_sql(home.root, p.source, p.table)
    except FatalError as exc:
        log.warning("staging skips %s.%s: %s", p.source, p.table, exc)
        return None


def without_optimizer(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run a statement unoptimized: a normalizer stack is projections only (no join, no filter to push), and
    DuckDB's optimizer spends longer on its deep CASE expressions than running them takes (0.9 s of 1.2 s for
    the JC_RK person plan on no rows; 12 % of its CPU on 100,000 residents), for the same rows."""
    con.execute("PRAGMA disable_optimizer")
    try:
        con.execute(sql)
    finally:
        con.execute("PRAGMA enable_optimizer")


def standardize_plans(
    con: duckdb.DuckDBPyConnection,
    plans: list[TablePlan],
    landed: dict[str, str],
    legacy: dict[str, bool],
    as_of: dt.date,
    *,
    decide: bool = False,
) -> dict[str, str]:
    """Each plan's standardized rows (from ``landed``: plan name -> SQL of its landed rows) as a temp table.

    The landed rows of a table are read once for all its plans. ``decide``: decide each plan's sex convention
    from these rows (recorded in ``legacy``) instead of reading it from ``legacy``.
    """
    by_rows: dict[str, list[TablePlan]] = {}
    for p in plans:
        if p.name in landed:
            by_rows.setdefault(landed[p.name], []).append(p)
    done: dict[str, str] = {}
    live = "_stage_live"
    for sql, ps in by_rows.items():
        con.execute(f"CREATE OR REPLACE TEMP TABLE {live} AS {sql}")
        for p in ps:
            if decide:
                legacy[p.name] = _legacy_sex(con, p, f"SELECT * FROM {live}")
                if legacy[p.name]:
                    log.info("%s.%s writes sex as 0 = male; read with that convention", p.source, p.table)
            zero_male = legacy.get(p.name, False)
            prepare(con, table_sql.layered(p, as_of, zero_male).values())
            name = f"std_{p.name}"
            sql = table_sql.standardized_sql(p, f"SELECT * FROM {live}", as_of, zero_male)
            without_optimizer(con, f"CREATE OR REPLACE TEMP TABLE {ident(name)} AS {sql}")
            done[p.name] = name
        con.execute(f"DROP TABLE {live}")
    return done


def _standardize(
    con: duckdb.DuckDBPyConnection, home: Home, plans: list[TablePlan], as_of: dt.date, result: StageResult
) -> dict[str, str]:
    """Each plan's standardized rows as a temp table; plan name -> table."""
    landed: dict[str, str] = {}
    tables: dict[tuple[str, str], str | None] = {}
    for p in plans:
        if (p.source, p.table) not in tables:
            tables[(p.source, p.table)] = _landed(home, p)
        sql = tables[(p.source, p.table)]
        if sql is not None:
            landed[p.name] = sql
    legacy: dict[str, bool] = {}
    std = standardize_plans(con, plans, landed, legacy, as_of, decide=True)
    result.legacy = legacy
    result.legacy_sex = tuple(f"{p.source}.{p.table}" for p in plans if legacy.get(p.name))
    result.skipped = tuple(sorted(f"{s}.{t}" for (s, t), sql in tables.items() if sql is None))
    return std


def attach_plans(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], std: dict[str, str], as_of: dt.date
) -> dict[str, str]:
    """Entity plans with their enrichments joined (the most recently updated enrichment row of each record)."""
    out: dict[str, str] = {}
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
    return out


def attach_index_table(e: TablePlan) -> str:
    """Kept beside the staged tables: which record each enrichment row describes (for orphans and changes)."""
    return f"_stage_attach_{e.name}"


def write_attach_index(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], std: dict[str, str], *, append: bool = False
) -> None:
    for e in plans:
        if e.is_enrichment and e.name in std:
            rows = f"SELECT record_key, attach_key FROM {ident(std[e.name])}"
            table = ident(attach_index_table(e))
            con.execute(
                f"INSERT INTO {table} {rows}" if append else f"CREATE OR REPLACE TABLE {table} AS {rows}"
            )


def orphans_sql(plans: list[TablePlan], staged: Collection[str], run_id: str) -> list[str]:
    """Quarantine rows for enrichment rows whose record is not (any more) in the staged table they attach to;
    ``staged``: the names of the plans staged (a table never synced is not)."""
    out = []
    for p in plans:
        if not p.is_entity or p.name not in staged:
            continue
        for e in plan.enrichments_of(p, plans):
            if e.name not in staged:
                continue
            out.append(
                f"SELECT {literal(run_id)} AS run_id, 'standardize' AS stage, {literal(e.source)} AS source, "
                f"{literal(e.table)} AS table_or_file, record_key, CAST(NULL AS BIGINT) AS line, "
                "'attach_record_missing' AS rule, "
                "'the record this row describes is not in the table it refers to; it is not staged' AS reason, "
                "CAST(NULL AS VARCHAR) AS value_masked, 'warning' AS severity, now() AS occurred_at "
                f"FROM {ident(attach_index_table(e))} s WHERE attach_key IS NULL OR NOT EXISTS "
                f"(SELECT 1 FROM {ident('stg_' + p.target)} b WHERE b.source_system = {literal(p.source)} "
                f"AND b.source_table = {literal(p.table)} AND b.record_key = s.attach_key)"
            )
    return out


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {ident(table)}").fetchall()]


def write_kinds(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], staged: dict[str, str], prefix: str = ""
) -> dict[str, str]:
    """``<prefix>stg_<kind>`` from the staged plans of each kind; kind -> table."""
    tables: dict[str, str] = {}
    for kind in ENTITY_KINDS:
        selects = [
            kinds.kind_select_sql(kind, ident(staged[p.name]), _columns(con, staged[p.name]))
            for p in plans
            if p.target == kind and p.name in staged
        ]
        if not selects:
            continue
        name = f"{prefix}stg_{kind}"
        con.execute(f"CREATE OR REPLACE TABLE {ident(name)} AS {kinds.union_sql(selects)}")
        tables[kind] = name
    return tables


def write_relations(
    con: duckdb.DuckDBPyConnection, plans: list[TablePlan], std: dict[str, str], prefix: str = ""
) -> dict[str, str]:
    """``<prefix>stg_<relation>``: each relation row with the source record it belongs to and its standardized
    fields; relation -> table."""
    by_target: dict[str, list[str]] = {}
    for p in plans:
        if p.target in ENTITY_KINDS or p.name not in std:
            continue
        by_target.setdefault(p.target, []).append(relation_select_sql(p, ident(std[p.name])))
    tables: dict[str, str] = {}
    for target, selects in by_target.items():
        name = f"{prefix}stg_{target}"
        con.execute(f"CREATE OR REPLACE TABLE {ident(name)} AS {kinds.union_sql(selects)}")
        tables[target] = name
    return tables


def flags_sqls(plans: list[TablePlan], std: dict[str, str], run_id: str) -> list[str]:
    """Quarantine rows for the flagged values of every standardized plan."""
    return [s for p in plans if p.name in std and (s := flags_sql(p, ident(std[p.name]), run_id))]


def insert_warnings(con: duckdb.DuckDBPyConnection, parts: list[str]) -> None:
    if parts:
        con.execute(f"INSERT INTO {WARNINGS} BY NAME {' UNION ALL '.join(parts)}")


def count_rows(con: duckdb.DuckDBPyConnection, plans: list[TablePlan], result: StageResult) -> None:
    """Rows per kind, per source table and per relation, from the staged tables."""
    for kind in result.tables:
        result.rows[kind] = _count(con, f"stg_{kind}")
    by_table = {
        (s, t): n
        for kind in result.tables
        for s, t, n in con.execute(
            f"SELECT source_system, source_table, count(*) FROM {ident('stg_' + kind)} GROUP BY ALL"
        ).fetchall()
    }
    for kind in ENTITY_KINDS:
        for p in plans:
            if p.target == kind and p.is_entity and kind in result.tables:
                result.sources[f"{p.source}.{p.table}"] = by_table.get((p.source, p.table), 0)
    for relation in result.relations:
        result.relations[relation] = _count(con, f"stg_{relation}")


def write_quarantine(con: duckdb.DuckDBPyConnection, home: Home, run_id: str, result: StageResult) -> None:
    """The build's standardize warnings (kept in WARNINGS beside the staged tables) as its quarantine file."""
    rows = con.execute(
        f"SELECT * REPLACE ({literal(run_id)} AS run_id, now() AS occurred_at) FROM {WARNINGS}"
    ).fetch_arrow_table()
    result.orphans = sum(1 for r in rows.column("rule").to_pylist() if r == "attach_record_missing")
    result.flagged = rows.num_rows - result.orphans
    result.quarantine_file = quarantine.write(home.root, "standardize", rows) if rows.num_rows else None


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
    result = StageResult(run_id, as_of=as_of)
    plans = plan.plans(sources if sources is not None else registry().values())
    # Read before the landed rows are: a load committed meanwhile is then staged again next time, never missed.
    result.marks = landed_marks(home, plans)
    std = _standardize(con, home, plans, as_of, result)
    staged = attach_plans(con, plans, std, as_of)
    result.tables = write_kinds(con, plans, staged)
    if not result.tables:
        raise FatalError(f"nothing to stage in {home.landing}: run 'grassroots sync' first")
    result.relations = dict.fromkeys(write_relations(con, plans, std), 0)
    write_attach_index(con, plans, std)
    con.execute(_WARNINGS_DDL)
    insert_warnings(con, [*flags_sqls(plans, std, run_id), *orphans_sql(plans, std, run_id)])
    write_quarantine(con, home, run_id, result)
    count_rows(con, plans, result)
    result.restaged = sum(result.sources.values())
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
