"""Benchmark of the warehouse: publish a synthetic city (1.2M persons and their grids) into both lakes, republish it
with a few changes, and time a whole-city query grouped by grid as an analyst.

    uv run python -m bench.warehouse [--people 1200000] [--changed 0.01] [--repeat 5]
"""

from __future__ import annotations

import argparse
import importlib
import logging
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
from pydantic import SecretStr

from grassroots.config import Settings
from warehouse import connect, publish, retain
from warehouse.lake import layout
from warehouse.synthetic import city

log = logging.getLogger("bench.warehouse")

GRID_QUERY = """
SELECT current_grid, count(*) AS people,
    count(*) FILTER (WHERE category = '02') AS migrants,
    count(*) FILTER (WHERE is_elderly_alone) AS elderly_alone,
    round(avg(date_diff('year', birth_date, current_date)), 1) AS mean_age
FROM person WHERE NOT is_deceased GROUP BY current_grid ORDER BY people DESC"""


def _peak_rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def _size_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 1e6


def _changed_city(
    con: duckdb.DuckDBPyConnection, people: int, share: float
) -> dict[str, duckdb.DuckDBPyRelation]:
    """The same city where ``share`` of the people moved to another grid."""
    tables = city(con, people)
    step = max(1, round(1 / share)) if share > 0 else people + 1
    moved = tables["person"].project(
        f"* REPLACE (CASE WHEN hash(person_id) % {step} = 0 THEN current_grid || 'X' ELSE current_grid END "
        "AS current_grid)"
    )
    return {"person": moved, "place": tables["place"]}


def _materialized(tables: dict[str, duckdb.DuckDBPyRelation]) -> dict[str, pa.Table]:
    """Generate the synthetic tables before the clock starts: the figures are the publish's, not the generator's."""
    return {name: relation.to_arrow_table() for name, relation in tables.items()}


def _time_query(settings: Settings, repeat: int) -> list[float]:
    con = connect(settings)
    try:
        con.sql(GRID_QUERY).fetchall()  # first run reads the footers; then the steady state
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            con.sql(GRID_QUERY).fetchall()
            times.append(time.perf_counter() - started)
        return times
    finally:
        con.close()


def run(people: int, changed: float, repeat: int) -> dict[str, float]:
    # DuckDB imports pandas when it first scans a Python object; any build process has paid that already.
    importlib.import_module("pandas")
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(home=Path(tmp), privacy_key=SecretStr("bench-key-" + "x" * 22))
        source = duckdb.connect()
        tables = _materialized(city(source, people))
        started = time.perf_counter()
        publish(settings, tables, "bench-1")
        figures["first_publish_s"] = time.perf_counter() - started
        tables = _materialized(_changed_city(source, people, changed))
        started = time.perf_counter()
        result = publish(settings, tables, "bench-2")
        figures["republish_s"] = time.perf_counter() - started
        del tables
        figures["republish_changed_rows"] = float(sum(result.changes.get("person", {}).values()))
        started = time.perf_counter()
        retain(settings)
        figures["retention_s"] = time.perf_counter() - started
        times = _time_query(settings, repeat)
        figures["grid_query_median_s"] = statistics.median(times)
        figures["grid_query_cold_first_s"] = times[0]
        lay = layout(settings)
        figures["analyst_lake_mb"] = _size_mb(lay.analyst_data)
        figures["restricted_lake_mb"] = _size_mb(lay.restricted_dir)
    figures["peak_rss_gb"] = _peak_rss_gb()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=1_200_000)
    parser.add_argument(
        "--changed", type=float, default=0.01, help="share of people who move before republish"
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    figures = run(args.people, args.changed, args.repeat)
    print(f"warehouse benchmark, {args.people:,} persons + grid places, both lakes")
    for name, value in figures.items():
        print(f"  {name:28s} {value:10.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
