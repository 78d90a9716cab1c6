"""The simulated grid platform on real MariaDB and civil affairs on real PostgreSQL, created and advanced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from grassroots.home import Home
from simulator import advance, city
from simulator.config import CityConfig, LifeRates
from simulator.systems import civil_schema, grid_schema

pytestmark = [pytest.mark.mariadb, pytest.mark.postgres]


@pytest.fixture
def servers_city(tmp_path: Path, mariadb_url: str, postgres_url: str) -> Home:
    home = Home(tmp_path / "home")
    city.create(CityConfig(people=1200, seed=5), home, mariadb_url, postgres_url, force=False)
    return home


def _keys(url: str, table: sa.Table) -> set[str]:
    key = next(iter(table.primary_key.columns)).name
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        keys = {
            str(v)
            for v in conn.execute(sa.select(sa.column(key)).select_from(sa.table(table.name))).scalars()
        }
    engine.dispose()
    return keys


def test_tables_rows_and_truth_agree_on_the_servers(
    servers_city: Home, mariadb_url: str, postgres_url: str
) -> None:
    smap = pd.read_parquet(servers_city.truth / "source_map.parquet")
    for url, tables, system in (
        (mariadb_url, grid_schema.TABLES, "grid"),
        (postgres_url, civil_schema.TABLES, "civil"),
    ):
        for t in tables:
            mapped = set(smap.loc[(smap["system"] == system) & (smap["table"] == t.name), "record_key"])
            assert _keys(url, t) == mapped, t.name
    assert servers_city.read_systems()["grid_url"] == mariadb_url


def test_mariadb_keeps_zero_dates_and_utf8mb4(servers_city: Home, mariadb_url: str) -> None:
    engine = sa.create_engine(mariadb_url)
    with engine.connect() as conn:
        zero = conn.execute(
            sa.text("SELECT COUNT(*) FROM JC_RK WHERE CAST(DJSJ AS CHAR) = '0000-00-00 00:00:00'")
        ).scalar()
        four_byte = conn.execute(sa.text("SELECT COUNT(*) FROM JC_RK WHERE XM LIKE '%𠮷%'")).scalar()
        kind = conn.execute(sa.text(
            "SELECT DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
            "AND TABLE_NAME = 'JC_RK' AND COLUMN_NAME = 'DJSJ'")).scalar()  # fmt: skip
    engine.dispose()
    assert zero and zero > 0
    assert four_byte is not None and four_byte > 0  # utf8mb4 keeps the four-byte 𠮷
    assert kind == "datetime"


def test_postgres_has_real_dates(servers_city: Home, postgres_url: str) -> None:
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        types = dict(conn.execute(sa.text(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'mz_person'")).all())  # fmt: skip
        births = conn.execute(sa.text("SELECT birth_date FROM mz_person LIMIT 5")).scalars().all()
    engine.dispose()
    assert types["birth_date"] == "date" and types["update_time"].startswith("timestamp")
    assert all(isinstance(b, dt.date) for b in births)


def test_advance_on_the_servers_follows_the_change_log(
    servers_city: Home, mariadb_url: str, postgres_url: str
) -> None:
    advance.advance(servers_city, 2, LifeRates().scaled(60))
    changes = pd.read_parquet(servers_city.truth / "changes.parquet")
    last = changes.sort_values("day", kind="stable").groupby(["system", "table", "record_key"]).tail(1)
    for url, tables, system in (
        (mariadb_url, grid_schema.TABLES, "grid"),
        (postgres_url, civil_schema.TABLES, "civil"),
    ):
        for t in tables:
            keys = _keys(url, t)
            mine = last[(last["system"] == system) & (last["table"] == t.name)]
            assert set(mine.loc[mine["op"] == "delete", "record_key"]).isdisjoint(keys), t.name
            assert set(mine.loc[mine["op"] != "delete", "record_key"]) <= keys, t.name
    assert {"grid", "civil"} <= set(changes["system"])
    engine = sa.create_engine(mariadb_url)
    with engine.connect() as conn:
        moved = conn.execute(sa.text("SELECT COUNT(*) FROM JC_RK WHERE XGSJ >= '2026-01-06'")).scalar()
    engine.dispose()
    grid_rk = last[(last["system"] == "grid") & (last["table"] == "JC_RK") & (last["op"] != "delete")]
    assert moved == len(grid_rk)
