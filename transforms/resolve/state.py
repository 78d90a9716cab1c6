"""What resolution keeps between runs under ``Home.state / 'resolve'``: id maps, match edges, the trained model."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResolveState:
    """Files of the resolution state; Parquet written through DuckDB, small JSON for the model and calibration."""

    root: Path

    def id_map(self, kind: str) -> Path:
        """record_id -> entity_id, with each record's fingerprint (to see what changed next time)."""
        return self.root / f"{kind}_ids.parquet"

    def edges(self, kind: str) -> Path:
        """Accepted match edges (a, b, rule, weight), reused when only part of the data changed."""
        return self.root / f"{kind}_edges.parquet"

    @property
    def person_model(self) -> Path:
        return self.root / "person_model.json"

    @property
    def person_calibration(self) -> Path:
        return self.root / "person_calibration.json"

    @property
    def last_run(self) -> Path:
        """The last run's decisions (members, edges, lineage, golden records) for ``grassroots explain``."""
        return self.root / "last_run"

    def snapshot(self, con: duckdb.DuckDBPyConnection, tables: dict[str, str]) -> None:
        """Write each query or table under ``last_run/<name>.parquet``."""
        self.last_run.mkdir(parents=True, exist_ok=True)
        for name, source in tables.items():
            self.save(con, f"({source})" if " " in source else source, self.last_run / f"{name}.parquet")

    def load(self, con: duckdb.DuckDBPyConnection, path: Path, table: str) -> bool:
        """Load a Parquet state file as a temp table; False when there is none yet."""
        if not path.exists():
            return False
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM read_parquet(?)", [str(path)])
        return True

    def save(self, con: duckdb.DuckDBPyConnection, table: str, path: Path) -> None:
        """Write atomically: a half-written id map would lose ids."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        con.execute(f"COPY {table} TO '{partial}' (FORMAT parquet)")
        partial.replace(path)

    def read_json(self, path: Path) -> dict[str, Any] | None:
        if not path.exists():
            return None
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def write_json(self, path: Path, data: dict[str, Any]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
