"""Where people live and what happened to them: houses, earlier moves, deaths, welfare, disability, special groups."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.config import CityConfig


def houses_needed(persons: pd.DataFrame, n_comm: int) -> np.ndarray:
    """Houses per community: one per household and per foreigner, plus some vacant ones."""
    unit = persons["household_id"].fillna(persons["person_id"])
    homes = persons[~unit.duplicated()].groupby("community_idx").size()
    homes = homes.reindex(range(n_comm), fill_value=0).to_numpy()
    return (homes * 1.06).astype(int) + 2


def settle(
    rng: np.random.Generator, persons: pd.DataFrame, houses: pd.DataFrame, today: np.datetime64
) -> pd.DataFrame:
    """Give every household (and every foreigner) a house of its community; some moved there lately."""
    unit = persons["household_id"].fillna(persons["person_id"]).to_numpy()
    first = ~pd.Series(unit).duplicated().to_numpy()
    units = pd.DataFrame({"unit": unit[first], "community_idx": persons["community_idx"].to_numpy()[first]})
    comm_of_house = houses["community_idx"].to_numpy()
    # The k-th unit of a community takes a shuffled k-th house of that community.
    order = units.groupby("community_idx").cumcount().to_numpy()
    start = pd.Series(np.arange(len(houses))).groupby(comm_of_house).min()
    count = pd.Series(comm_of_house).value_counts().sort_index()
    shift = rng.integers(0, 1_000_000, len(count))
    ci = units["community_idx"].to_numpy()
    pos = (order + shift[np.searchsorted(count.index.to_numpy(), ci)]) % count.reindex(ci).to_numpy()
    units["house_idx"] = start.reindex(ci).to_numpy() + pos
    moved = rng.random(len(units)) < 0.05
    units["prev_idx"] = np.where(moved, rng.integers(0, len(houses), len(units)), -1)
    units["moved_on"] = np.where(
        moved, today - rng.integers(30, 700, len(units)).astype("timedelta64[D]"), np.datetime64("NaT")
    )
    per = units.set_index("unit").reindex(unit)
    h = houses.iloc[per["house_idx"].to_numpy()]
    out = persons.copy()
    out["house_id"] = h["house_id"].to_numpy()
    out["grid_code"] = h["grid_code"].to_numpy()
    out["township_code"] = h["township_code"].to_numpy()
    out["community_id"] = h["community_id"].to_numpy()
    prev = per["prev_idx"].to_numpy()
    out["prev_house_id"] = np.where(
        prev >= 0, houses["house_id"].to_numpy()[np.maximum(prev, 0)], np.array(None)
    )
    out["moved_on"] = per["moved_on"].to_numpy()
    registered_at = np.where(
        prev >= 0, houses["address"].to_numpy()[np.maximum(prev, 0)], h["address"].to_numpy()
    )
    village = rng.choice(np.array(list("新红建胜利和平光明东风")), len(out)).astype(object)
    far = (
        out["origin"].fillna("").astype(object)
        + village
        + "村"
        + rng.integers(1, 60, len(out)).astype(str)
        + "号"
    )
    out["hukou_address"] = np.select(
        [out["category"] == "01", out["category"] == "02"], [registered_at, far], np.array(None)
    )
    return out.drop(columns=["community_idx"])


def fates(
    rng: np.random.Generator, persons: pd.DataFrame, cfg: CityConfig, today: np.datetime64
) -> pd.DataFrame:
    """Deaths of the last two years, disability, welfare and the rare special groups."""
    out = persons.copy()
    n = len(out)
    age = (today - out["birth_date"].to_numpy().astype("datetime64[D]")).astype(int) / 365.25
    w = np.where(age >= 60, (age - 50) ** 2, 0.0)
    dead = np.zeros(n, dtype=bool)
    k = min(round(n * cfg.dead_share), int((w > 0).sum()))
    if k:
        dead[rng.choice(n, size=k, replace=False, p=w / w.sum())] = True
    out["is_alive"] = ~dead
    out["death_date"] = np.where(
        dead, today - rng.integers(1, 700, n).astype("timedelta64[D]"), np.datetime64("NaT")
    )
    out["disabled"] = rng.random(n) < np.where(age >= 60, 0.07, 0.025)
    r = rng.random(n)
    head = out["relation"].to_numpy() == "02"
    alone = out["elderly_alone"].to_numpy()
    out["welfare_type"] = np.select(
        [alone & (r < 0.08), head & (r < 0.09), r < 0.004], ["特困", "低保", "临时救助"], np.array(None)
    )
    adult = (age >= 18) & (age < 65)
    special = adult & (rng.random(n) < 0.003)
    out["special_group"] = np.where(
        special, rng.choice(["01", "02", "03", "04", "05", "06"], n), np.array(None)
    )
    out["updated_on"] = today
    return out
