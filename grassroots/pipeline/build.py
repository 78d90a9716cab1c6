"""The build: stage -> validate -> resolve -> publish, in one working DuckDB database per build.

``build`` runs the four steps in order; each step is also a function ``step(settings, run_id)`` so the build DAG can
run them as separate tasks passing only the run id. Publishing is the last step and atomic: a build failing
anywhere leaves the published warehouse as it was, and re-running the failed step (or the whole build) is safe.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from extractors.registry import registry
from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.pipeline import stage_state, workdb
from grassroots.pipeline.publish import publish as publish_tables
from grassroots.pipeline.resolve import resolve_all
from grassroots.pipeline.stage import stage_all
from grassroots.pipeline.stage_changes import Fallback, stage_changes
from grassroots.pipeline.validate import validate_tables
from transforms.resolve.state import DB, ResolveState
from transforms.staging.plan import TablePlan, plans
from transforms.staging.relations import LINK_SQL
from warehouse.inputs import DatabaseTable

log = logging.getLogger(__name__)

STEPS = ("stage", "validate", "resolve", "publish")


@dataclass
class StepResult:
    """One step's summary: small and JSON-able (what goes through XCom)."""

    step: str
    run_id: str
    seconds: float
    data: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"step": self.step, "run_id": self.run_id, "seconds": round(self.seconds, 2), **self.data}


@dataclass
class BuildSummary:
    """What a build did: records staged and entities resolved per kind, rows quarantined, timings, the snapshot."""

    run_id: str
    reference_date: dt.date
    staged: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    resolution: dict[str, Any] = field(default_factory=dict)  # mode and the person phases' seconds
    flagged: int = 0
    refused: int = 0
    warned: int = 0
    snapshot: int | None = None
    restricted_snapshot: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "reference_date": self.reference_date.isoformat(),
            "staged": self.staged,
            "entities": self.entities,
            "relations": self.relations,
            "resolution": self.resolution,
            "quarantined": {"standardize": self.flagged, "refused": self.refused, "warned": self.warned},
            "snapshot": self.snapshot,
            "restricted_snapshot": self.restricted_snapshot,
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


def new_run_id() -> str:
    return "b_" + datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def stage(
    settings: Settings, run_id: str, reference_date: dt.date | None = None, *, full: bool = False
) -> StepResult:
    """Landing zone -> stg_<kind> tables in a fresh working database.

    Only the records changed since the last published build are restaged, into a copy of its staged tables, when
    that build's stage can be trusted (grassroots.pipeline.stage_changes); else (or with ``full``) everything is,
    and the log says why.
    """
    started = time.perf_counter()
    as_of = reference_date or workdb.reference_date(settings)
    home = settings.paths
    declared = stage_plans()
    previous, why = (None, "asked to") if full else stage_state.previous(home, declared)
    result = None
    if previous is not None:
        con = workdb.connect(settings, run_id, fresh=True, seed=previous.database)
        try:
            result = stage_changes(con, home, run_id, as_of, previous)
        except Fallback as exc:
            why = str(exc)
        finally:
            con.close()
    if result is None:
        log.info("build %s stages every record: %s", run_id, why)
        con = workdb.connect(settings, run_id, fresh=True)
        try:
            result = stage_all(con, home, run_id, as_of)
        finally:
            con.close()
        result.fallback = why
    data = result.to_json()
    data["reference_date"] = as_of.isoformat()
    data["seconds"] = round(time.perf_counter() - started, 2)
    state = stage_state.meta(run_id, as_of, declared, result.state_json())
    built_on = previous if result.mode == "incremental" else None
    stage_state.keep(workdb.build_dir(settings, run_id), workdb.db_path(settings, run_id), state, built_on)
    workdb.write_meta(settings, run_id, "stage", data)
    return StepResult("stage", run_id, time.perf_counter() - started, data)


def stage_plans() -> list[TablePlan]:
    return plans(registry().values())


def _staged(settings: Settings, run_id: str) -> dict[str, str]:
    meta = workdb.build_dir(settings, run_id) / "stage.json"
    tables: dict[str, str] = json.loads(meta.read_text(encoding="utf-8"))["tables"]
    return tables


def validate(settings: Settings, run_id: str, reference_date: dt.date | None = None) -> StepResult:
    """Declared expectations over the staged tables: refused rows quarantined and removed, warnings kept."""
    started = time.perf_counter()
    as_of = reference_date or workdb.reference_date(settings)
    con = workdb.connect(settings, run_id)
    try:
        outcome = validate_tables(con, settings.paths, run_id, _staged(settings, run_id), as_of)
    finally:
        con.close()
    data = {
        "refused": outcome.refused,
        "warned": sum(t.warned for t in outcome.tables.values()),
        "failed_rules": len(outcome.failed_rules),
        "results_file": str(outcome.results_file) if outcome.results_file else None,
    }
    workdb.write_meta(settings, run_id, "validate", data)
    return StepResult("validate", run_id, time.perf_counter() - started, data)


def resolve(settings: Settings, run_id: str) -> StepResult:
    """Staged records -> entities, lineage and findings, in the build's resolved database (a copy of the last
    published build's, changed where the records changed); publishing reads the tables from there."""
    started = time.perf_counter()
    con = workdb.connect(settings, run_id)
    database = workdb.resolved_path(settings, run_id)
    state = ResolveState(settings.paths.state / "resolve")
    state.start(database)
    try:
        result = resolve_all(con, settings.paths, run_id, _staged(settings, run_id), database=database)
        relations = link_relations(con)
    finally:
        con.close()
    data = {
        "entities": result.entities,
        "records": result.records,
        "relations": relations,
        "tables": [*result.tables, *relations],
        "database": str(database),
        "base_run": result.base_run,
        "scopes": result.scopes,
        "mode": result.person.mode if result.person else "full",
        # Person resolution alone (features, model, scoring, clustering, ids, golden records): what the
        # benchmark compares with a stock Splink model.
        "person_seconds": {
            k: round(v, 2) for k, v in (result.person.phase_seconds if result.person else {}).items()
        },
    }
    workdb.write_meta(settings, run_id, "resolve", data)
    return StepResult("resolve", run_id, time.perf_counter() - started, data)


# Staged tables a relation's linking reads besides its own (residences meet places through their address keys).
LINK_NEEDS: dict[str, tuple[str, ...]] = {"person_residence": ("stg_place",)}


def link_relations(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Relation tables from stg_<relation> and the resolved entities, into the resolved database (attached by
    resolve_all); relation -> rows linked."""
    present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    linked: dict[str, int] = {}
    for relation, sql in LINK_SQL.items():
        staged = f"stg_{relation}"
        if staged not in present:
            continue
        missing = [t for t in LINK_NEEDS.get(relation, ()) if t not in present]
        if missing:
            # e.g. police exports landed before the grid's first sync: nothing to link the addresses to yet.
            log.warning("%s: not linked this build, %s not staged yet", relation, ", ".join(missing))
            continue
        con.execute(f'CREATE OR REPLACE TABLE {DB}."{relation}" AS {sql(staged)}')
        row = con.execute(
            f'SELECT (SELECT count(*) FROM {DB}."{relation}"), (SELECT count(*) FROM {staged})'
        ).fetchone()
        linked[relation] = int(row[0]) if row else 0
        log.info(
            "%s: %d rows linked to entities from %d staged", relation, linked[relation], row[1] if row else 0
        )
    return linked


def publish(settings: Settings, run_id: str) -> StepResult:
    """The resolved tables into the warehouse as one snapshot; the previous one stays if this fails."""
    started = time.perf_counter()
    meta = workdb.read_meta(settings, run_id, "resolve")
    database = Path(meta["database"]) if meta else workdb.resolved_path(settings, run_id)
    if meta is None or not database.exists():
        raise FatalError(f"build {run_id} has nothing to publish in {database}: run its resolve step first")
    tables = {name: DatabaseTable(database, name) for name in meta["tables"]}
    summary = publish_tables(
        settings, tables, run_id, scopes=meta.get("scopes") or {}, base_run=meta.get("base_run")
    )
    workdb.mark_published(settings, run_id, _staged(settings, run_id))
    stage_state.promote(settings.paths, workdb.build_dir(settings, run_id))
    ResolveState(settings.paths.state / "resolve").promote(database)
    workdb.prune(settings, keep=run_id)
    data = {
        "snapshot": summary.result.analyst_snapshot,
        "restricted_snapshot": summary.result.restricted_snapshot,
        "rows": summary.result.rows,
        "changes": summary.result.changes,
    }
    workdb.write_meta(settings, run_id, "publish", data)
    return StepResult("publish", run_id, time.perf_counter() - started, data)


def build(
    settings: Settings, run_id: str | None = None, reference_date: dt.date | None = None
) -> BuildSummary:
    """Run the whole build; any failure raises before publishing, leaving the warehouse as it was."""
    run_id = run_id or new_run_id()
    as_of = reference_date or workdb.reference_date(settings)
    summary = BuildSummary(run_id, as_of)
    log.info("build %s: reference date %s", run_id, as_of)
    steps = (
        lambda: stage(settings, run_id, as_of),
        lambda: validate(settings, run_id, as_of),
        lambda: resolve(settings, run_id),
        lambda: publish(settings, run_id),
    )
    for name, step in zip(STEPS, steps, strict=True):
        result = step()
        summary.seconds[name] = result.seconds
        summary.steps[name] = result.to_json()
        log.info("build %s: %s done in %.1f s", run_id, name, result.seconds)
    _fill(summary)
    return summary


def _fill(summary: BuildSummary) -> None:
    s = summary.steps
    summary.staged = dict(s["stage"]["rows"])
    summary.flagged = int(s["stage"]["flagged"]) + int(s["stage"]["orphans"])
    summary.refused = int(s["validate"]["refused"])
    summary.warned = int(s["validate"]["warned"])
    summary.entities = dict(s["resolve"]["entities"])
    summary.relations = dict(s["resolve"]["relations"])
    summary.resolution = {"mode": s["resolve"]["mode"], "person_seconds": s["resolve"]["person_seconds"]}
    summary.snapshot = s["publish"]["snapshot"]
    summary.restricted_snapshot = s["publish"]["restricted_snapshot"]


__all__ = [
    "STEPS",
    "BuildSummary",
    "StepResult",
    "build",
    "new_run_id",
    "publish",
    "resolve",
    "stage",
    "validate",
]
