"""Benchmark of validation: 1.2 million staged persons (with the usual share of bad rows) through
grassroots.pipeline.validate on a DuckDB connection; prints the time, rows/s, refused and warned rows, peak RSS.

    uv run python -m bench.validate [--people 1200000] [--threads 2] [--home DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow.compute as pc

from expectations.checks import citizen_id_check_char_sql
from grassroots.pipeline.validate import validate_tables

log = logging.getLogger("bench.validate")

REFERENCE_DATE = dt.date(2026, 11, 25)


def stg_person_sql(people: int) -> str:
    """``people`` staged persons as transforms/resolve/inputs.py stages them; about 1 in 50 rows is faulty."""
    body = (
        "('429004' || strftime(DATE '1940-01-01' + CAST(i * 7919 % 29000 AS INTEGER), '%Y%m%d') "
        "|| lpad(CAST(i % 997 AS VARCHAR), 3, '0'))"
    )
    return f"""
    WITH b AS (SELECT i, {body} AS body FROM range({people}) t(i)),
    ids AS (SELECT i, body, body || {citizen_id_check_char_sql("body")} AS good FROM b)
    SELECT
        CASE WHEN i % 1009 = 0 THEN 'fax' ELSE (['grid', 'civil', 'police'])[i % 3 + 1] END AS source_system,
        'persons' AS source_table,
        CASE WHEN i % 2003 = 0 THEN NULL ELSE CAST(i AS VARCHAR) END AS record_key,
        'load-1' AS load_id,
        CASE i % 211 WHEN 0 THEN body || 'Z' WHEN 1 THEN left(good, 17) || '0' WHEN 2 THEN NULL ELSE good END
            AS citizen_id,
        'valid' AS citizen_id_status,
        '张' || CAST(i % 1000 AS VARCHAR) AS name,
        CASE WHEN i % 97 = 0 THEN '0' WHEN (ascii(substr(body, 17, 1)) - 48) % 2 = 1 THEN '1' ELSE '2' END AS sex,
        CASE WHEN i % 503 = 0 THEN DATE '2030-01-01'
             ELSE CAST(strptime(substr(body, 7, 8), '%Y%m%d') AS DATE) END AS birth_date,
        lpad(CAST(i % 56 + 1 AS VARCHAR), 2, '0') AS ethnicity,
        (['10', '20', '30', '40'])[i % 4 + 1] AS marital_status,
        (['10', '20', '30', '40'])[i % 4 + 1] AS education,
        (['01', '02', '03'])[i % 3 + 1] AS category,
        CASE WHEN i % 101 = 0 THEN '13800000000' WHEN i % 103 = 0 THEN '0728-322'
             ELSE '139' || lpad(CAST(i * 7 % 100000000 AS VARCHAR), 8, '0') END AS phone,
        CASE WHEN i % 307 = 0 THEN '429004999' ELSE '429004' || lpad(CAST(i % 4 + 1 AS VARCHAR), 3, '0') END
            AS township_code,
        '沙嘴街道新华社区光明路' || CAST(i % 300 AS VARCHAR) || '号' AS address
    FROM ids
    """


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_200_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--home", type=Path, default=None, help="home directory (default: a temporary one)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)

    con = duckdb.connect(config={"threads": args.threads})
    started = time.perf_counter()
    con.execute(f"CREATE TABLE stg_person AS {stg_person_sql(args.people)}")
    log.info("built %d staged persons in %.1f s", args.people, time.perf_counter() - started)

    with tempfile.TemporaryDirectory() as tmp:
        home = args.home or Path(tmp)
        started = time.perf_counter()
        outcome = validate_tables(con, home, "bench", {"person": "stg_person"}, REFERENCE_DATE)
        seconds = time.perf_counter() - started
    person = outcome.tables["person"]
    whole_table = pc.is_null(outcome.results["source"])
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"validate: {person.rows_checked:,} staged persons, {len(outcome.results.filter(whole_table))} expectations, "
        f"{args.threads} threads: {seconds:.1f} s ({person.rows_checked / seconds:,.0f} rows/s); "
        f"refused {person.refused:,}, kept with warnings {person.warned:,}; peak RSS {rss_mb:,.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
