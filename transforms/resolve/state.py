"""What resolution keeps between runs: one DuckDB database of its outputs and state, the trained model as JSON.

The resolved database (attached as ``resolved``) holds the tables a run publishes (person, ..., field_provenance,
entity_source, finding, relations) and what the next run builds upon: per kind the id map ``<kind>_ids``
(record_id -> entity_id, with each record's fingerprint), the accepted match edges ``<kind>_edges`` and the members
with their features ``<kind>_members`` (what ``grassroots explain`` shows). An incremental run changes the rows of
the entities it touched in place, so its cost follows the change, not the city.

``<state>/resolve/resolved.duckdb`` is the base: the resolution of the last published build. A build resolves into
a copy of it in its own folder and publishing promotes that copy (``promote``), so a build that fails never becomes
the base of the next one. Called directly (tests, benchmarks), resolution works on a copy under ``runs/`` that
becomes the base when the run completes.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

log = logging.getLogger(__name__)

DB = "resolved"  # the alias of the resolved database on a resolving connection
BASE = "resolved.duckdb"


def table_exists(con: duckdb.DuckDBPyConnection, name: str, database: str = DB) -> bool:
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' AND table_name = ?",
        [database, name],
    ).fetchone()
    return bool(row and row[0])


def write_entities(
    con: duckdb.DuckDBPyConnection, name: str, rows: str, key: str, touched: str | None
) -> None:
    """``resolved.<name>`` from ``rows``: whole, or replacing only the rows whose ``key`` is one of the
    ``touched`` entities (a table of entity_id) when the table exists already."""
    if touched is None or not table_exists(con, name):
        con.execute(f"CREATE OR REPLACE TABLE {DB}.{name} AS SELECT * FROM {rows}")
        return
    con.execute(f"DELETE FROM {DB}.{name} WHERE {key} IN (SELECT entity_id FROM {touched})")
    con.execute(f"INSERT INTO {DB}.{name} BY NAME SELECT * FROM {rows}")


@dataclass(frozen=True)
class ResolveState:
    """The files of the resolution state under ``root`` (``<home>/state/resolve``)."""

    root: Path

    @property
    def base(self) -> Path:
        """The resolved database of the last published build (or of the last direct run)."""
        return self.root / BASE

    def run_database(self, run_id: str) -> Path:
        """Where a direct run (no build around it) resolves."""
        return self.root / "runs" / f"{run_id}.duckdb"

    def prune_runs(self, keep: int = 2) -> None:
        """Remove the databases of older direct runs (an open connection keeps reading its own)."""
        runs = sorted((self.root / "runs").glob("*.duckdb"), key=lambda p: p.stat().st_mtime)
        for old in runs[: max(len(runs) - keep, 0)]:
            old.unlink(missing_ok=True)
            Path(f"{old}.wal").unlink(missing_ok=True)

    @property
    def person_model(self) -> Path:
        return self.root / "person_model.json"

    @property
    def person_calibration(self) -> Path:
        return self.root / "person_calibration.json"

    def start(self, database: Path) -> None:
        """Make ``database`` a fresh copy of the base (or remove it when there is no base yet): the starting point
        of a build's resolve step, also when the step is run again."""
        database.unlink(missing_ok=True)
        Path(f"{database}.wal").unlink(missing_ok=True)
        if self.base.exists():
            database.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.base, database)

    def attach(self, con: duckdb.DuckDBPyConnection, database: Path) -> Path:
        """Attach a resolved database as ``resolved`` and let unqualified names find its tables after the
        connection's own; returns its path."""
        path = database
        path.parent.mkdir(parents=True, exist_ok=True)
        attached = {r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
        if DB not in attached:
            con.execute(f"ATTACH '{_quoted(path)}' AS {DB}")
        own = con.execute("SELECT current_database()").fetchone()
        con.execute(f"SET search_path = '{own[0] if own else 'memory'}.main,{DB}.main'")
        return path

    def open_base(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Attach the base read-only as ``resolved`` (for explain and eval); False when nothing was resolved yet."""
        if not self.base.exists():
            return False
        con.execute(f"ATTACH '{_quoted(self.base)}' AS {DB} (READ_ONLY)")
        return True

    def promote(self, database: Path) -> None:
        """Make a published build's resolved database the base of the next build (a hard link when it can)."""
        if not database.exists():
            log.warning("no resolved database at %s: the next build resolves everything", database)
            return
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / (BASE + ".tmp")
        tmp.unlink(missing_ok=True)
        try:
            os.link(database, tmp)  # the build never writes it again once published
        except OSError:
            shutil.copyfile(database, tmp)
        tmp.replace(self.base)

    def load(self, con: duckdb.DuckDBPyConnection, name: str, table: str) -> bool:
        """Copy the resolved table ``name`` into the temp table ``table``; False when there is none yet."""
        if not table_exists(con, name):
            return False
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {DB}.{name}")
        return True

    def save(self, con: duckdb.DuckDBPyConnection, source: str, name: str) -> None:
        """Write a table or a parenthesized query as the resolved table ``name``."""
        con.execute(f"CREATE OR REPLACE TABLE {DB}.{name} AS SELECT * FROM {source}")

    def read_json(self, path: Path) -> dict[str, Any] | None:
        if not path.exists():
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def write_json(self, path: Path, data: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
