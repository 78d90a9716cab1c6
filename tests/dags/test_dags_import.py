"""The DagBag imports every DAG file without errors, quickly, and the DAGs are wired as documented."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.registry import registry
from grassroots.orchestration.airflow_runner import airflow_env
from grassroots.orchestration.plans import (
    BUILD_DAG_ID,
    BUILD_STEPS,
    PUBLISHED_ASSET,
    REPORT_DAG_ID,
    WAREHOUSE_POOL,
)

pytestmark = pytest.mark.airflow

# Runs in a child so Airflow reads the test's AIRFLOW_HOME, not the developer's.
INSPECT = """
import json, sys, time
started = time.monotonic()
from airflow.dag_processing.dagbag import DagBag
imported = time.monotonic()
bag = DagBag()
filled = time.monotonic()
dags = {}
for dag_id, dag in bag.dags.items():
    dags[dag_id] = {
        "schedule": repr(dag.schedule),
        "max_active_runs": dag.max_active_runs,
        "catchup": dag.catchup,
        "tasks": {
            t.task_id: {
                "pool": t.pool,
                "outlets": [a.name for a in t.outlets],
                "retries": t.retries,
                "has_retry_policy": t.retry_policy is not None,
                "has_failure_callback": bool(t.on_failure_callback),
                "upstream": sorted(t.upstream_task_ids),
            }
            for t in dag.tasks
        },
    }
stats = [{"file": s.file, "seconds": s.duration.total_seconds()} for s in bag.dagbag_stats]
json.dump({"errors": {str(k): v for k, v in bag.import_errors.items()}, "dags": dags, "stats": stats,
           "import_airflow_s": imported - started, "fill_s": filled - imported}, sys.stdout)
"""


def inspect_dagbag(airflow_home: Path) -> dict:
    env = {**os.environ, **airflow_env(airflow_home), "AIRFLOW__LOGGING__LOGGING_LEVEL": "ERROR"}
    done = subprocess.run(
        [sys.executable, "-c", INSPECT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_dagbag_imports_all_dag_files_fast(airflow_home: Path) -> None:
    bag = inspect_dagbag(airflow_home)
    assert bag["errors"] == {}
    print(
        f"import airflow {bag['import_airflow_s']:.2f}s, fill DagBag {bag['fill_s']:.2f}s, files {bag['stats']}"
    )
    # Airflow's default dagbag_import_timeout is 30 s per file; parsing runs every 30 s, so stay far below.
    for stat in bag["stats"]:
        assert stat["seconds"] < 5, stat

    dags = bag["dags"]
    for name, source in registry().items():
        dag = dags[f"grassroots_sync_{name}"]
        assert dag["max_active_runs"] == 1 and dag["catchup"] is False
        sync = dag["tasks"]["sync"]
        assert sync["outlets"] == [f"grassroots_landed_{name}"]
        assert sync["has_retry_policy"] and sync["has_failure_callback"] and sync["retries"] >= 3
        if hasattr(source, "kinds"):  # a drop folder: a cheap check first, short-circuiting the sync
            assert sync["upstream"] == ["check_drop_folder"]
        else:
            assert sync["upstream"] == []
    assert dags["grassroots_sync_grid"]["schedule"] == "datetime.timedelta(seconds=1800)"

    report = dags[REPORT_DAG_ID]
    assert PUBLISHED_ASSET in report["schedule"] and report["max_active_runs"] == 1
    assert report["tasks"]["mail_report"]["upstream"] == ["build_report"]
    if not BUILD_STEPS:
        assert BUILD_DAG_ID not in dags
        return
    build = dags[BUILD_DAG_ID]
    assert build["max_active_runs"] == 1
    assert all(landed in build["schedule"] for landed in (f"grassroots_landed_{name}" for name in registry()))
    assert {t["pool"] for t in build["tasks"].values()} == {WAREHOUSE_POOL}
    assert build["tasks"][BUILD_STEPS[-1].name]["outlets"] == [PUBLISHED_ASSET]
