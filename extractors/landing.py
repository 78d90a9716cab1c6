"""The landing zone: append-only Parquet per source, table and load, and the SQL that reads its current state.

Layout: ``<home>/landing/<source>/<table>/<load_id>/part-NNNNN.parquet`` plus ``_load.json``. Only loads the state
database marks committed are read; a folder of a load that never committed is an orphan and gets removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from extractors.state import StateDB, state_path
from grassroots.errors import FatalError
from grassroots.home import Home

log = logging.getLogger(__name__)

OPS = ("insert", "update", "delete")
META_COLUMNS = ("_load_id", "_op", "_row_hash", "_extracted_at")
FILE_META_COLUMNS = ("_file", "_line")


def table_dir(home: Path, source: str, table: str) -> Path:
    return Home(home).landing / source / table


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class LoadWriter:
    """Writes the part files of one load and keeps the figures its metadata records."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.rows = 0
        self.bytes = 0
        self.parts: list[str] = []
        self._digest = hashlib.sha256()
        self.schema: pa.Schema | None = None

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"part-{len(self.parts):05d}.parquet"
        pq.write_table(table, path, compression="zstd")
        data = path.read_bytes()
        self._digest.update(data)
        self.rows += table.num_rows
        self.bytes += len(data)
        self.parts.append(path.name)
        self.schema = self.schema or table.schema

    @property
    def checksum(self) -> str:
        return self._digest.hexdigest()

    def finish(self, metadata: dict[str, Any]) -> str | None:
        """Write ``_load.json`` beside the parts; returns the folder when anything landed."""
        if not self.parts:
            return None
        body = {
            **metadata,
            "rows": self.rows,
            "bytes": self.bytes,
            "checksum": self.checksum,
            "parts": self.parts,
        }
        (self.folder / "_load.json").write_text(
            json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        return str(self.folder)


def clean_orphans(home: Path, source: str, committed: set[str]) -> int:
    """Remove load folders of ``source`` that no committed load owns (a sync that died before its commit)."""
    removed = 0
    root = Home(home).landing / source
    for folder in root.glob("*/L*"):
        if folder.is_dir() and folder.name not in committed:
            shutil.rmtree(folder)
            removed += 1
    if removed:
        log.warning("removed %d orphan load folder(s) of %s left by an interrupted sync", removed, source)
    return removed


def _committed_loads(home: Path, source: str, table: str) -> list[dict[str, Any]]:
    state = StateDB(state_path(home))
    try:
        return state.committed(source, table)
    finally:
        state.close()


def scan_sql(globs: list[str]) -> str:
    listed = ", ".join(_literal(g) for g in globs)
    return f"read_parquet([{listed}], union_by_name = true)"


def latest_per_key_sql(relation: str, key: tuple[str, ...], by_line: bool) -> str:
    """The last version of each key in ``relation`` (later load wins; within a file, the later line)."""
    order = "_load_id DESC" + (", _line DESC NULLS LAST" if by_line else "")
    partition = ", ".join(quote(k) for k in key)
    return (
        f"SELECT * FROM {relation} QUALIFY row_number() OVER (PARTITION BY {partition} ORDER BY {order}) = 1"
    )


def current_from_sql(globs: list[str], key: tuple[str, ...], by_line: bool) -> str:
    """The live version of every record across the given load files: latest per key, deletions removed."""
    latest = latest_per_key_sql(scan_sql(globs), key, by_line)
    return f"SELECT * FROM ({latest}) WHERE _op <> 'delete'"


def changes_from_sql(globs: list[str], key: tuple[str, ...], by_line: bool, after_load_id: str) -> str:
    """The latest change of every key changed after ``after_load_id`` (including deletion rows)."""
    since = f"(SELECT * FROM {scan_sql(globs)} WHERE _load_id > {_literal(after_load_id)})"
    return latest_per_key_sql(since, key, by_line)


def _empty_sql(schema: list[tuple[str, str]], by_line: bool) -> str:
    cols = [f"CAST(NULL AS VARCHAR) AS {quote(name)}" for name, _ in schema]
    cols += [f"CAST(NULL AS VARCHAR) AS {c}" for c in ("_load_id", "_op", "_row_hash")]
    cols.append("CAST(NULL AS TIMESTAMPTZ) AS _extracted_at")
    if by_line:
        cols += ["CAST(NULL AS VARCHAR) AS _file", "CAST(NULL AS BIGINT) AS _line"]
    return f"SELECT {', '.join(cols)} WHERE false"


def _loads_or_fail(home: Path, source: str, table: str) -> tuple[list[dict[str, Any]], tuple[str, ...], bool]:
    loads = _committed_loads(home, source, table)
    if not loads:
        raise FatalError(
            f"{source}.{table} has never been synced into {home}; run `grassroots sync {source}` first"
        )
    key = tuple(json.loads(loads[-1]["key_json"]))
    by_line = any(load["file_name"] for load in loads)
    return loads, key, by_line


def _globs(loads: list[dict[str, Any]]) -> list[str]:
    return [str(Path(load["path"]) / "part-*.parquet") for load in loads if load["path"]]


def current_sql(home: Path, source: str, table: str) -> str:
    """DuckDB SQL for the current version of every live record of ``source.table`` (committed loads only)."""
    loads, key, by_line = _loads_or_fail(home, source, table)
    globs = _globs(loads)
    if not globs:
        return _empty_sql(json.loads(loads[-1]["schema_json"] or "[]"), by_line)
    return current_from_sql(globs, key, by_line)


def changes_sql(home: Path, source: str, table: str, after_load_id: str | None) -> str:
    """DuckDB SQL for what changed in ``source.table`` after a load (``None``: since the beginning).

    One row per changed key, its latest version, with ``_op`` telling insert, update or delete.
    """
    loads, key, by_line = _loads_or_fail(home, source, table)
    globs = _globs([load for load in loads if after_load_id is None or load["load_id"] > after_load_id])
    if not globs:
        return _empty_sql(json.loads(loads[-1]["schema_json"] or "[]"), by_line)
    return changes_from_sql(globs, key, by_line, after_load_id or "")


def last_load_id(home: Path, source: str, table: str) -> str | None:
    """The newest committed load of a table, for a later ``changes_sql(..., after_load_id=...)``."""
    loads = _committed_loads(home, source, table)
    return loads[-1]["load_id"] if loads else None
