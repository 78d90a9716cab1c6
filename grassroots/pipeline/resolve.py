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
    insert_union,
    select_as_sql,
    write_union,
)
from transforms.resolve.person import PersonRun, resolve_people
from transforms.resolve.person_golden import person_outputs
from transforms.resolve.relations import event_party_sql, household_member_sql
from transforms.resolve.state import DB, ResolveState, table_exists

log = logging.getLogger(__name__)

OUTPUT_TABLES: tuple[str, ...] = (
    "person", "organization", "place", "thing", "event", "event_report",
    "household_member", "event_party", "entity_source", "field_provenance", "entity_id_history", "finding",
)  # fmt: skip


@dataclass
class ResolveResult:
    """What one resolve run produced: entity counts per kind, the person run's details, timings, and where.

    ``scopes``: for the tables an incremental run changed only in part, the rows it may have changed, as a SQL
    condition over the table's columns (``{db}`` standing for the resolved database): publishing compares only
    those rows with the warehouse (warehouse.publish). Tables without a scope were rebuilt whole.
    """

    run_id: str
    database: Path
    base_run: str | None = None  # the run the resolved database started from (None: from nothing)
    entities: dict[str, int] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)
    person: PersonRun | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    tables: tuple[str, ...] = OUTPUT_TABLES
    scopes: dict[str, str] = field(default_factory=dict)


# Lineage tables hold rows of every kind; the entity kind and id say whose rows they are.
LINEAGE = ("entity_source", "field_provenance")
META = "_resolve_meta"


def resolve_all(
    con: duckdb.DuckDBPyConnection,
    home: Home,
    run_id: str,
    staged: Mapping[str, str],
    *,
    database: Path | None = None,
    retrain: bool = False,
    u_pairs: float = 1e6,
) -> ResolveResult:
    """Resolve every staged kind; kinds not in ``staged`` yield empty tables.

    The outputs and the state go to the resolved database ``database`` (a build's copy of the base, see
    transforms.resolve.state), attached to ``con`` as ``resolved`` and found by unqualified names afterwards.
    Without ``database`` (a direct run), a fresh copy of the base is resolved and made the base when done. The
    model lives in ``home.state / 'resolve'``.
    """
    unknown = set(staged) - set(KINDS)
    if unknown:
        raise FatalError(
            f"unknown entity kinds {sorted(unknown)} in the staged tables; known: {', '.join(KINDS)}"
        )
    state = ResolveState(home.state / "resolve")
    direct = database is None
    if database is None:
        database = state.run_database(run_id)
        state.start(database)
    path = state.attach(con, database)
    result = ResolveResult(run_id, path, base_run=_base_run(con))
    done: list[str] = []
    for kind in KINDS:
        table = schemas.get(kind)
        if kind not in staged:
            create_empty(con, table, f'{DB}."{kind}"')
            continue
        started = time.perf_counter()
        if kind == "person":
            result.person = resolve_people(
                con, staged[kind], state, run_id=run_id, u_pairs=u_pairs, retrain=retrain
            )
            golden_started = time.perf_counter()
            person_outputs(con, run_id, incremental=result.person.mode == "incremental")
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
    result.scopes = _scopes(_write_lineage(con, done))
    con.execute(f"CREATE OR REPLACE TABLE {DB}.{META} AS SELECT ? AS run_id, now() AS resolved_at", [run_id])
    con.execute("CHECKPOINT resolved")
    if direct:
        state.promote(path)
        state.prune_runs()
    result.seconds["lineage"] = time.perf_counter() - started
    log.info("resolve run %s: %s", run_id, ", ".join(f"{k} {v}" for k, v in result.entities.items()))
    return result


def _base_run(con: duckdb.DuckDBPyConnection) -> str | None:
    if not table_exists(con, META):
        return None
    row = con.execute(f"SELECT run_id FROM {DB}.{META}").fetchone()
    return str(row[0]) if row else None


def _existing(con: duckdb.DuckDBPyConnection, names: list[str]) -> list[str]:
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return [n for n in names if n in present]


def _touched_kinds(con: duckdb.DuckDBPyConnection, kinds: list[str]) -> list[str]:
    """The kinds this run rewrote only in part: their ``touched_<kind>`` tables say which entities."""
    present = set(_existing(con, [f"touched_{k}" for k in kinds]))
    return [k for k in kinds if f"touched_{k}" in present]


def _write_lineage(con: duckdb.DuckDBPyConnection, kinds: list[str]) -> list[str]:
    """The lineage tables of every kind: rows of the touched entities replaced for the kinds resolved in part,
    every row of the other kinds; the rows of untouched entities stay as the last run wrote them. Returns the
    kinds written in part."""
    touched = _touched_kinds(con, kinds)
    whole = [k for k in KINDS if k not in touched]  # kinds not staged this run lose their rows
    for name in LINEAGE:
        parts = _existing(con, [f"_{'src' if name == 'entity_source' else 'fp'}_{k}" for k in kinds])
        if not table_exists(con, name):
            write_union(con, schemas.get(name), parts, f"{DB}.{name}")
            continue
        gone = [f"entity_kind IN ({', '.join(repr(k) for k in whole)})"] if whole else []
        gone += [
            f"(entity_kind = '{k}' AND entity_id IN (SELECT entity_id FROM touched_{k}))" for k in touched
        ]
        con.execute(f"DELETE FROM {DB}.{name} WHERE {' OR '.join(gone)}")
        insert_union(con, schemas.get(name), parts, f"{DB}.{name}")
    write_union(con, schemas.get("finding"), _existing(con, [f"_find_{k}" for k in kinds]), f"{DB}.finding")
    history = schemas.get("entity_id_history")
    write_union(con, history, _existing(con, [f"_hist_{k}" for k in kinds]), f"{DB}.entity_id_history")
    if "event" in kinds:
        con.execute(f"CREATE OR REPLACE TABLE {DB}.event_report AS {event_report_sql()}")
        party = event_party_sql("person" in kinds, "organization" in kinds)
        con.execute(
            f"CREATE OR REPLACE TABLE {DB}.event_party AS {select_as_sql(schemas.get('event_party'), party)}"
        )
    else:
        create_empty(con, EVENT_REPORT, f"{DB}.event_report")
        create_empty(con, schemas.get("event_party"), f"{DB}.event_party")
    if "person" in kinds:
        member = select_as_sql(schemas.get("household_member"), household_member_sql())
        con.execute(f"CREATE OR REPLACE TABLE {DB}.household_member AS {member}")
    else:
        create_empty(con, schemas.get("household_member"), f"{DB}.household_member")
    # What publishing compares: the touched entities of each kind (their ids before and after this run).
    union = " UNION ALL ".join(f"SELECT '{k}' AS entity_kind, entity_id FROM touched_{k}" for k in touched)
    empty = "SELECT NULL::VARCHAR AS entity_kind, NULL::VARCHAR AS entity_id WHERE FALSE"
    con.execute(f"CREATE OR REPLACE TABLE {DB}._touched AS {union or empty}")
    return touched


def _scopes(touched: list[str]) -> dict[str, str]:
    """The rows each table may have changed since the base (see ResolveResult.scopes); the id history is a log,
    which publishing only appends to anyway."""
    if not touched:
        return {}
    marked = "(SELECT entity_kind, entity_id FROM {db}._touched)"
    whole = [k for k in KINDS if k not in touched]
    lineage = f"(entity_kind, entity_id) IN {marked}"
    if whole:
        lineage += f" OR entity_kind IN ({', '.join(repr(k) for k in whole)})"
    scopes = dict.fromkeys(LINEAGE, lineage)
    for kind in touched:
        key = schemas.get(kind).primary_key[0]
        scopes[kind] = f"{key} IN (SELECT entity_id FROM {{db}}._touched WHERE entity_kind = '{kind}')"
    return scopes
