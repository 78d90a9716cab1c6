"""The quarantine: every record a stage refuses lands here with its reason, never silently dropped.

Records are appended as Parquet files under ``<home>/quarantine/stage=<stage>/``; the warehouse exposes them all as the
table ``quarantine``. Offending values are masked before they are written (IDs and phones, see grassroots.privacy).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from grassroots.privacy import mask_text

SCHEMA = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field(
            "stage", pa.string(), nullable=False
        ),  # extract | standardize | validate | resolve | publish
        pa.field("source", pa.string(), nullable=False),  # source system, e.g. grid / civil / police
        pa.field("table_or_file", pa.string(), nullable=False),
        pa.field("record_key", pa.string()),  # primary key of the record, when it has one
        pa.field("line", pa.int64()),  # line or row number in a file, when it came from one
        pa.field("rule", pa.string(), nullable=False),  # machine-readable rule or expectation name
        pa.field("reason", pa.string(), nullable=False),  # human-readable: what is wrong and what to do
        pa.field("value_masked", pa.string()),  # the offending value, personal data masked
        pa.field("severity", pa.string(), nullable=False),  # error (refused) | warning (kept, reported)
        pa.field("occurred_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)


def quarantine_dir(home: Path) -> Path:
    return home / "quarantine"


def record(
    *,
    run_id: str,
    stage: str,
    source: str,
    table_or_file: str,
    rule: str,
    reason: str,
    record_key: str | None = None,
    line: int | None = None,
    value: Any = None,
    severity: str = "error",
) -> dict[str, Any]:
    """One quarantine row; the value is masked here so callers cannot forget to."""
    return {
        "run_id": run_id,
        "stage": stage,
        "source": source,
        "table_or_file": table_or_file,
        "record_key": record_key,
        "line": line,
        "rule": rule,
        "reason": mask_text(reason),
        "value_masked": None if value is None else mask_text(str(value)),
        "severity": severity,
        "occurred_at": datetime.now(UTC),
    }


def write(home: Path, stage: str, rows: Iterable[Mapping[str, Any]] | pa.Table) -> Path | None:
    """Append quarantine rows (dicts from :func:`record`, or an Arrow table of SCHEMA) for one stage.

    An Arrow table is trusted to be masked already: vectorized stages mask in SQL before they get here.
    """
    table = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(list(rows), schema=SCHEMA)
    if table.num_rows == 0:
        return None
    table = table.select(SCHEMA.names).cast(SCHEMA)
    folder = quarantine_dir(home) / f"stage={stage}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.parquet"
    tmp = path.with_suffix(".tmp")
    pq.write_table(table, tmp)
    tmp.rename(path)  # readers never see a half-written file
    return path


def glob(home: Path) -> str:
    """A glob that DuckDB's read_parquet(..., hive_partitioning=true) reads every quarantine file with."""
    return str(quarantine_dir(home) / "stage=*" / "*.parquet")
