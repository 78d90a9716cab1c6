"""The build DAG: standardize, validate, resolve, publish, run whenever any source landed new rows.

One writer at a time: every step takes the one-slot warehouse pool and only one build runs at once. Analysts'
reads need no slot. The last step publishes the asset that schedules the report.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from airflow.sdk import DAG, Asset, AssetAny, chain, task

from grassroots.orchestration import airflow_tasks
from grassroots.orchestration.airflow_policy import default_args
from grassroots.orchestration.plans import (
    BUILD_DAG_ID,
    BUILD_STEPS,
    PUBLISHED_ASSET,
    WAREHOUSE_POOL,
    BuildStep,
    asset_uri,
    sync_plans,
)


def build_dag(steps: tuple[BuildStep, ...]) -> DAG:
    landed = [Asset(name=plan.asset, uri=asset_uri(plan.asset)) for plan in sync_plans()]
    published = Asset(name=PUBLISHED_ASSET, uri=asset_uri(PUBLISHED_ASSET))
    with DAG(
        dag_id=BUILD_DAG_ID,
        description="Standardize, validate, resolve and publish the grassroots topic library",
        schedule=AssetAny(*landed),
        start_date=datetime(2026, 1, 1, tzinfo=UTC),
        catchup=False,
        max_active_runs=1,
        default_args=default_args(),
        tags=["grassroots", "build"],
    ) as dag:
        tasks = []
        for step in steps:
            outlets = [published] if step is steps[-1] else []

            @task(task_id=step.name, pool=WAREHOUSE_POOL, outlets=outlets)
            def run_step(name: str) -> dict[str, Any]:
                return airflow_tasks.build_step(name)

            tasks.append(run_step(step.name))
        chain(*tasks)
    return dag


# Until the first stage exists there is nothing to build, and no empty DAG is shown.
if BUILD_STEPS:
    grassroots_build = build_dag(BUILD_STEPS)
