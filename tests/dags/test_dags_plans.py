"""The orchestration plan follows the source registry; build run ids are stable and safe in names."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from extractors.declare import FileSource
from extractors.registry import registry
from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.orchestration import tasks
from grassroots.orchestration.plans import (
    BUILD_DAG_ID,
    BUILD_STEPS,
    DEFAULT_DATABASE_SCHEDULE,
    DROP_FOLDER_CHECK,
    REPORT_DAG_ID,
    SCHEDULES,
    pipeline_dag_ids,
    sync_plans,
)


def test_one_plan_per_declared_source_with_its_kind_of_schedule() -> None:
    declared = registry()
    plans = {plan.source: plan for plan in sync_plans()}
    assert set(plans) == set(declared)
    for name, source in declared.items():
        watch = isinstance(source, FileSource)
        assert plans[name].watch_folder is watch
        default = DROP_FOLDER_CHECK if watch else DEFAULT_DATABASE_SCHEDULE
        assert plans[name].schedule == SCHEDULES.get(name, default)
    assert plans["grid"].schedule == timedelta(minutes=30)
    assert plans["police"].watch_folder


def test_pipeline_order_is_syncs_then_build_then_report() -> None:
    ids = pipeline_dag_ids()
    assert ids[: len(registry())] == [f"grassroots_sync_{name}" for name in registry()]
    assert ids[-1] == REPORT_DAG_ID
    assert (BUILD_DAG_ID in ids) is bool(BUILD_STEPS)


def test_build_run_id_is_stable_per_airflow_run_and_sorts_by_time() -> None:
    run_after = datetime(2026, 11, 25, 11, 30, tzinfo=timezone(timedelta(hours=8)))
    assert tasks.build_run_id(run_after) == "b_20261125T033000000000Z"
    later = tasks.build_run_id(run_after + timedelta(microseconds=1))
    assert later > tasks.build_run_id(run_after)
    assert re.fullmatch(r"b_\d{8}T\d{12}Z", later)


def test_unknown_source_is_fatal() -> None:
    with pytest.raises(FatalError, match="unknown source"):
        tasks.declared_source("tax")


def test_database_source_has_no_drop_folder_to_check() -> None:
    with pytest.raises(FatalError, match="is a database"):
        tasks.check_drop_folder(Settings(), "grid")
