"""One benchmark stage as a child process: wall time, CPU time and the child's own peak resident memory.

Peak memory comes from ``os.wait4`` on that one child (Linux ``ru_maxrss``: the largest resident set of the process or
of any descendant it waited for), so each stage is measured alone, unlike ``RUSAGE_CHILDREN`` which keeps the maximum
over every child so far. Linux also carries the forking process's resident set into a child's ``ru_maxrss`` across
exec, so the stage is forked by a small launcher process rather than by this (large) one. CLI stages run the venv's
``grassroots`` entry point directly, not through ``uv run``.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from grassroots.errors import FatalError

log = logging.getLogger(__name__)

# Forks and waits for the stage, killing it after argv[2] seconds (0: never); writes "exit-code cpu-seconds
# max-rss-kb" to the file named by argv[1].
_LAUNCHER = """
import os, signal, sys
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[3], sys.argv[3:])
    finally:
        os._exit(127)
signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))
signal.alarm(int(sys.argv[2]))
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
"""


@dataclass
class StageFigure:
    """What one stage cost: seconds of wall and CPU, peak resident set in MB, rows it handled, its stdout."""

    name: str
    argv: list[str]
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    exit_code: int
    rows: int | None = None
    stdout: str = field(default="", repr=False)

    @property
    def rows_per_s(self) -> float | None:
        if not self.rows or self.wall_s <= 0:
            return None
        return self.rows / self.wall_s

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["stdout"]
        data["wall_s"] = round(self.wall_s, 2)
        data["cpu_s"] = round(self.cpu_s, 2)
        data["peak_rss_mb"] = round(self.peak_rss_mb)
        data["rows_per_s"] = round(self.rows_per_s) if self.rows_per_s else None
        return data


def grassroots_argv(home: Path, *args: str) -> list[str]:
    """The CLI as the venv installs it, in quiet mode, on ``home``."""
    exe = Path(sys.executable).with_name("grassroots")
    program = str(exe) if exe.exists() else shutil.which("grassroots")
    if program is None:
        raise FatalError("no grassroots entry point next to this Python; run 'uv sync' first")
    return [program, "--home", str(home), "-q", *args]


def run_stage(
    name: str, argv: Sequence[str], env: dict[str, str] | None = None, timeout_s: int = 0
) -> StageFigure:
    """Run ``argv`` as a child process and measure it; its stderr goes to ours (logs), its stdout is kept.

    ``timeout_s``: kill it (exit -9) after that many seconds; 0 waits for ever."""
    log.info("stage %s: %s", name, " ".join(argv))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "usage"
        launcher = [sys.executable, "-S", "-c", _LAUNCHER, str(report), str(int(timeout_s)), *argv]
        with subprocess.Popen(
            launcher, stdout=subprocess.PIPE, env={**os.environ, **(env or {})}, text=True
        ) as proc:
            # Read stdout before waiting so a chatty child cannot block on a full pipe.
            assert proc.stdout is not None
            stdout = proc.stdout.read()
            proc.wait()
        if not report.exists():
            raise FatalError(f"stage {name}: the launcher could not start {argv[0]} (exit {proc.returncode})")
        exit_code, cpu_s, max_rss_kb = report.read_text().split()
    wall = time.perf_counter() - started
    figure = StageFigure(
        name=name,
        argv=list(argv),
        wall_s=wall,
        cpu_s=float(cpu_s),
        peak_rss_mb=int(max_rss_kb) / 1024,  # Linux reports kilobytes
        exit_code=int(exit_code),
        stdout=stdout,
    )
    log.info("stage %s: %.1f s, %.0f MB, exit %d", name, wall, figure.peak_rss_mb, figure.exit_code)
    return figure


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()
