"""One pass of the pipeline for the demo: the sync DAGs, the build DAG and the report DAG through Airflow, or the same
steps through the pipeline functions when Airflow cannot start (``--no-airflow``).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from grassroots.config import Settings
from grassroots.demo.progress import follow_runner_log
from grassroots.errors import FatalError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassResult:
    """How the pass went: seconds per DAG (or step), and the Airflow log when Airflow ran it."""

    seconds: dict[str, float] = field(default_factory=dict)
    airflow_log: Path | None = None


def airflow_home(settings: Settings) -> Path:
    return settings.paths.root / "airflow"


def run_through_airflow(settings: Settings) -> PassResult:
    """Every pipeline DAG once, in order, through Airflow on its embedded defaults; a failed run stops the demo."""
    from grassroots.orchestration.airflow_runner import run_dags_locally
    from grassroots.orchestration.plans import pipeline_dag_ids

    dag_ids = pipeline_dag_ids()
    log.info(
        "running %d DAGs through Airflow (%s): %s", len(dag_ids), airflow_home(settings), ", ".join(dag_ids)
    )
    with follow_runner_log(airflow_home(settings) / "logs", dag_ids):
        results = run_dags_locally(settings, dag_ids, airflow_home=airflow_home(settings))
    failed = [r for r in results if not r.ok]
    if failed:
        lines = "; ".join(f"{r.dag_id} {r.state} ({failed_tasks(r.tasks)})" for r in failed)
        raise FatalError(
            f"Airflow runs failed: {lines}. Task logs are in {airflow_home(settings) / 'logs'}, the whole run "
            f"in {results[0].log}; fix the cause and run 'grassroots demo' again (or --no-airflow to bypass Airflow)"
        )
    for r in results:
        log.info("%s: %s in %.1f s", r.dag_id, r.state, r.seconds)
    return PassResult({r.dag_id: r.seconds for r in results}, Path(results[0].log) if results else None)


def failed_tasks(tasks: dict[str, str]) -> str:
    bad = {task: state for task, state in tasks.items() if state not in ("success", "skipped")}
    return ", ".join(f"{task}={state}" for task, state in sorted(bad.items())) or "no task failed"


def run_directly(settings: Settings) -> PassResult:
    """The same pass without Airflow: sync every source, build, then build and mail the report."""
    from grassroots.pipeline.build import build
    from grassroots.pipeline.report import build_report, send_report
    from grassroots.pipeline.sync import raise_for_failures, sync

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    raise_for_failures(sync(settings))
    seconds["sync"] = time.perf_counter() - started
    started = time.perf_counter()
    build(settings)
    seconds["build"] = time.perf_counter() - started
    started = time.perf_counter()
    send_report(settings, build_report(settings))
    seconds["report"] = time.perf_counter() - started
    for step, took in seconds.items():
        log.info("%s done in %.1f s", step, took)
    return PassResult(seconds)
