"""Canonical tables made up on the spot: tiny inline rows for tests, a whole synthetic city for benchmarks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
import pyarrow as pa

import schemas
from schemas.model import Table, arrow_schema

TOWNSHIPS = [f"429004{n:03d}" for n in (1, 2, 3, 4, *range(101, 116))]


def rows(table: Table, records: Sequence[Mapping[str, Any]]) -> pa.Table:
    """An Arrow table of ``table``'s declared schema; columns a record leaves out are NULL."""
    names = [f.name for f in table.fields]
    unknown = {k for r in records for k in r} - set(names)
    if unknown:
        raise KeyError(f"{table.name} has no columns {sorted(unknown)}")
    data = {n: [r.get(n) for r in records] for n in names}
    return pa.Table.from_pydict(data, schema=arrow_schema(table))


def city_person_sql(people: int, grids_per_township: int = 40, seed: int = 7) -> str:
    """SQL for ``people`` synthetic person rows spread over the townships' grids (valid-looking IDs and phones)."""
    townships = "['" + "','".join(TOWNSHIPS) + "']"
    return f"""
SELECT
    'P' || lpad(i::VARCHAR, 9, '0') AS person_id,
    '429004' || strftime(DATE '1940-01-01' + CAST(hash(i, {seed}) % 29000 AS INTEGER), '%Y%m%d')
        || lpad((i % 1000)::VARCHAR, 3, '0') || CAST(hash(i) % 10 AS VARCHAR) AS citizen_id,
    ['张','王','李','赵','刘','陈','杨','黄'][1 + i % 8] || ['伟','芳','娜','敏','静','强','磊','军'][1 + (i // 8) % 8] AS name,
    CASE WHEN i % 2 = 0 THEN '1' ELSE '2' END AS sex,
    DATE '1940-01-01' + CAST(hash(i, {seed}) % 29000 AS INTEGER) AS birth_date,
    '01' AS ethnicity, 'CHN' AS nationality, '139' || lpad(CAST(hash(i, 'phone') % 100000000 AS VARCHAR), 8, '0') AS phone,
    CASE WHEN i % 7 = 0 THEN '02' ELSE '01' END AS category,
    {townships}[1 + i % 19] || '某社区' || (i % 50)::VARCHAR || '号' AS registered_address,
    {townships}[1 + i % 19] AS registered_township,
    {townships}[1 + (i // 3) % 19] || '某社区' || (i % 70)::VARCHAR || '号' AS current_address,
    {townships}[1 + (i // 3) % 19] AS current_township,
    '社区' || ((i // 3) % 19 * 10 + i % 10)::VARCHAR AS current_community,
    {townships}[1 + (i // 3) % 19] || lpad(((i // 57) % {grids_per_township})::VARCHAR, 6, '0') AS current_grid,
    i % 97 = 0 AS is_elderly_alone, i % 89 = 0 AS is_disabled, i % 31 = 0 AS is_low_income, CASE WHEN i % 500 = 0 THEN '01' END AS special_group,
    i % 211 = 0 AS is_deceased, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS first_seen,
    TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_days(CAST(i % 300 AS INTEGER)) AS last_updated,
    1 + i % 3 AS source_count
FROM range({people}) AS t(i)"""


def city_grid_place_sql(grids_per_township: int = 40) -> str:
    """SQL for the grid-level place rows that city_person_sql refers to."""
    townships = "['" + "','".join(TOWNSHIPS) + "']"
    return f"""
SELECT 'G' || t || lpad(g::VARCHAR, 6, '0') AS place_id, 'grid' AS level, t || lpad(g::VARCHAR, 6, '0') AS code, '网格' || g::VARCHAR AS name, t AS township_code,
    t || lpad(g::VARCHAR, 6, '0') AS grid_code,
    TIMESTAMPTZ '2026-01-01 00:00:00+00' AS first_seen, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS last_updated,
    1 AS source_count
FROM unnest({townships}) AS u(t), range({grids_per_township}) AS r(g)"""


def declared_sql(con: duckdb.DuckDBPyConnection, table: Table, sql: str) -> str:
    """``sql`` reshaped to ``table``'s declared columns: the ones it lacks are NULL of the declared type."""
    present = set(con.sql(sql).columns)
    cols = ", ".join(
        (f'"{f.name}"' if f.name in present else "NULL") + f' :: {f.type} AS "{f.name}"' for f in table.fields
    )
    return f"SELECT {cols} FROM ({sql})"


def city(con: duckdb.DuckDBPyConnection, people: int) -> dict[str, duckdb.DuckDBPyRelation]:
    """The synthetic city's person and place tables as relations on ``con``."""
    return {
        "person": con.sql(declared_sql(con, schemas.PERSON, city_person_sql(people))),
        "place": con.sql(declared_sql(con, schemas.PLACE, city_grid_place_sql())),
    }
