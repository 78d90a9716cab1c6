"""One sync DAG per declared source (extractors/sources): a new source declaration gets its DAG from here.

Each run syncs one source and, when rows landed, updates the source's landed asset, which schedules the build.
A drop-folder source runs every few minutes but first checks cheaply for new flagged exports, skipping otherwise.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from airflow.sdk import DAG, Asset, task

from grassroots.orchestration import airflow_tasks
from grassroots.orchestration.airflow_policy import default_args
from grassroots.orchestration.plans import SyncPlan, asset_uri, sync_plans

START = datetime(2026, 1, 1, tzinfo=UTC)


def sync_dag(plan: SyncPlan) -> DAG:
    landed = Asset(name=plan.asset, uri=asset_uri(plan.asset))
    with DAG(
        dag_id=plan.dag_id,
        description=f"Sync {plan.source}: {plan.description}",
        schedule=plan.schedule,
        start_date=START,
        # Syncs read changes since the last committed cursor, not a date range: missed intervals need no catch-up.
        catchup=False,
        max_active_runs=1,
        default_args=default_args(),
        tags=["grassroots", "sync"],
    ) as dag:

        @task(outlets=[landed])
        def sync() -> dict[str, Any]:
            return airflow_tasks.sync(plan.source)

        if plan.watch_folder:

            @task.short_circuit
            def check_drop_folder() -> dict[str, Any] | None:
                return airflow_tasks.check_drop_folder(plan.source)

            check_drop_folder() >> sync()
        else:
            sync()
    return dag


for _plan in sync_plans():
    globals()[_plan.dag_id] = sync_dag(_plan)
