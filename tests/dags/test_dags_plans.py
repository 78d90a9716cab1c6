"""The orchestration plan follows the source registry; build run ids are stable and safe in names."""

from __future__ import annotations

import re
from datetime import timedelta

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


def test_build_run_id_is_stable_per_airflow_run_and_safe_in_names() -> None:
    run = "scheduled__2026-11-25T03:30:00+00:00"
    assert tasks.build_run_id(run) == tasks.build_run_id(run)
    assert tasks.build_run_id(run) != tasks.build_run_id("manual__2026-11-25T03:30:00+00:00")
    assert re.fullmatch(r"b_[0-9a-f]{16}", tasks.build_run_id(run))


def test_unknown_source_is_fatal() -> None:
    with pytest.raises(FatalError, match="unknown source"):
        tasks.declared_source("tax")


def test_database_source_has_no_drop_folder_to_check() -> None:
    with pytest.raises(FatalError, match="is a database"):
        tasks.check_drop_folder(Settings(), "grid")
