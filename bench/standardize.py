"""Benchmark of the standardizers: 1.2 million synthetic dirty rows (IDs, names, dates, phones, addresses) through
transforms.standardize in DuckDB; prints rows/s and peak RSS.

    uv run python -m bench.standardize [--rows 1200000] [--threads 2]
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time

import duckdb

from transforms.addresses import address_sql
from transforms.citizen_id import check_char_sql, citizen_id_sql
from transforms.dates import date_sql
from transforms.names import name_sql
from transforms.phones import phone_sql
from transforms.standardize import standardize

log = logging.getLogger("bench.standardize")

_SURNAMES = "['张','王','李','刘','陈','杨','黄','赵','周','吴','欧阳','司马','徐','孙','胡','朱','高','林','何','郭']"
_GIVEN = "['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','涛','明','超','秀英','华','平','刚','桂英']"
_TOWNS = "['沙嘴街道','沙嘴办事处','干河街道','龙华山街道','豆河镇','长倘口镇','郑场镇','毛嘴镇','彭场镇','沔城回族镇']"
_FULL = "'０１２３４５６７８９'"


def synthetic_sql(rows: int) -> str:
    """A SELECT of ``rows`` dirty rows: every dirty pattern of domain.md §4 in rotation, computed in DuckDB."""
    body = "('429004' || strftime(DATE '1940-01-01' + CAST(i * 7919 % 29000 AS INTEGER), '%Y%m%d') || lpad(CAST(i % 997 AS VARCHAR), 3, '0'))"
    good = f"({body} || {check_char_sql(body)})"
    old15 = "('422401' || substr(strftime(DATE '1940-01-01' + CAST(i * 31 % 20000 AS INTEGER), '%Y%m%d'), 3) || lpad(CAST(i % 997 AS VARCHAR), 3, '0'))"
    birth = "(DATE '1940-01-01' + CAST(i * 13 % 29000 AS INTEGER))"
    given = f"list_element({_GIVEN}, CAST(i % 21 + 1 AS INTEGER))"
    name = f"(list_element({_SURNAMES}, CAST(i % 20 + 1 AS INTEGER)) || {given} || list_element({_GIVEN}, CAST(i // 21 % 21 + 1 AS INTEGER)))"
    mobile = "('139' || lpad(CAST(i * 7 % 100000000 AS VARCHAR), 8, '0'))"
    town = f"list_element({_TOWNS}, CAST(i % 10 + 1 AS INTEGER))"
    return f"""
    SELECT i,
      CASE i % 10 WHEN 0 THEN translate({good}, '0123456789', {_FULL}) WHEN 1 THEN {old15}
        WHEN 2 THEN '''' || {good} WHEN 3 THEN left({good}, 6) || ' ' || substr({good}, 7, 8) || ' ' || right({good}, 4)
        WHEN 4 THEN left({good}, 15) || '000' WHEN 5 THEN '4.29004E+17' WHEN 6 THEN 'E' || lpad(CAST(i AS VARCHAR), 8, '0')
        WHEN 7 THEN lower({good}) WHEN 8 THEN '无' ELSE {good} END AS raw_id,
      CASE i % 8 WHEN 0 THEN {name} || '（户主）' WHEN 1 THEN left({name}, 1) || ' ' || substr({name}, 2)
        WHEN 2 THEN '買買提•' || {given} WHEN 3 THEN '無名氏' WHEN 4 THEN replace({name}, '张', '張') ELSE {name} END AS raw_name,
      CASE i % 9 WHEN 0 THEN strftime({birth}, '%Y.%-m.%-d') WHEN 1 THEN strftime({birth}, '%Y%m%d')
        WHEN 2 THEN strftime({birth}, '%y.%m.%d') WHEN 3 THEN strftime({birth}, '%Y年%-m月%-d日')
        WHEN 4 THEN CAST({birth} - DATE '1899-12-30' AS VARCHAR) WHEN 5 THEN strftime({birth}, '%Y.%m')
        WHEN 6 THEN '0000-00-00' WHEN 7 THEN strftime({birth}, '%d/%m/%Y') ELSE CAST({birth} AS VARCHAR) END AS raw_birth,
      CASE i % 7 WHEN 0 THEN '+86 ' || left({mobile}, 3) || ' ' || substr({mobile}, 4, 4) || ' ' || right({mobile}, 4)
        WHEN 1 THEN '(0728)' || CAST(3000000 + i % 999999 AS VARCHAR) WHEN 2 THEN CAST(3000000 + i % 999999 AS VARCHAR)
        WHEN 3 THEN {mobile} || '/' || '0728-' || CAST(3000000 + i % 999999 AS VARCHAR) WHEN 4 THEN '13800000000'
        ELSE {mobile} END AS raw_phone,
      CASE i % 5 WHEN 0 THEN '湖北省仙桃市' ELSE '' END || {town}
        || CASE i % 3 WHEN 0 THEN '九十墩社区' WHEN 1 THEN '新华村' || CAST(i % 12 + 1 AS VARCHAR) || '组' ELSE '杨林社区' END
        || CASE i % 4 WHEN 0 THEN '沔阳大道' || CAST(i % 300 AS VARCHAR) || '号幸福小区'
                      || CAST(i % 30 + 1 AS VARCHAR) || '栋' || CAST(i % 4 + 1 AS VARCHAR) || '单元'
                      || CAST(100 * (i % 18 + 1) + i % 4 + 1 AS VARCHAR) || '室'
                      ELSE '' END AS raw_address
    FROM range({rows}) AS r(i)"""


def run(rows: int, threads: int) -> dict[str, float]:
    """Generate, standardize into a table, and return timings and peak RSS."""
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    start = time.perf_counter()
    con.execute(f"CREATE TABLE dirty AS {synthetic_sql(rows)}")
    generated = time.perf_counter()
    cpu = time.process_time()
    rel = standardize(
        con,
        "dirty",
        {
            "id_number": citizen_id_sql("raw_id", as_of="2026-01-01"),
            "name": name_sql("raw_name"),
            "birth_date": date_sql("raw_birth", as_of="2026-01-01"),
            "phone": phone_sql("raw_phone"),
            "address": address_sql("raw_address"),
        },
    )
    rel.create("standardized")
    done = time.perf_counter()
    cpu = time.process_time() - cpu
    statuses = con.execute(
        "SELECT count(*) FILTER (WHERE id_number IS NOT NULL), count(*) FILTER (WHERE name IS NOT NULL),"
        " count(*) FILTER (WHERE birth_date IS NOT NULL), count(*) FILTER (WHERE phone IS NOT NULL),"
        " count(*) FILTER (WHERE address_key IS NOT NULL) FROM standardized"
    ).fetchone()
    log.info("usable values: id %s, name %s, birth %s, phone %s, address key %s", *(statuses or ()))
    return {
        "rows": rows,
        "generate_s": generated - start,
        "standardize_s": done - generated,
        "rows_per_s": rows / (done - generated),
        "cpu_s": cpu,
        "rows_per_cpu_s": rows / cpu,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=1_200_000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    figures = run(args.rows, args.threads)
    log.info(
        "standardized %(rows)d rows x 5 columns in %(standardize_s).1f s: %(rows_per_s).0f rows/s"
        " (%(cpu_s).1f CPU s, %(rows_per_cpu_s).0f rows per CPU second); generation %(generate_s).1f s;"
        " peak RSS %(peak_rss_mb).0f MB",
        figures,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
