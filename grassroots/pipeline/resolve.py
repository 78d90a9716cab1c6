"""The resolve step of the build: staged records in, resolved entities, relations, lineage and findings out.

``resolve_all`` reads the staged tables named in ``staged`` (kind -> table, contracts in transforms/resolve/inputs.py)
and creates in the same connection the tables of schemas/ that publishing takes: person, organization, place,
thing, event, event_report, entity_source, field_provenance, entity_id_history, finding.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import schemas
from grassroots.errors import FatalError
from grassroots.home import Home
from transforms.resolve.inputs import KINDS
from transforms.resolve.keyed import resolve_kind
from transforms.resolve.kinds import KIND_SPECS
from transforms.resolve.outputs import (
    EVENT_REPORT,
    create_empty,
    event_report_sql,
    select_as_sql,
    write_union,
)
from transforms.resolve.person import PersonRun, resolve_people
from transforms.resolve.person_golden import person_outputs
from transforms.resolve.relations import event_party_sql, household_member_sql
from transforms.resolve.state import ResolveState

log = logging.getLogger(__name__)

OUTPUT_TABLES: tuple[str, ...] = (
    "person", "organization", "place", "thing", "event", "event_report",
    "household_member", "event_party", "entity_source", "field_provenance", "entity_id_history", "finding",
)  # fmt: skip


@dataclass
class ResolveResult:
    """What one resolve run produced: entity counts per kind, the person run's details, timings."""

    run_id: str
    entities: dict[str, int] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    person: PersonRun | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    tables: tuple[str, ...] = OUTPUT_TABLES
    # Output tables the state snapshot already holds as Parquet, byte for byte: publishing can link, not rewrite.
    files: dict[str, Path] = field(default_factory=dict)


def resolve_all(
    con: duckdb.DuckDBPyConnection,
    home: Home,
    run_id: str,
    staged: Mapping[str, str],
    *,
    retrain: bool = False,
    u_pairs: float = 1e6,
) -> ResolveResult:
    """Resolve every staged kind; kinds not in ``staged`` yield empty tables. State lives in ``home.state``."""
    unknown = set(staged) - set(KINDS)
    if unknown:
        raise FatalError(
            f"unknown entity kinds {sorted(unknown)} in the staged tables; known: {', '.join(KINDS)}"
        )
    state = ResolveState(home.state / "resolve")
    result = ResolveResult(run_id)
    done: list[str] = []
    for kind in KINDS:
        table = schemas.get(kind)
        if kind not in staged:
            create_empty(con, table)
            continue
        started = time.perf_counter()
        if kind == "person":
            result.person = resolve_people(
                con, staged[kind], state, run_id=run_id, u_pairs=u_pairs, retrain=retrain
            )
            golden_started = time.perf_counter()
            incremental = result.person.mode == "incremental"
            person_outputs(con, run_id, state.last_run if incremental else None)
            result.person.phase_seconds["golden"] = time.perf_counter() - golden_started
            result.entities[kind] = result.person.entities
            result.records[kind] = result.person.records
        else:
            result.entities[kind] = resolve_kind(con, KIND_SPECS[kind], staged[kind], state, run_id)
            row = con.execute(f'SELECT count(*) FROM "{staged[kind]}"').fetchone()
            result.records[kind] = int(row[0]) if row else 0
        result.seconds[kind] = time.perf_counter() - started
        done.append(kind)
    started = time.perf_counter()
    _write_lineage(con, done)
    result.files = _snapshot(con, state, done)
    result.seconds["lineage"] = time.perf_counter() - started
    log.info("resolve run %s: %s", run_id, ", ".join(f"{k} {v}" for k, v in result.entities.items()))
    return result


def _existing(con: duckdb.DuckDBPyConnection, names: list[str]) -> list[str]:
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return [n for n in names if n in present]


def _write_lineage(con: duckdb.DuckDBPyConnection, kinds: list[str]) -> None:
    write_union(con, schemas.get("entity_source"), _existing(con, [f"_src_{k}" for k in kinds]))
    write_union(con, schemas.get("field_provenance"), _existing(con, [f"_fp_{k}" for k in kinds]))
    write_union(con, schemas.get("finding"), _existing(con, [f"_find_{k}" for k in kinds]))
    write_union(con, schemas.get("entity_id_history"), _existing(con, [f"_hist_{k}" for k in kinds]))
    if "event" in kinds:
        con.execute(f'CREATE OR REPLACE TABLE "event_report" AS {event_report_sql()}')
        party = event_party_sql("person" in kinds, "organization" in kinds)
        con.execute(
            f'CREATE OR REPLACE TABLE "event_party" AS {select_as_sql(schemas.get("event_party"), party)}'
        )
    else:
        create_empty(con, EVENT_REPORT)
        create_empty(con, schemas.get("event_party"))
    if "person" in kinds:
        member = select_as_sql(schemas.get("household_member"), household_member_sql())
        con.execute(f'CREATE OR REPLACE TABLE "household_member" AS {member}')
    else:
        create_empty(con, schemas.get("household_member"))


def _snapshot(con: duckdb.DuckDBPyConnection, state: ResolveState, kinds: list[str]) -> dict[str, Path]:
    """Keep what ``grassroots explain`` shows and the next incremental run takes over: members, accepted edges,
    lineage, findings and golden records. Returns the output tables written whole, by their snapshot file."""
    outputs = ["entity_source", "field_provenance", "finding", *kinds]
    tables = {name: f'"{name}"' for name in outputs}
    for kind in kinds:
        tables[f"{kind}_members"] = (
            f"SELECT * EXCLUDE (fingerprint) FROM _members_{kind}"
            if kind == "person"
            else (f"SELECT * FROM _members_{kind}")
        )
        tables[f"{kind}_edges"] = "rp_person_edges" if kind == "person" else f"rk_{kind}_edges"
    state.snapshot(con, tables)
    return {name: state.last_run / f"{name}.parquet" for name in outputs}
