"""Validation results of every run, kept as Parquet under ``<home>/quality/validation_result/`` for reports and trends.

One file per run, appended, never rewritten; the columns are schemas' ``validation_result`` table. Rows with an empty
``source`` are GX's results over a whole table; staging tables add one row per rule and source system.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from expectations.gx_run import GxResult
from expectations.suites import Suite
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


@dataclass(frozen=True)
class SourceCounts:
    """One source system's share of a staging table: its rows, and its failing rows per rule."""

    rows: int
    failing: dict[str, int]


def rows(
    run_id: str,
    suite: Suite,
    verdicts: Sequence[GxResult],
    rows_checked: int,
    by_source: Mapping[str, SourceCounts],
) -> list[dict[str, Any]]:
    """GX's verdict per rule (``source`` empty), then, for staging tables, the same rule per source system.

    The per-source rows count the failing rows the rule's SQL predicate found (the same rows GX counted in total)
    over all of that system's rows, so the report can tell each system what to correct and follow its trend.
    """
    severity = {r.name: r.severity for r in suite.rules}
    now = datetime.now(UTC)
    out: list[dict[str, Any]] = []
    for v in verdicts:
        element_count = v.element_count if v.element_count is not None else rows_checked
        base: dict[str, Any] = {
            "run_id": run_id,
            "suite": suite.name,
            "expectation": v.rule,
            "expectation_type": v.expectation_type,
            "table_name": suite.table,
            "column_name": v.column,
            "severity": severity[v.rule],
            "validated_at": now,
        }
        out.append(
            base
            | {
                "source": None,
                "success": v.success,
                "element_count": element_count,
                "unexpected_count": v.unexpected_count,
                "unexpected_percent": _percent(v.unexpected_percent, v.unexpected_count, element_count),
            }
        )
        for system, counts in sorted(by_source.items()):
            failing = counts.failing.get(v.rule, 0)
            out.append(
                base
                | {
                    "source": system,
                    "success": failing == 0,
                    "element_count": counts.rows,
                    "unexpected_count": failing,
                    "unexpected_percent": _percent(None, failing, counts.rows),
                }
            )
    return out


def _percent(given: float | None, unexpected: int | None, elements: int) -> float | None:
    if given is not None or unexpected is None:
        return given
    return 100.0 * unexpected / elements if elements else 0.0


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
