"""Run grassroots DAGs through Airflow itself on embedded defaults: SQLite metadata under the home, tasks in-process.

For the demo and the DAG tests. Airflow reads its configuration once per process, so each call runs a child
process (``python -m grassroots.orchestration.airflow_runner``) with its own AIRFLOW_HOME; the child creates the
metadata database if needed, creates the warehouse pool, then runs each DAG once with ``dag.test()``.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grassroots.config import Settings
from grassroots.errors import FatalError

log = logging.getLogger(__name__)

DAGS_FOLDER = Path(__file__).resolve().parents[2] / "dags"
RUN_TIMEOUT_SECONDS = 1800


@dataclass(frozen=True)
class DagRunResult:
    """The outcome of one DAG run: its state and the state of each task."""

    dag_id: str
    run_id: str
    state: str
    tasks: dict[str, str]
    seconds: float
    log: str
    """The log of the Airflow process that ran it (task logs included)."""

    @property
    def ok(self) -> bool:
        return self.state == "success"


def run_dags_locally(
    settings: Settings,
    dag_ids: Sequence[str],
    *,
    airflow_home: Path | None = None,
    retries: bool = False,
    extra_env: dict[str, str] | None = None,
    timeout: float = RUN_TIMEOUT_SECONDS,
) -> list[DagRunResult]:
    """Run each DAG once, in order, and return how each run ended (a failed run does not stop the next).

    With ``retries=False`` every task runs at most once, so a local run reports a failure at once instead of
    waiting out the exponential backoff; ``True`` keeps the DAGs' retry settings.
    """
    airflow_home = (airflow_home or settings.paths.root / "airflow").resolve()
    airflow_home.mkdir(parents=True, exist_ok=True)
    result_file = airflow_home / "last-run.json"
    result_file.unlink(missing_ok=True)
    # Only the given settings reach the tasks: GRASSROOTS_* variables of this process are not inherited.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("GRASSROOTS_")}
    env = {**inherited, **airflow_env(airflow_home), **settings_env(settings), **(extra_env or {})}
    command = [
        sys.executable,
        "-m",
        "grassroots.orchestration.airflow_runner",
        str(result_file),
        str(retries),
    ]
    command += dag_ids
    log_file = (
        airflow_home
        / "logs"
        / f"runner-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}.log"
    )
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, check=False
        )
    if done.returncode != 0 or not result_file.exists():
        raise FatalError(
            f"Airflow could not run {', '.join(dag_ids)} (exit code {done.returncode}); see {log_file}."
        )
    results = json.loads(result_file.read_text(encoding="utf-8"))
    return [DagRunResult(**item, log=str(log_file)) for item in results]


def airflow_env(airflow_home: Path) -> dict[str, str]:
    """Embedded defaults: SQLite metadata database and logs under ``airflow_home``, our DAG folder, no examples."""
    return {
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home / 'airflow.db'}",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
    }


def settings_env(settings: Settings) -> dict[str, str]:
    """The settings as GRASSROOTS_* variables, so the child (and the tasks in it) see exactly these settings."""
    env = {}
    for name, value in settings.model_dump(mode="json").items():
        if value is None:
            continue
        if hasattr(getattr(settings, name), "get_secret_value"):
            value = getattr(settings, name).get_secret_value()
        text = json.dumps(value) if isinstance(value, list | dict) else str(value)
        env[f"GRASSROOTS_{name.upper()}"] = text
    env["GRASSROOTS_HOME"] = str(settings.home.resolve())
    return env


def _run_in_child(dag_ids: Sequence[str], retries: bool) -> list[dict[str, Any]]:
    """Inside the child process: prepare the metadata database and pool, then run each DAG with dag.test()."""
    from airflow.dag_processing.dagbag import DagBag
    from airflow.models.pool import Pool
    from airflow.utils import db

    from grassroots.orchestration.plans import WAREHOUSE_POOL

    db.upgradedb()
    Pool.create_or_update_pool(
        WAREHOUSE_POOL, slots=1, description="One writer to the warehouse at a time", include_deferred=False
    )
    bag = DagBag(dag_folder=DAGS_FOLDER)
    if bag.import_errors:
        raise FatalError(f"DAG files failed to import: {bag.import_errors}")
    results = []
    for dag_id in dag_ids:
        dag = bag.get_dag(dag_id)
        if dag is None:
            raise FatalError(f"No DAG {dag_id!r} in {DAGS_FOLDER}; known: {', '.join(sorted(bag.dag_ids))}")
        if not retries:
            for task in dag.tasks:
                task.retries = 0
        started = time.monotonic()
        run = dag.test()
        tasks = {ti.task_id: str(ti.state) for ti in run.get_task_instances()}
        results.append(
            {
                "dag_id": dag_id,
                "run_id": run.run_id,
                "state": str(run.state),
                "tasks": tasks,
                "seconds": round(time.monotonic() - started, 2),
            }
        )
    return results


if __name__ == "__main__":
    _result_path, _retries, *_dag_ids = sys.argv[1:]
    Path(_result_path).write_text(json.dumps(_run_in_child(_dag_ids, _retries == "True")), encoding="utf-8")
