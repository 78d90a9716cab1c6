"""What a build's stage keeps for the next one: its staged tables and what they were staged from.

The stage step leaves a copy of its working database right after staging (``<build>/staged.duckdb``: every
``stg_*`` table before validation removes anything, the standardize warnings, which record each enrichment row
describes) with ``staged.json`` beside it (newest load staged per table, reference date, legacy-sex decisions, a
fingerprint of the staging code and declarations). Publishing promotes both to ``<home>/staging/_stage/``: the next
build stages only what changed since the last *published* build and merges it into a copy of that database
(grassroots.pipeline.stage_changes). A failed or unpublished build never becomes the base of the next one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from extractors.state import StateDB, state_path
from grassroots.home import Home
from transforms.staging.plan import TablePlan

log = logging.getLogger(__name__)

VERSION = 1  # of what is kept; a change makes the next build stage everything
# Rows replaced in place leave DuckDB blocks behind: past this growth over the last full stage, stage everything.
GROWTH = 2.0
FOLDER = "_stage"  # under <home>/staging/; the underscore keeps it out of the engineers' staging views
DATABASE = "staged.duckdb"
META = "staged.json"

_ROOT = Path(__file__).resolve().parents[2]
# The code whose change can change a staged value: normalizers, staging, the canonical model and its code tables.
_CODE = ("transforms/*.py", "transforms/staging/*.py", "grassroots/pipeline/stage*.py", "schemas/**/*.py",
         "schemas/**/*.csv")  # fmt: skip
_PACKAGES = ("duckdb", "opencc", "pypinyin")  # what the normalizers call into (SQL functions, OpenCC, pinyin)


def table_name(p: TablePlan) -> str:
    return f"{p.source}.{p.table}"


def landed_marks(home: Home, plans: Iterable[TablePlan]) -> dict[str, str]:
    """The newest committed load of every declared table that has one (``source.table`` -> load id)."""
    if not state_path(home.root).exists():
        return {}
    state = StateDB(state_path(home.root))
    try:
        out: dict[str, str] = {}
        for source, table in dict.fromkeys((p.source, p.table) for p in plans):
            loads = state.committed(source, table)
            if loads:
                out[f"{source}.{table}"] = str(loads[-1]["load_id"])
        return out
    finally:
        state.close()


def committed_ids(home: Home, source: str, table: str) -> set[str]:
    state = StateDB(state_path(home.root))
    try:
        return {str(load["load_id"]) for load in state.committed(source, table)}
    finally:
        state.close()


def fingerprint(plans: Iterable[TablePlan]) -> str:
    """Changes whenever the staging of an unchanged landed row could: declarations, code, code tables, libraries."""
    digest = hashlib.sha256(f"v{VERSION}".encode())
    for p in plans:
        digest.update(repr(dataclasses.replace(p, owner_columns=frozenset())).encode())
        digest.update(repr(sorted(p.owner_columns)).encode())
    files = sorted({f for pattern in _CODE for f in _ROOT.glob(pattern) if f.is_file()})
    for f in files:
        digest.update(str(f.relative_to(_ROOT)).encode())
        digest.update(f.read_bytes())
    for package in _PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?".encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class Previous:
    """The stage state of the last published build."""

    database: Path
    meta: dict[str, Any]

    @property
    def as_of(self) -> dt.date:
        return dt.date.fromisoformat(self.meta["reference_date"])

    @property
    def marks(self) -> dict[str, str]:
        return dict(self.meta["marks"])

    @property
    def legacy(self) -> dict[str, bool]:
        return dict(self.meta["legacy"])


def folder(home: Home) -> Path:
    return home.staging / FOLDER


def previous(home: Home, plans: Iterable[TablePlan]) -> tuple[Previous | None, str]:
    """The last published build's stage state when it can be trusted, else None; and why not."""
    base = folder(home)
    database, meta_file = base / DATABASE, base / META
    if not meta_file.exists() or not database.exists():
        return None, "no published build has left its staged tables yet"
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return None, f"{meta_file} cannot be read ({exc})"
    if meta.get("version") != VERSION:
        return None, "the kept staged tables are of an older format"
    if meta.get("fingerprint") != fingerprint(plans):
        return (
            None,
            "the staging code, code tables or source declarations changed since the last published build",
        )
    return Previous(database, meta), ""


def meta(run_id: str, as_of: dt.date, plans: Iterable[TablePlan], data: dict[str, Any]) -> dict[str, Any]:
    """What ``staged.json`` records of one stage (``data``: the StageResult's JSON)."""
    return {
        "version": VERSION,
        "run_id": run_id,
        "reference_date": as_of.isoformat(),
        "fingerprint": fingerprint(plans),
        "marks": data["marks"],
        "legacy": data["legacy"],
        "tables": data["tables"],
        "relations": sorted(data["relations"]),
        "skipped": data["skipped"],
    }


def keep(build_dir: Path, database: Path, state: dict[str, Any], previous: Previous | None) -> None:
    """Copy the staged working database (closed) beside it, before validation changes it; ``previous``: the
    stage it was built upon (None: a full stage)."""
    shutil.copyfile(database, build_dir / DATABASE)
    full = previous.meta.get("full_bytes") if previous is not None else None
    state = {**state, "full_bytes": full or (build_dir / DATABASE).stat().st_size}
    (build_dir / META).write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")


def promote(home: Home, build_dir: Path) -> None:
    """Make a published build's kept stage the base of the next build (the meta last: it makes the pair valid)."""
    source_db, source_meta = build_dir / DATABASE, build_dir / META
    if not source_db.exists() or not source_meta.exists():
        log.warning("build %s kept no staged tables: the next build stages everything", build_dir.name)
        return
    base = folder(home)
    base.mkdir(parents=True, exist_ok=True)
    (base / META).unlink(missing_ok=True)
    tmp = base / (DATABASE + ".tmp")
    try:
        os.link(source_db, tmp)  # same file system: no copy
    except OSError:
        shutil.copyfile(source_db, tmp)
    tmp.replace(base / DATABASE)
    shutil.copyfile(source_meta, base / (META + ".tmp"))
    (base / (META + ".tmp")).replace(base / META)
