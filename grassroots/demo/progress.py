"""Progress while Airflow runs the demo's DAGs: follow the runner's log and say which DAG and task are under way.

The Airflow child writes everything to one log file and returns only at the end; without this, a newcomer would
watch minutes of silence.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
TASK_STARTED = re.compile(r"\[DAG TEST\] starting task_id=(\S+)")
RUN_FINISHED = re.compile(r"DagRun Finished: dag_id=([^,\s]+)")


def progress_line(line: str) -> tuple[str, str] | None:
    """("task", task_id) or ("dag", dag_id) when the log line starts a task or finishes a DAG run."""
    if match := TASK_STARTED.search(line):
        return "task", match.group(1)
    if match := RUN_FINISHED.search(line):
        return "dag", match.group(1)
    return None


def newest_runner_log(logs: Path, since: float) -> Path | None:
    found = [p for p in logs.glob("runner-*.log") if p.stat().st_mtime >= since] if logs.is_dir() else []
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def _follow(logs: Path, since: float, dag_ids: Sequence[str], stop: threading.Event) -> None:
    """Poll the runner log; DAGs run in the order of ``dag_ids``, so a finished run moves on to the next."""
    path, offset, done, started = None, 0, 0, time.monotonic()
    while not stop.wait(POLL_SECONDS):
        path = path or newest_runner_log(logs, since)
        if path is None:
            continue
        with path.open("rb") as handle:
            handle.seek(offset)
            chunk = handle.read()
        # Only whole lines: the writer may be in the middle of one.
        complete = chunk[: chunk.rfind(b"\n") + 1]
        offset += len(complete)
        for line in complete.decode("utf-8", errors="replace").splitlines():
            event = progress_line(line)
            if event is None:
                continue
            what, name = event
            seconds = time.monotonic() - started
            if what == "dag":
                done += 1
                log.info("[%4.0f s] %s finished (%d of %d DAGs)", seconds, name, done, len(dag_ids))
            else:
                dag = dag_ids[done] if done < len(dag_ids) else "?"
                log.info("[%4.0f s] %s: %s running", seconds, dag, name)


@contextlib.contextmanager
def follow_runner_log(logs: Path, dag_ids: Sequence[str]) -> Iterator[None]:
    """Log the progress found in the runner log that appears under ``logs`` while the block runs ``dag_ids``."""
    stop = threading.Event()
    thread = threading.Thread(
        target=_follow, args=(logs, time.time() - 1, dag_ids, stop), name="airflow-progress", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
