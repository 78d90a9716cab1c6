"""Task bodies of the grassroots DAGs: settings from Airflow, the work from tasks.py, a skip when nothing is new.

A skipped sync emits no asset event, so the build runs only when some source landed changed rows.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import get_current_context
from airflow.sdk.exceptions import AirflowSkipException

from grassroots.orchestration import plans, report_mail, tasks
from grassroots.orchestration.airflow_settings import task_settings


def check_drop_folder(source: str) -> dict[str, Any] | None:
    return tasks.check_drop_folder(task_settings(), source)


def sync(source: str) -> dict[str, Any]:
    result = tasks.sync_source(task_settings(), source)
    if result["landed_rows"] == 0:
        raise AirflowSkipException(f"Nothing new landed from {source}; the build is not triggered.")
    return result


def build_step(name: str) -> dict[str, Any]:
    run_id = tasks.build_run_id(get_current_context()["dag_run"].run_after)
    return tasks.run_build_step(task_settings(), plans.build_step(name), run_id)


def build_report() -> dict[str, Any]:
    return tasks.build_report(task_settings())


def mail_report(manifest: dict[str, Any]) -> dict[str, Any]:
    return report_mail.mail_report(task_settings(), manifest)
