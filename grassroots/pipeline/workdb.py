"""The build's working database: one DuckDB file per build under ``<home>/staging/_builds/<run_id>/``, spilling to disk.

Every step of a build opens the same file, so a DAG can run the steps as separate tasks that pass only the run id.
After a publish, ``<home>/staging/_published.json`` points at that build's working database: engineers query its
staged tables as ``staging.*`` views (warehouse.access), read in place.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb

from grassroots import duck
from grassroots.config import Settings
from grassroots.errors import FatalError

KEEP_BUILDS = 2  # working folders of older builds are removed after a successful publish


def builds_root(settings: Settings) -> Path:
    return settings.paths.staging / "_builds"


def build_dir(settings: Settings, run_id: str) -> Path:
    return builds_root(settings) / run_id


def db_path(settings: Settings, run_id: str) -> Path:
    return build_dir(settings, run_id) / "work.duckdb"


def resolved_path(settings: Settings, run_id: str) -> Path:
    """The build's resolved database: what it publishes, and (once published) the base of the next build."""
    return build_dir(settings, run_id) / "resolved.duckdb"


def connect(
    settings: Settings, run_id: str, *, fresh: bool = False, seed: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the working database of build ``run_id`` (``fresh``: start it over, as the stage step does, from a
    copy of the database ``seed`` when given)."""
    folder = build_dir(settings, run_id)
    if fresh and folder.exists():
        shutil.rmtree(folder)
    path = db_path(settings, run_id)
    if fresh and seed is not None:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed, path)
    if not fresh and not path.exists():
        raise FatalError(f"build {run_id} has no working database at {path}: run its stage step first")
    folder.mkdir(parents=True, exist_ok=True)
    con = duck.connect(path, settings, spill=folder / "spill")
    con.execute("SET preserve_insertion_order = false")
    return con


def reference_date(settings: Settings) -> dt.date:
    """ "Today" for validation and dates: the simulated day recorded by the simulator when there is one."""
    recorded = settings.paths.read_systems().get("today")
    return dt.date.fromisoformat(str(recorded)) if recorded else dt.date.today()


def write_meta(settings: Settings, run_id: str, step: str, data: Mapping[str, Any]) -> None:
    """Keep each step's summary beside the working database (what a re-run or a support question reads)."""
    path = build_dir(settings, run_id) / f"{step}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")


def read_meta(settings: Settings, run_id: str, step: str) -> dict[str, Any] | None:
    """A step's summary as ``write_meta`` left it, or None when the step has not run."""
    path = build_dir(settings, run_id) / f"{step}.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def prune(settings: Settings, keep: str) -> None:
    """Remove the working folders of older builds, keeping ``keep`` and the newest others up to KEEP_BUILDS."""
    root = builds_root(settings)
    if not root.exists():
        return
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and p.name != keep), key=lambda p: p.stat().st_mtime
    )
    for old in folders[: max(len(folders) - (KEEP_BUILDS - 1), 0)]:
        shutil.rmtree(old, ignore_errors=True)


PUBLISHED = "_published.json"  # under <home>/staging/: which build's staged tables engineers see


def mark_published(settings: Settings, run_id: str, tables: Mapping[str, str]) -> None:
    """Point the engineers' ``staging.*`` views at this build's staged tables, read in place from its working
    database (pruning keeps the published build's folder). Written whole, then renamed: a reader sees the old
    pointer or the new one."""
    pointer = settings.paths.staging / PUBLISHED
    body = {
        "run_id": run_id,
        "database": str(db_path(settings, run_id).relative_to(settings.paths.root)),
        "tables": sorted(tables.values()),
    }
    tmp = pointer.with_suffix(".tmp")
    tmp.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
    tmp.replace(pointer)


def published_staging(home: Path) -> tuple[Path, list[str]] | None:
    """The working database of the last published build and its staged tables, or None before the first."""
    pointer = home / "staging" / PUBLISHED
    if not pointer.exists():
        return None
    body = json.loads(pointer.read_text(encoding="utf-8"))
    database = home / body["database"]
    return (database, list(body["tables"])) if database.exists() else None
