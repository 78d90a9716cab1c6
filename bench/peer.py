"""The resolution peer: stock Splink (bench/resolve.py's baseline) on the person records a build staged and validated.

Reads ``stg_person`` as the last published build left it (its working database), joined to the simulator's ground truth, and prints precision,
recall, F1 and seconds as one JSON object, to compare with ``grassroots eval --json`` on the same build.

    python -m bench.peer --home DIR --run-id RUN [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

from bench.resolve import _baseline as stock_splink
from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.pipeline import workdb


def people_with_truth_sql(staged: str, source_map: Path) -> str:
    """Staged persons that the ground truth knows, with their true entity (the columns the stock model reads)."""
    return f"""
        CREATE TABLE stg_person AS
        SELECT s.source_system, s.source_table, s.record_key, s.name, s.birth_date, s.citizen_id, s.phone,
               s.household_no, s.address_key, s.sex, t.true_entity_id
        FROM {staged} s
        JOIN read_parquet('{source_map}') t
          ON t.system = s.source_system AND t."table" = s.source_table AND t.record_key = s.record_key
        WHERE t.entity_kind = 'person'
    """


def staged_persons(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str | None) -> str:
    """Where the build left ``stg_person`` after validation: the working database of the last published build (or
    of ``run_id``), else its older Parquet export."""
    found = workdb.published_staging(settings.paths.root)
    work = found[0] if found else (workdb.db_path(settings, run_id) if run_id else None)
    if work is not None and work.exists():
        con.execute(f"ATTACH '{work}' AS work (READ_ONLY)")
        return "work.stg_person"
    exported = settings.paths.staging / "stg_person" / "data.parquet"
    if exported.exists():
        return f"read_parquet('{exported}')"
    raise FatalError(f"no staged persons under {settings.paths.staging}: run 'grassroots build' first")


def measure_peer(
    settings: Settings, run_id: str | None, threads: int, u_pairs: float, memory_limit: str = "8GB"
) -> dict[str, object]:
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    # The machine target's memory, spilling beyond it (DuckDB's default is 80% of the RAM).
    spill = settings.paths.state / "tmp" / "peer"
    spill.mkdir(parents=True, exist_ok=True)
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{spill}'")
    started = time.perf_counter()
    source = staged_persons(con, settings, run_id)
    con.execute(people_with_truth_sql(source, settings.paths.truth / "source_map.parquet"))
    load_s = time.perf_counter() - started
    metrics, seconds = stock_splink(con, u_pairs)
    return {"model": "stock splink", "run_id": run_id, "load_s": round(load_s, 2), "seconds": round(seconds, 2),
            **metrics}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument(
        "--run-id", default=None, help="a build whose working database to read if nothing is exported"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--u-pairs", type=float, default=1e7)
    parser.add_argument("--memory-limit", default="8GB", help="DuckDB memory limit (default 8GB)")
    args = parser.parse_args(argv)
    settings = Settings(home=args.home)
    figures = measure_peer(settings, args.run_id, args.threads, args.u_pairs, args.memory_limit)
    sys.stdout.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
