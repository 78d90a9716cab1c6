"""Benchmark results as JSON files under bench/results: the machine they ran on, saving, finding the latest per size."""

from __future__ import annotations

import json
import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

RESULTS_DIR = Path(__file__).parent / "results"
# <timestamp>-<people>.json, e.g. 20261125T0430Z-100000.json; other benches' files are named differently.
RESULT_NAME = re.compile(r"^(\d{8}T\d{4,6}Z)-(\d+)\.json$")


def _cpu_model(cpuinfo: str) -> str:
    for line in cpuinfo.splitlines():
        if line.lower().startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _memory_gb(meminfo: str) -> float:
    for line in meminfo.splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 1024 / 1024, 1)
    return 0.0


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def machine() -> dict[str, Any]:
    """What the figures were measured on; the load average shows whether other work shared the cores."""
    return {
        "cpu": _cpu_model(_read("/proc/cpuinfo")),
        "cores": os.cpu_count(),
        "memory_gb": _memory_gb(_read("/proc/meminfo")),
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "load_average": [round(x, 1) for x in os.getloadavg()],
    }


def result_name(started: datetime, people: int) -> str:
    return f"{started.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}-{people}.json"


def save(result: dict[str, Any], folder: Path, started: datetime) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / result_name(started, int(result["people"]))
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def latest_by_size(folder: Path) -> dict[int, dict[str, Any]]:
    """The newest result file of each city size (names sort by time)."""
    found: dict[int, Path] = {}
    for path in sorted(folder.glob("*.json")):
        match = RESULT_NAME.match(path.name)
        if match:
            found[int(match.group(2))] = path
    return {people: json.loads(p.read_text(encoding="utf-8")) for people, p in sorted(found.items())}
