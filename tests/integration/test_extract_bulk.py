"""The DuckDB bulk reader and the SQLAlchemy reader give the same text for every type, so row hashes never depend
on which one read a table."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
import sqlalchemy as sa

from extractors import bulk, database

SQLITE_DDL = (
    "CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, n NUMERIC(10,2), f REAL, b BOOLEAN, d DATE, ts DATETIME)",
    "INSERT INTO t VALUES (1, '张三', 12.5, 0.1, 1, '1985-03-05', '2026-01-05 08:00:00'),"
    " (2, NULL, 3, 2.0, 0, '0000-00-00', '0000-00-00 00:00:00'), (3, '', NULL, NULL, NULL, NULL, NULL)",
)
MARIADB_DDL = (
    "SET SESSION sql_mode = ''",
    "CREATE TABLE t (id BIGINT PRIMARY KEY, s VARCHAR(20) CHARACTER SET gbk, l VARCHAR(20) CHARACTER SET latin1,"
    " n DECIMAL(10,2), f DOUBLE, b TINYINT(1), d DATE, ts DATETIME, ts6 DATETIME(6))",
    "INSERT INTO t VALUES (1, '张埫', 'abc', 12.5, 0.1, 1, '1985-03-05', '2026-01-05 08:00:00',"
    " '2026-01-05 08:00:00.250000'), (2, NULL, NULL, 3, 2, 0, '0000-00-00', '0000-00-00 00:00:00', NULL),"
    " (3, '', '', NULL, NULL, NULL, NULL, NULL, NULL)",
)
POSTGRES_DDL = (
    "SET TIME ZONE 'Asia/Shanghai'",
    "CREATE TABLE t (id BIGINT PRIMARY KEY, s TEXT, n NUMERIC(10,2), f DOUBLE PRECISION, b BOOLEAN, d DATE,"
    " ts TIMESTAMP, tz TIMESTAMPTZ, sm SMALLINT)",
    "INSERT INTO t VALUES (1, '张𠮷', 12.5, 0.1, true, '1985-03-05', '2026-01-05 08:00:00',"
    " '2026-01-05 08:00:00+08', 4), (2, NULL, 3, 2, false, '2000-02-29', '2026-01-05 08:00:00.25',"
    " '2026-01-05 08:00:00.5+00', NULL), (3, '', NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
)


def both_readers(url: str, ddl: tuple[str, ...]) -> tuple[pa.Table, pa.Table]:
    engine = sa.create_engine(url)
    with engine.begin() as c:
        for statement in ddl:
            c.execute(sa.text(statement))
    table = database.reflect(engine, "t")
    columns = [c.name for c in table.columns]
    stmt = database.select_rows(table, columns, None, None, engine.dialect.name)
    via_sqlalchemy = pa.concat_tables(database.stream(engine, stmt, 2))
    reader = bulk.BulkReader(url)
    via_duckdb = pa.concat_tables(reader.stream(table, columns, 2))
    reader.close()
    engine.dispose()
    return via_sqlalchemy.sort_by("id"), via_duckdb.sort_by("id")


def test_sqlite_readers_agree(tmp_path: Path) -> None:
    ours, scanned = both_readers(f"sqlite:///{tmp_path}/s.sqlite", SQLITE_DDL)
    assert ours.equals(scanned), (ours.to_pylist(), scanned.to_pylist())
    assert ours.to_pylist()[1]["d"] == "0000-00-00" and ours.to_pylist()[0]["b"] == "1"


@pytest.mark.mariadb
def test_mariadb_readers_agree(mariadb_url: str) -> None:
    ours, scanned = both_readers(mariadb_url, MARIADB_DDL)
    assert ours.equals(scanned), (ours.to_pylist(), scanned.to_pylist())
    assert ours.to_pylist()[1]["ts"] == "0000-00-00 00:00:00" and ours.to_pylist()[0]["s"] == "张埫"


@pytest.mark.postgres
def test_postgres_readers_agree(postgres_url: str) -> None:
    ours, scanned = both_readers(postgres_url, POSTGRES_DDL)
    assert ours.equals(scanned), (ours.to_pylist(), scanned.to_pylist())
    first, second = ours.to_pylist()[:2]
    assert (first["tz"], second["tz"], second["ts"]) == (
        "2026-01-05 00:00:00+0000", "2026-01-05 08:00:00.500000+0000", "2026-01-05 08:00:00.250000",
    )  # fmt: skip
