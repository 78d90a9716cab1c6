"""The report DAG: after each published build, build the data-quality report and mail it to the big-data center."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from airflow.sdk import DAG, Asset, task

from grassroots.orchestration import airflow_tasks
from grassroots.orchestration.airflow_policy import default_args
from grassroots.orchestration.plans import PUBLISHED_ASSET, REPORT_DAG_ID, asset_uri


def report_dag() -> DAG:
    published = Asset(name=PUBLISHED_ASSET, uri=asset_uri(PUBLISHED_ASSET))
    with DAG(
        dag_id=REPORT_DAG_ID,
        description="Build and mail the data-quality report of the latest published warehouse",
        schedule=[published],
        start_date=datetime(2026, 1, 1, tzinfo=UTC),
        catchup=False,
        max_active_runs=1,
        default_args=default_args(),
        tags=["grassroots", "report"],
    ) as dag:

        @task
        def build_report() -> dict[str, Any]:
            return airflow_tasks.build_report()

        @task
        def mail_report(manifest: Any) -> dict[str, Any]:
            return airflow_tasks.mail_report(manifest)

        mail_report(build_report())
    return dag


grassroots_report = report_dag()
