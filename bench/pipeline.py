"""The whole pipeline at one city size and one placement of the source databases, stage by stage through the CLI.

simulate -> I/O floor -> run (sync + build) -> report --no-send -> eval -> resolution peer -> simulate advance
--days 1 -> incremental run. Each stage is its own child process (bench/measure.py).
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.measure import StageFigure, grassroots_argv, run_stage
from bench.targets import PRODUCT_STAGES, whole
from grassroots.errors import FatalError

log = logging.getLogger(__name__)


# Stock Splink blocks on birth date and name alone: at city scale it pairs everyone born on one day (about 100 M
# pairs at 1.2 M residents). It gets this long, and the memory of the machine target (bench/peer.py), to finish.
PEER_TIMEOUT_S = 900


@dataclass(frozen=True)
class Scenario:
    """One benchmark pass: city size, seed, where the grid and civil databases live, what to leave out."""

    people: int
    seed: int = 1
    dialect: str = "sqlite"  # sqlite: the embedded defaults; server: grid on MariaDB, civil on PostgreSQL
    peer: bool = True
    threads: int = 2
    only_run: bool = False  # demo size: simulate and run, nothing else


def last_json(stdout: str) -> dict[str, Any]:
    """The last line of a command's output that is a JSON object (commands may print a table first)."""
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                data: dict[str, Any] = json.loads(line)
            except json.JSONDecodeError:
                continue
            return data
    raise ValueError("no JSON object in the command's output")


def run_breakdown(wall_s: float, summary: dict[str, Any]) -> dict[str, float]:
    """Seconds per step of a ``run``: the build's own timings, and sync as what remains of the wall time.

    The run's JSON times stage/validate/resolve/publish but not sync, so "sync" also holds process start-up.
    """
    steps = {k: float(v) for k, v in summary.get("seconds", {}).items()}
    return {"sync (remainder)": max(0.0, wall_s - sum(steps.values())), **steps}


def landed_rows(summary: dict[str, Any]) -> int:
    return int(summary.get("sync", {}).get("landed_rows", 0))


@contextmanager
def source_urls(dialect: str) -> Iterator[list[str]]:
    """Extra ``simulate`` arguments placing the grid and civil databases; server databases dropped afterwards."""
    if dialect == "sqlite":
        yield []
        return
    if dialect != "server":
        raise FatalError(f"unknown dialect {dialect!r}: use sqlite or server")
    from bench.extract import databases  # the throw-away MariaDB/PostgreSQL databases of the extraction bench

    with databases() as (mariadb_url, pg_civil, _pg_grid):
        yield ["--grid-url", mariadb_url, "--civil-url", pg_civil]


def _checked(figure: StageFigure) -> StageFigure:
    if figure.exit_code != 0:
        raise FatalError(f"stage {figure.name} exited with {figure.exit_code}: {' '.join(figure.argv)}")
    return figure


def _python(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def run_scenario(scenario: Scenario, root: Path) -> dict[str, Any]:
    """Every stage of one scenario under ``root``: figures per stage plus what the run, eval and peer reported."""
    home = root / f"{scenario.dialect}-{scenario.people}"
    stages: dict[str, StageFigure] = {}
    result: dict[str, Any] = {"people": scenario.people, "dialect": scenario.dialect}
    with source_urls(scenario.dialect) as urls:
        city = ["simulate", "--people", str(scenario.people), "--seed", str(scenario.seed), "--force", *urls]
        stages["simulate"] = _checked(run_stage("simulate", grassroots_argv(home, *city)))
        if not scenario.only_run:
            floor = _checked(
                run_stage("floor", _python("bench.floor", "--home", str(home), "--out", str(root / "floor")))
            )
            result["floor"] = last_json(floor.stdout)
            floor.rows = stages["simulate"].rows = int(result["floor"]["rows"])
            stages["floor"] = floor
        stages["run"] = _run(home, "run", result, "run")
        if scenario.only_run:
            return _finish(result, stages)
        stages["report"] = _checked(run_stage("report", grassroots_argv(home, "report", "--no-send")))
        evaluation = _checked(run_stage("eval", grassroots_argv(home, "eval", "--json")))
        stages["eval"] = evaluation
        result["eval"] = last_json(evaluation.stdout)
        if scenario.peer:
            run_id = str(result["run"]["run_id"])
            peer_argv = _python(
                "bench.peer", "--home", str(home), "--run-id", run_id, "--threads", str(scenario.threads)
            )
            stages["peer"] = run_stage("peer", peer_argv, timeout_s=PEER_TIMEOUT_S)
            # The peer is a comparison, not the product: its failure is recorded and the pipeline goes on.
            result["peer"] = _peer_result(stages["peer"])
        stages["advance"] = _checked(
            run_stage("advance", grassroots_argv(home, "simulate", "advance", "--days", "1"))
        )
        stages["incremental"] = _run(home, "incremental", result, "incremental")
    return _finish(result, stages)


def _peer_result(figure: StageFigure) -> dict[str, Any]:
    if figure.exit_code == 0:
        return last_json(figure.stdout)
    if figure.exit_code == -9 and figure.wall_s >= PEER_TIMEOUT_S:
        return {"error": f"not done after {PEER_TIMEOUT_S} s, stopped"}
    return {"error": f"exit {figure.exit_code} (its log says why)"}


def _run(home: Path, name: str, result: dict[str, Any], key: str) -> StageFigure:
    figure = _checked(run_stage(name, grassroots_argv(home, "run", "--json")))
    summary = last_json(figure.stdout)
    figure.rows = landed_rows(summary)
    result[key] = {
        **summary,
        "breakdown": {k: round(v, 2) for k, v in run_breakdown(figure.wall_s, summary).items()},
    }
    return figure


def _finish(result: dict[str, Any], stages: dict[str, StageFigure]) -> dict[str, Any]:
    result["stages"] = {name: figure.to_json() for name, figure in stages.items()}
    result["whole"] = whole(result["stages"], PRODUCT_STAGES)
    return result
