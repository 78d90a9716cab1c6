"""Validation results of every run, kept as Parquet under ``<home>/quality/validation_result/`` for reports and trends.

One file per run and phase, appended, never rewritten; the columns are schemas' ``validation_result`` table.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from grassroots.home import Home
from schemas.model import arrow_schema
from schemas.quality import VALIDATION_RESULT

SCHEMA: pa.Schema = arrow_schema(VALIDATION_RESULT)


def results_dir(home: Home) -> Path:
    return home.root / "quality" / "validation_result"


def glob(home: Home) -> str:
    """A glob DuckDB's read_parquet reads every run's results with."""
    return str(results_dir(home) / "*.parquet")


def table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(list(rows), schema=SCHEMA)


def write(home: Home, run_id: str, results: pa.Table) -> Path | None:
    """Append one run's results; readers never see a half-written file."""
    if results.num_rows == 0:
        return None
    folder = results_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    safe_run = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in run_id)
    path = folder / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{safe_run}-{uuid.uuid4().hex[:8]}.parquet"
    tmp = path.with_suffix(".tmp")
    pq.write_table(results.select(SCHEMA.names).cast(SCHEMA), tmp)
    tmp.rename(path)
    return path
