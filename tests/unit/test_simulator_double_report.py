"""Records of one true thing in two places: grid disputes also called in to the police, devices entered twice."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

from grassroots.home import Home
from schemas import codes
from simulator import advance, city
from simulator.config import CityConfig, LifeRates
from simulator.systems import police
from simulator.systems.records import ENTITY_COLUMN

SHARE = 0.15


def _events(n: int) -> pd.DataFrame:
    types = np.array([r["code"] for r in codes.load("event_type")], dtype=object)
    etype = types[np.arange(n) % len(types)]
    return pd.DataFrame(
        {
            "event_id": "E" + pd.Series(np.arange(1, n + 1)).map("{:08d}".format),
            "event_type": etype,
            "channel": np.where(pd.Series(etype).str.startswith("03"), "police", "grid"),
        }
    )


def test_share_of_eligible_grid_events_is_the_configured_rate() -> None:
    e = _events(40_000)
    chosen = police.police_reported(e, SHARE)
    eligible = e["event_type"].str.startswith(("01", "0203")).to_numpy()
    assert not chosen[~eligible].any()
    assert chosen[eligible].mean() == pytest.approx(SHARE, abs=0.01)
    # The draw of one event does not depend on the others: advance decides new events alone, the same way.
    assert (police.police_reported(e.iloc[12_345:].reset_index(drop=True), SHARE) == chosen[12_345:]).all()
    assert not police.police_reported(e, 0.0).any()
    assert CityConfig().noise.police_double_report == SHARE


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    home = Home(tmp_path_factory.mktemp("double"))
    city.create(CityConfig(people=3000, seed=5), home, None, None, force=False)
    return home


def test_double_reports_map_both_records_to_one_true_event(home: Home) -> None:
    smap = pd.read_parquet(home.truth / "source_map.parquet")
    events = pd.read_parquet(home.truth / "event.parquet").set_index("event_id")
    ev = smap[smap["entity_kind"] == "event"]
    grid_ids = set(ev.loc[ev["table"] == "SJ_MDJF", "true_entity_id"])
    jq = ev[ev["table"] == "JQ"]
    both = jq[jq["true_entity_id"].isin(grid_ids)]
    eligible = events[(events["channel"] == "grid") & events["event_type"].str.startswith(("01", "0203"))]
    assert len(both) == police.police_reported(eligible.reset_index(), SHARE).sum() > 0
    assert len(both) / len(eligible) == pytest.approx(SHARE, abs=0.08)
    assert ev.groupby("true_entity_id").size().max() == 2
    assert jq["record_key"].is_unique
    rows = pd.read_parquet(home.truth / "police_registry" / "JQ.parquet").set_index(ENTITY_COLUMN)
    rows = rows.loc[both["true_entity_id"]]
    truth = events.loc[rows.index]
    lag = (pd.to_datetime(rows["报警时间"]) - pd.to_datetime(truth["occurred_at"])).dt.total_seconds()
    assert lag.between(-2 * 3600, 6 * 3600).all()
    assert set(rows["警情类别"]) <= {"治安警情", "群众求助"}
    names = pd.read_parquet(home.truth / "person.parquet").set_index("person_id")["name"]
    first_party = truth["party_person_ids"].str.split(",").str[0]
    assert (rows["报警人"].to_numpy() == first_party.map(names).to_numpy()).all()


def test_advance_double_reports_new_grid_events(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Home(tmp_path_factory.mktemp("double_adv"))
    city.create(CityConfig(people=600, seed=9), home, None, None, force=False)
    before = pd.read_parquet(home.truth / "source_map.parquet")

    def busy(people: int, seed: int) -> CityConfig:
        cfg = CityConfig(people=people, seed=seed, events_per_person=10.0)
        return cfg.with_noise(police_double_report=1.0)

    monkeypatch.setattr(advance, "CityConfig", busy)
    advance.advance(home, 2, LifeRates())
    smap = pd.read_parquet(home.truth / "source_map.parquet").iloc[len(before) :]
    events = pd.read_parquet(home.truth / "event.parquet").set_index("event_id")
    new = smap[smap["entity_kind"] == "event"]
    grid_new = new.loc[new["table"] == "SJ_MDJF", "true_entity_id"]
    worthy = grid_new[events.loc[grid_new, "event_type"].str.startswith(("01", "0203")).to_numpy()]
    assert len(worthy) > 0
    assert set(worthy) <= set(new.loc[new["table"] == "JQ", "true_entity_id"])


def test_some_devices_are_entered_twice_with_the_same_code(home: Home) -> None:
    smap = pd.read_parquet(home.truth / "source_map.parquet")
    ss = smap[smap["table"] == "JC_SS"]
    per_thing = ss.groupby("true_entity_id").size()
    assert per_thing.max() == 2
    things = pd.read_parquet(home.truth / "thing.parquet").set_index("thing_id")
    twice = per_thing[per_thing == 2].index
    assert things.loc[twice, "device_code"].notna().all()
    coded = things[(things["kind"] != "vehicle") & things["device_code"].notna()]
    assert len(twice) / len(coded) == pytest.approx(CityConfig().noise.grid_facility_duplicate, abs=0.03)
    with sqlite3.connect(home.grid_db) as conn:
        rows = pd.read_sql('SELECT "SSBH", "SBBM" FROM "JC_SS"', conn).set_index("SSBH")
    codes_of = ss.assign(code=ss["record_key"].map(rows["SBBM"]))
    assert (
        codes_of[codes_of["true_entity_id"].isin(twice)].groupby("true_entity_id")["code"].nunique() == 1
    ).all()
