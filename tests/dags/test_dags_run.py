"""The DAGs run end to end through Airflow on a tiny simulated city, and a second pass changes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from grassroots.config import Settings
from grassroots.orchestration.airflow_runner import DagRunResult, run_dags_locally
from grassroots.orchestration.plans import (
    BUILD_DAG_ID,
    BUILD_STEPS,
    PUBLISHED_ASSET,
    WAREHOUSE_POOL,
    pipeline_dag_ids,
    sync_plans,
)

pytestmark = [pytest.mark.airflow, pytest.mark.slow]


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated city of 300 people, built once for the module."""
    home = tmp_path_factory.mktemp("city")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "grassroots.cli",
            "-q",
            "--home",
            str(home),
            "simulate",
            "--people",
            "300",
            "--seed",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        reason = f"'grassroots simulate' failed (exit {done.returncode}): {done.stderr.strip()[-500:]}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}. Under CI the simulator must work.")
        pytest.skip(reason)
    return home


def landed_files(home: Path) -> dict[str, int]:
    return {str(p.relative_to(home)): p.stat().st_size for p in (home / "landing").rglob("*") if p.is_file()}


def asset_events(airflow_home: Path) -> dict[str, int]:
    with sqlite3.connect(airflow_home / "airflow.db") as db:
        rows = db.execute(
            "SELECT a.name, count(*) FROM asset_event e JOIN asset a ON a.id = e.asset_id GROUP BY a.name"
        ).fetchall()
    return dict(rows)


def errors_in(results: dict[str, DagRunResult]) -> str:
    """The error lines of the Airflow log, for the assertion message (the log lives in a temporary folder)."""
    log = Path(next(iter(results.values())).log).read_text(encoding="utf-8")
    return "\n".join(line[:400] for line in log.splitlines() if "error" in line.lower())[-4000:]


def by_id(results: list[DagRunResult]) -> dict[str, DagRunResult]:
    return {r.dag_id: r for r in results}


def test_pipeline_runs_then_a_second_pass_lands_nothing(
    city: Path, airflow_home: Path, smtp_inbox: tuple[Any, int]
) -> None:
    inbox, port = smtp_inbox
    settings = Settings(
        home=city,
        privacy_key=SecretStr("dag-test-key"),
        smtp_host="127.0.0.1",
        smtp_port=port,
        report_to=["bdc@example.org"],
    )
    dag_ids = pipeline_dag_ids()
    plans = sync_plans()

    first = by_id(run_dags_locally(settings, dag_ids, airflow_home=airflow_home, timeout=600))

    print({dag_id: run.seconds for dag_id, run in first.items()})
    states = {dag_id: run.state for dag_id, run in first.items()}
    assert states == dict.fromkeys(dag_ids, "success"), errors_in(first)
    for plan in plans:
        assert first[plan.dag_id].tasks["sync"] == "success", plan.source
        if plan.watch_folder:
            assert first[plan.dag_id].tasks["check_drop_folder"] == "success"
    events = asset_events(airflow_home)
    assert {plan.asset: events.get(plan.asset) for plan in plans} == {plan.asset: 1 for plan in plans}
    landed = landed_files(city)
    assert landed, "the syncs landed no file"
    if BUILD_STEPS:
        assert first[BUILD_DAG_ID].tasks == {step.name: "success" for step in BUILD_STEPS}
        assert events.get(PUBLISHED_ASSET) == 1
    assert first["grassroots_report"].tasks == {"build_report": "success", "mail_report": "success"}
    [report] = inbox.messages
    assert report["To"] == "bdc@example.org" and "Data-quality report" in str(report["Subject"])
    assert report.get_body(preferencelist=("html",)) is not None
    with sqlite3.connect(airflow_home / "airflow.db") as db:
        assert db.execute("SELECT slots FROM slot_pool WHERE pool = ?", (WAREHOUSE_POOL,)).fetchall() == [
            (1,)
        ]

    second = by_id(
        run_dags_locally(settings, [p.dag_id for p in plans], airflow_home=airflow_home, timeout=600)
    )

    for plan in plans:
        run = second[plan.dag_id]
        assert run.state == "success", errors_in(second)
        # Nothing new: the sync is skipped (a drop folder stops at its check), so no asset event and no build.
        assert run.tasks["sync"] == "skipped", plan.source
    assert asset_events(airflow_home) == events
    assert landed_files(city) == landed
