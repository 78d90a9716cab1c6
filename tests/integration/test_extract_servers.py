"""Database extraction against the real servers: MariaDB zero dates and GBK/latin1 columns, PostgreSQL time zones,
and tables larger than one chunk."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from extractors.context import SyncContext
from extractors.declare import Cursor, DatabaseSource, Table
from extractors.landing import current_sql
from extractors.run import sync_source
from extractors.state import StateDB, state_path
from extractors.summary import SyncSummary
from grassroots.config import Settings


def run_sync(home: Path, url: str, source: DatabaseSource) -> dict[str, SyncSummary]:
    state = StateDB(state_path(home))
    out: list[SyncSummary] = []
    try:
        sync_source(SyncContext(home, state, "test"), source, Settings(home=home, grid_url=url), out)
    finally:
        state.close()
    return {s.table: s for s in out}


def rows(home: Path, table: str, columns: str) -> list[tuple[object, ...]]:
    return duckdb.sql(f"SELECT {columns} FROM ({current_sql(home, 's', table)}) ORDER BY 1").fetchall()


@pytest.mark.mariadb
def test_mariadb_zero_dates_and_legacy_charsets(home: Path, mariadb_url: str) -> None:
    engine = sa.create_engine(mariadb_url)
    with engine.begin() as c:
        c.execute(sa.text("SET SESSION sql_mode = ''"))  # the legacy server accepts zero dates
        c.execute(
            sa.text(
                "CREATE TABLE RK (RYBH VARCHAR(10) PRIMARY KEY, XM VARCHAR(20) CHARACTER SET gbk,"
                " BZ VARCHAR(40) CHARACTER SET latin1, DJSJ DATETIME, CSRQ DATE, XGSJ VARCHAR(19))"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO RK VALUES ('1', '张埫', NULL, '0000-00-00 00:00:00', '0000-00-00', '2026-01-01 10:00:00'),"
                " ('2', '李剅', NULL, '2025-03-05 08:09:10', '1985-03-05', '2026-01-01 11:00:00')"
            )
        )
        # a latin1 column holding GBK bytes, as vendors of the time stored Chinese text
        c.execute(sa.text("UPDATE RK SET BZ = CONVERT(_binary 0xC9B3D7EC USING latin1) WHERE RYBH = '1'"))
    source = DatabaseSource(
        "s", "mariadb", "grid", (Table("RK", ("RYBH",), Cursor("XGSJ", timedelta(hours=1))),)
    )
    first = run_sync(home, mariadb_url, source)["RK"]
    assert first.inserts == 2
    got = rows(home, "RK", "RYBH, XM, BZ, DJSJ, CSRQ")
    assert got[0][:2] == ("1", "张埫") and got[1][1] == "李剅"
    assert got[0][3:] == ("0000-00-00 00:00:00", "0000-00-00")  # kept as it came, not turned into NULL
    assert got[1][3:] == ("2025-03-05 08:09:10", "1985-03-05")
    assert (
        isinstance(got[0][2], str) and got[0][2].encode("latin1").decode("gbk") == "沙嘴"
    )  # raw, recoverable
    assert run_sync(home, mariadb_url, source)["RK"].rows == 0


@pytest.mark.postgres
def test_postgres_time_zones_and_chunks(home: Path, postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.begin() as c:
        c.execute(
            sa.text(
                "CREATE TABLE mz (id BIGINT PRIMARY KEY, name TEXT, born DATE, amount NUMERIC(10,2), alone BOOLEAN,"
                " seen TIMESTAMPTZ, update_time TIMESTAMP NOT NULL)"
            )
        )
        c.execute(sa.text("SET TIME ZONE 'Asia/Shanghai'"))
        c.execute(
            sa.text(
                "INSERT INTO mz SELECT g, '人' || g, DATE '1985-03-05' + g, g * 1.5, g % 2 = 0,"
                " TIMESTAMPTZ '2026-01-05 08:00:00+08' + g * INTERVAL '1 minute',"
                " TIMESTAMP '2026-01-05 00:00:00' + g * INTERVAL '1 second' FROM generate_series(1, 2500) g"
            )
        )
    cursor = Cursor("update_time", timedelta(minutes=5))
    source = DatabaseSource("s", "pg", "grid", (Table("mz", ("id",), cursor),), chunk_rows=1000)
    first = run_sync(home, postgres_url, source)["mz"]
    assert first.inserts == 2500
    assert len(list((home / "landing" / "s" / "mz" / first.load_id).glob("part-*.parquet"))) == 3  # chunked
    assert first.watermark == "2026-01-05 00:41:40"
    got = rows(home, "mz", "id::BIGINT, born, amount, alone, seen, update_time")[0]
    # timestamptz lands as the UTC instant with its offset; naive timestamps stay as the source wrote them
    assert got == (1, "1985-03-06", "1.50", "false", "2026-01-05 00:01:00+0000", "2026-01-05 00:00:01")
    with engine.begin() as c:
        c.execute(
            sa.text("UPDATE mz SET name = 'x', update_time = update_time + INTERVAL '1 hour' WHERE id = 7")
        )
        c.execute(sa.text("DELETE FROM mz WHERE id = 9"))
    second = run_sync(home, postgres_url, source)["mz"]
    assert (second.inserts, second.updates, second.deletes) == (0, 1, 1)
