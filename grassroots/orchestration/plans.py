"""The orchestration plan: one sync DAG per declared source, the build steps, the assets and pool that link them.

Airflow-free and cheap to import: DAG files read it while they are parsed, so nothing here touches a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

WAREHOUSE_POOL = "grassroots_warehouse"
"""One slot: a single writer to the warehouse at a time. Readers (analysts, the report) never take it."""

PUBLISHED_ASSET = "grassroots_published"
"""Updated when a build published a new version of the warehouse; the report DAG is scheduled on it."""

DEFAULT_DATABASE_SCHEDULE = "@daily"
DROP_FOLDER_CHECK = timedelta(minutes=5)

SCHEDULES: dict[str, str | timedelta] = {
    # The grid platform changes all day as grid workers report: every 30 minutes keeps the library current.
    "grid": timedelta(minutes=30),
    # Civil affairs is updated in office hours and read nightly.
    "civil": "@daily",
}
"""Schedules that differ from the defaults; a source missing here still gets a DAG with its kind's default."""


@dataclass(frozen=True)
class SyncPlan:
    """How one declared source is synced by Airflow."""

    source: str
    description: str
    schedule: str | timedelta
    watch_folder: bool
    """A drop-folder source: each run first checks for new flagged exports and skips the sync when there are none."""

    @property
    def dag_id(self) -> str:
        return f"grassroots_sync_{self.source}"

    @property
    def asset(self) -> str:
        return landed_asset(self.source)


def landed_asset(source: str) -> str:
    """Name of the asset updated whenever a sync of ``source`` committed new loads."""
    return f"grassroots_landed_{source}"


def asset_uri(name: str) -> str:
    # A private URI scheme: Airflow leaves x-* schemes alone and no two deployments' assets collide by path.
    return f"x-grassroots://{name}"


def sync_plans() -> list[SyncPlan]:
    """One plan per source declared in extractors/sources (one module defining ``SOURCE`` each)."""
    from extractors.declare import FileSource
    from extractors.registry import registry

    plans = []
    for source in registry().values():
        watch = isinstance(source, FileSource)
        default = DROP_FOLDER_CHECK if watch else DEFAULT_DATABASE_SCHEDULE
        plans.append(SyncPlan(source.name, source.description, SCHEDULES.get(source.name, default), watch))
    return plans


BUILD_DAG_ID = "grassroots_build"
REPORT_DAG_ID = "grassroots_report"


@dataclass(frozen=True)
class BuildStep:
    """One stage of the build, run in order.

    ``function`` is ``module:name``, imported at run time, called as ``function(settings, run_id)`` and returning a
    summary (a dict or an object with ``to_json()``). Every step of one build gets the same ``run_id`` (derived from
    the Airflow run, so a re-run of that run reuses it); steps hand data to each other through files under the home
    (staging), never through the return value.
    """

    name: str
    function: str


BUILD_STEPS: tuple[BuildStep, ...] = (
    BuildStep("stage", "grassroots.pipeline.build:stage"),  # landing -> standardized stg_<kind> tables
    BuildStep("validate", "grassroots.pipeline.build:validate"),  # expectations; refused rows quarantined
    BuildStep("resolve", "grassroots.pipeline.build:resolve"),  # entities, golden records, lineage, findings
    BuildStep("publish", "grassroots.pipeline.build:publish"),  # one warehouse snapshot, atomically
)
"""The build, in order, one line per stage; the last step publishes the PUBLISHED_ASSET."""


def build_step(name: str) -> BuildStep:
    for step in BUILD_STEPS:
        if step.name == name:
            return step
    raise KeyError(f"No build step {name!r}; steps: {', '.join(s.name for s in BUILD_STEPS)}")


def pipeline_dag_ids() -> list[str]:
    """Every grassroots DAG in the order of one pass: the syncs, the build (once it has steps), the report."""
    ids = [plan.dag_id for plan in sync_plans()]
    if BUILD_STEPS:
        ids.append(BUILD_DAG_ID)
    return [*ids, REPORT_DAG_ID]
