"""Progress of the Airflow run: task starts and finished DAG runs are read from the runner log as it grows."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from grassroots.demo import progress
from grassroots.demo.progress import follow_runner_log, progress_line

STARTED = (
    "2026-11-25T04:29:06Z [info] [DAG TEST] starting task_id=stage map_index=-1 [airflow.sdk] loc=dag.py:1501"
)
FINISHED = (
    "2026-11-25T04:29:03Z [info] DagRun Finished: dag_id=grassroots_sync_civil, logical_date=2026-11-25"
)


def test_progress_lines_are_recognised() -> None:
    assert progress_line(STARTED) == ("task", "stage")
    assert progress_line(FINISHED) == ("dag", "grassroots_sync_civil")
    assert progress_line("[info] Pushing xcom task_id='sync'") is None


def test_the_follower_logs_lines_as_they_are_written(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "POLL_SECONDS", 0.05)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "runner-old.log").write_text(STARTED + "\n", encoding="utf-8")
    old = time.time() - 3600
    os.utime(logs / "runner-old.log", (old, old))
    with (
        caplog.at_level(logging.INFO, logger=progress.__name__),
        follow_runner_log(logs, ["grassroots_sync_civil", "grassroots_build"]),
    ):
        runner = logs / "runner-new.log"
        with runner.open("w", encoding="utf-8") as out:
            out.write(FINISHED + "\n" + STARTED[:40])  # the second line is still being written
            out.flush()
            time.sleep(0.3)
            out.write(STARTED[40:] + "\n")
            out.flush()
            time.sleep(0.3)
    messages = [r.getMessage() for r in caplog.records]
    assert [m.split("] ", 1)[1] for m in messages] == [
        "grassroots_sync_civil finished (1 of 2 DAGs)",
        "grassroots_build: stage running",
    ]
