"""A failed DAG run stops the demo with the failed tasks and where the logs are."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from grassroots.config import Settings
from grassroots.demo import steps
from grassroots.errors import FatalError
from grassroots.orchestration import airflow_runner
from grassroots.orchestration.airflow_runner import DagRunResult


def fake_runs(states: dict[str, tuple[str, dict[str, str]]], log: Path) -> Any:
    def run(settings: Settings, dag_ids: Sequence[str], **kwargs: Any) -> list[DagRunResult]:
        assert kwargs["airflow_home"] == settings.paths.root / "airflow"
        return [DagRunResult(d, f"manual__{d}", *states[d], seconds=1.0, log=str(log)) for d in dag_ids]

    return run


def test_a_failed_build_names_its_tasks_and_the_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "airflow" / "logs" / "runner-1.log"
    states = {
        "grassroots_sync_grid": ("success", {"sync": "success"}),
        "grassroots_build": (
            "failed",
            {"stage": "success", "validate": "failed", "publish": "upstream_failed"},
        ),
    }
    monkeypatch.setattr(airflow_runner, "run_dags_locally", fake_runs(states, log))
    monkeypatch.setattr("grassroots.orchestration.plans.pipeline_dag_ids", lambda: list(states))

    with pytest.raises(FatalError) as failed:
        steps.run_through_airflow(Settings(home=tmp_path))

    message = str(failed.value)
    assert "grassroots_build failed (publish=upstream_failed, validate=failed)" in message
    assert "grassroots_sync_grid" not in message
    assert str(log) in message and str(tmp_path / "airflow" / "logs") in message


def test_successful_runs_report_their_seconds_and_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "airflow" / "logs" / "runner-1.log"
    states = {"grassroots_sync_grid": ("success", {"sync": "skipped"}), "grassroots_report": ("success", {})}
    monkeypatch.setattr(airflow_runner, "run_dags_locally", fake_runs(states, log))
    monkeypatch.setattr("grassroots.orchestration.plans.pipeline_dag_ids", lambda: list(states))

    passed = steps.run_through_airflow(Settings(home=tmp_path))

    assert passed.seconds == {"grassroots_sync_grid": 1.0, "grassroots_report": 1.0}
    assert passed.airflow_log == log
