"""simulate advance: the databases, the drop folder and the ground truth change together, as the change log says."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pandas as pd
import pytest

from grassroots.home import Home
from simulator import advance, city
from simulator.config import CityConfig, LifeRates
from simulator.systems import police_schema as ps

DAYS = 3


@pytest.fixture(scope="module")
def advanced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, pd.DataFrame, pd.DataFrame]:
    """A busy small city (rates times 40) advanced three days; the source map before the advance."""
    home = Home(tmp_path_factory.mktemp("adv"))
    city.create(CityConfig(people=2000, seed=3), home, None, None, force=False)
    before = pd.read_parquet(home.truth / "source_map.parquet")
    advance.advance(home, DAYS, LifeRates().scaled(40))
    return home, before, pd.read_parquet(home.truth / "changes.parquet")


def _keys(home: Home, table: str, key: str, db: str) -> dict[str, tuple[object, ...]]:
    with sqlite3.connect(home.sources / db) as conn:
        cur = conn.execute(f'SELECT * FROM "{table}"')
        cols = [d[0] for d in cur.description]
        return {str(r[cols.index(key)]): r for r in cur.fetchall()}


def test_every_kind_of_change_happens(advanced: tuple[Home, pd.DataFrame, pd.DataFrame]) -> None:
    _, _, changes = advanced
    assert set(changes["op"]) == {"insert", "update", "delete"}
    assert set(changes["system"]) == {"grid", "civil", "police"}
    assert {"HJRK", "LDRK", "JQ", "JDC"} <= set(changes.loc[changes["system"] == "police", "table"])
    assert changes["day"].min() == dt.date(2026, 1, 6) and changes["day"].max() == dt.date(2026, 1, 8)
    grid = changes[changes["system"] == "grid"]
    assert {"insert", "update", "delete"} <= set(grid.loc[grid["table"] == "JC_RK", "op"])
    assert (changes[changes["system"] == "civil"]["op"] == "delete").any()


def test_grid_rows_match_the_change_log(advanced: tuple[Home, pd.DataFrame, pd.DataFrame]) -> None:
    home, before, changes = advanced
    rows = _keys(home, "JC_RK", "RYBH", "grid.sqlite")
    log = changes[(changes["system"] == "grid") & (changes["table"] == "JC_RK")]
    last = log.sort_values("day", kind="stable").groupby("record_key").tail(1)
    for _, ch in last.iterrows():
        if ch["op"] == "delete":
            assert ch["record_key"] not in rows
        else:
            assert str(rows[ch["record_key"]][-1]).startswith(ch["day"].isoformat())  # XGSJ moved to that day
    untouched = set(before.loc[before["table"] == "JC_RK", "record_key"]) - set(log["record_key"])
    with sqlite3.connect(home.grid_db) as conn:
        stale = conn.execute('SELECT COUNT(*) FROM "JC_RK" WHERE XGSJ >= ?', ("2026-01-06",)).fetchone()[0]
    assert stale == (last["op"] != "delete").sum()
    assert untouched <= set(rows)
    inserted = set(log.loc[log["op"] == "insert", "record_key"])
    assert inserted and inserted.isdisjoint(before["record_key"])


def test_civil_hard_deletes_and_updates(advanced: tuple[Home, pd.DataFrame, pd.DataFrame]) -> None:
    home, _, changes = advanced
    log = changes[changes["system"] == "civil"]
    for table, key in (("mz_person", "person_id"), ("mz_welfare", "welfare_id")):
        rows = _keys(home, table, key, "civil.sqlite")
        t = log[log["table"] == table].sort_values("day", kind="stable").groupby("record_key").tail(1)
        for _, ch in t.iterrows():
            present = ch["record_key"] in rows
            assert present == (ch["op"] != "delete"), (table, ch["record_key"], ch["op"])
            if present:
                assert str(rows[ch["record_key"]][-1]).startswith(ch["day"].isoformat())


def test_police_deltas_carry_each_logged_change(advanced: tuple[Home, pd.DataFrame, pd.DataFrame]) -> None:
    home, _, changes = advanced
    log = changes[changes["system"] == "police"]
    word = {"insert": "新增", "update": "修改", "delete": "注销"}
    for (day, table), group in log.groupby(["day", "table"]):
        kind = ps.KINDS[str(table)]
        path = home.police_drop / kind.file_name(f"{day:%Y%m%d}", 1)
        assert path.with_name(path.name + ".ok").exists()
        if kind.suffix == ".csv":
            delta = pd.read_csv(path, encoding="gb18030", dtype=str)
        else:
            delta = pd.read_excel(path, dtype=str)
        keys = delta[kind.key[0]]
        for column in kind.key[1:]:
            keys = keys + "|" + delta[column]
        got = dict(zip(keys, delta[ps.CHANGE_COLUMN], strict=True))
        assert got == {k: word[op] for k, op in zip(group["record_key"], group["op"], strict=True)}


def test_truth_follows_and_maps_new_records(advanced: tuple[Home, pd.DataFrame, pd.DataFrame]) -> None:
    home, before, changes = advanced
    smap = pd.read_parquet(home.truth / "source_map.parquet")
    inserted = changes[changes["op"] == "insert"]
    keyed = set(zip(smap["system"], smap["table"], smap["record_key"], strict=True))
    assert all(
        k in keyed for k in zip(inserted["system"], inserted["table"], inserted["record_key"], strict=True)
    )
    assert len(smap) > len(before)
    people = pd.read_parquet(home.truth / "person.parquet")
    assert (pd.to_datetime(people["death_date"]) >= pd.Timestamp("2026-01-06")).any()
    assert (pd.to_datetime(people["birth_date"]) >= pd.Timestamp("2026-01-06")).any()
    assert json.loads(home.systems_file.read_text(encoding="utf-8"))["today"] == "2026-01-08"


def test_advance_is_deterministic(tmp_path_factory: pytest.TempPathFactory) -> None:
    outputs = []
    for name in ("x", "y"):
        home = Home(tmp_path_factory.mktemp(name))
        city.create(CityConfig(people=600, seed=11), home, None, None, force=False)
        advance.advance(home, 2, LifeRates().scaled(40))
        files = {p.name: p.read_bytes() for p in sorted(home.police_drop.iterdir())}
        with sqlite3.connect(home.grid_db) as conn:
            rows = conn.execute('SELECT * FROM "JC_RK" ORDER BY "RYBH"').fetchall()
        outputs.append((files, rows, (home.truth / "changes.parquet").read_bytes()))
    assert outputs[0] == outputs[1]
