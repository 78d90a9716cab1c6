"""One simulated day in the true city: births, deaths, moves, marriages, arrivals, new events and their progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulator import events, ids, names, population, things
from simulator.config import LifeRates
from simulator.world import World


@dataclass
class DayFacts:
    """What happened on one day, by true entity id."""

    day: dt.date
    born: list[str] = field(default_factory=list)
    arrived: list[str] = field(default_factory=list)
    died: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    married: list[str] = field(default_factory=list)
    new_events: list[str] = field(default_factory=list)
    stepped_events: list[str] = field(default_factory=list)
    new_vehicles: list[str] = field(default_factory=list)
    transferred_vehicles: list[str] = field(default_factory=list)


def _count(rng: np.random.Generator, people: int, yearly: float) -> int:
    return int(rng.poisson(people * yearly / 365))


def _age_days(w: World) -> np.ndarray:
    return (w.today64 - w.persons["birth_date"].to_numpy().astype("datetime64[D]")).astype(int)


def _new_ids(
    rng: np.random.Generator, w: World, prefix: np.ndarray, birth: np.ndarray, male: np.ndarray
) -> np.ndarray:
    """Fresh citizen IDs no one in the city holds: sequence numbers from 500 up, redrawn on a clash."""
    taken = set(w.persons["id_number"])
    out = np.empty(len(prefix), dtype=object)
    todo = np.ones(len(prefix), dtype=bool)
    while todo.any():  # a clash is rare; each pass redraws only the clashing rows
        seq = 500 + 2 * rng.integers(0, 249, int(todo.sum())) + male[todo].astype(int)
        out[todo] = ids.citizen_ids(prefix[todo], birth[todo], seq)
        dup = pd.Series(out).duplicated().to_numpy() | np.array([v in taken for v in out])
        todo = dup & todo
    return out


def births(rng: np.random.Generator, w: World, day: dt.date, rate: float) -> list[str]:
    p = w.persons
    age = _age_days(w)
    mothers = p[(p["relation"] == "10").to_numpy() & (p["sex"] == "2").to_numpy() & p["is_alive"].to_numpy()
                & (age > 20 * 365) & (age < 42 * 365)]  # fmt: skip
    n = min(_count(rng, len(p), rate), len(mothers))
    if n == 0:
        return []
    mother = mothers.iloc[rng.choice(len(mothers), n, replace=False)]
    heads = p[p["relation"] == "02"].drop_duplicates("household_id").set_index("household_id")
    male = rng.random(n) < 0.51
    birth = np.full(n, np.datetime64(day, "D"))
    family = heads["name"].reindex(mother["household_id"]).str[:1].fillna("王").to_numpy().astype(object)
    child = mother.copy()
    child["name"] = family + names.given_names(rng, male)
    child["sex"] = np.where(male, "1", "2")
    child["birth_date"] = birth.astype("datetime64[ns]")
    child["id_number"] = _new_ids(rng, w, np.full(n, "429004"), birth, male)
    child["relation"] = np.where(male, "20", "30")
    child["marital_status"] = "10"
    child["education"] = "学龄前"
    child["phone"] = None
    child["prev_house_id"] = None
    child["moved_on"] = pd.NaT
    child["elderly_alone"] = False
    child["disabled"] = False
    child["welfare_type"] = None
    child["special_group"] = None
    child["hukou_address"] = child["house_id"].map(w.house_lookup("address"))
    return _append_people(w, child, day)


def arrivals(rng: np.random.Generator, w: World, day: dt.date, rate: float) -> list[str]:
    """Migrants moving into a vacant house, alone (workers) for simplicity of their household."""
    n = _count(rng, len(w.persons), rate)
    vacant = w.houses[w.houses["use_code"] == "03"]
    n = min(n, len(vacant))
    if n == 0:
        return []
    house = vacant.iloc[rng.choice(len(vacant), n, replace=False)]
    male = rng.random(n) < 0.6
    origin = rng.integers(0, len(population.MIGRANT_PREFIXES), n)
    birth = np.datetime64(day, "D") - (rng.integers(20, 50, n) * 365.25).astype("timedelta64[D]")
    frame = pd.DataFrame(
        {
            "name": names.han_names(rng, male),
            "sex": np.where(male, "1", "2"),
            "birth_date": birth.astype("datetime64[ns]"),
            "id_number": _new_ids(rng, w, population.MIGRANT_PREFIXES[origin], birth, male),
            "id_type": "111", "ethnicity": "01", "category": "02", "nationality": "中国",
            "phone": population.phones(rng, n), "household_id": None, "relation": None, "marital_status": "10",
            "education": "初中", "origin": population.MIGRANT_ORIGINS[origin], "elderly_alone": False,
            "house_id": house["house_id"].to_numpy(), "grid_code": house["grid_code"].to_numpy(),
            "township_code": house["township_code"].to_numpy(), "community_id": house["community_id"].to_numpy(),
            "prev_house_id": None, "moved_on": pd.NaT,
            "hukou_address": population.MIGRANT_ORIGINS[origin] + "新村" + rng.integers(1, 60, n).astype(str) + "号",
            "is_alive": True, "death_date": pd.NaT, "disabled": False, "welfare_type": None, "special_group": None,
        }
    )  # fmt: skip
    w.houses.loc[w.houses["house_id"].isin(house["house_id"]), "use_code"] = "02"
    return _append_people(w, frame, day)


def _append_people(w: World, frame: pd.DataFrame, day: dt.date) -> list[str]:
    last = int(w.persons["person_id"].str[1:].astype(int).max())
    frame = frame.reindex(columns=w.persons.columns)
    frame["person_id"] = (
        "P" + pd.Series(np.arange(last + 1, last + 1 + len(frame))).map("{:08d}".format).to_numpy()
    )
    frame["updated_on"] = pd.Timestamp(day)
    w.persons = pd.concat(
        [w.persons, frame.astype(w.persons.dtypes.to_dict(), errors="ignore")], ignore_index=True
    )
    return frame["person_id"].tolist()


def deaths(rng: np.random.Generator, w: World, day: dt.date, rate: float) -> list[str]:
    p = w.persons
    age = _age_days(w) / 365.25
    weight = np.where(p["is_alive"].to_numpy() & (age >= 50), (age - 45) ** 2, 0.0)
    n = min(_count(rng, len(p), rate), int((weight > 0).sum()))
    if n == 0:
        return []
    who = rng.choice(len(p), n, replace=False, p=weight / weight.sum())
    p.loc[p.index[who], ["is_alive", "death_date", "updated_on"]] = [
        False,
        pd.Timestamp(day),
        pd.Timestamp(day),
    ]
    return p["person_id"].to_numpy()[who].tolist()


def moves(rng: np.random.Generator, w: World, day: dt.date, rate: float) -> list[str]:
    """Whole households (or single migrants) move into a vacant house."""
    p = w.persons
    unit = p["household_id"].fillna(p["person_id"])
    alive_units = unit[p["is_alive"]].unique()
    vacant = w.houses[w.houses["use_code"] == "03"]
    n = min(_count(rng, len(alive_units) * 3, rate), len(vacant), len(alive_units))
    if n == 0:
        return []
    chosen_units = rng.choice(alive_units, n, replace=False)
    target = vacant.iloc[rng.choice(len(vacant), n, replace=False)]
    new_house = pd.Series(target["house_id"].to_numpy(), index=chosen_units)
    rows = unit.isin(chosen_units).to_numpy() & p["is_alive"].to_numpy()
    old = p.loc[rows, "house_id"].to_numpy()
    dest = unit[rows].map(new_house).to_numpy()
    hl = w.houses.set_index("house_id")
    p.loc[rows, "prev_house_id"] = old
    p.loc[rows, "house_id"] = dest
    p.loc[rows, "grid_code"] = hl["grid_code"].reindex(dest).to_numpy()
    p.loc[rows, "township_code"] = hl["township_code"].reindex(dest).to_numpy()
    p.loc[rows, "community_id"] = hl["community_id"].reindex(dest).to_numpy()
    p.loc[rows, "moved_on"] = pd.Timestamp(day)
    p.loc[rows, "updated_on"] = pd.Timestamp(day)
    w.houses.loc[w.houses["house_id"].isin(dest), "use_code"] = "01"
    w.houses.loc[w.houses["house_id"].isin(old), "use_code"] = "03"
    return p.loc[rows, "person_id"].tolist()


def marriages(rng: np.random.Generator, w: World, day: dt.date, rate: float) -> list[str]:
    p = w.persons
    age = _age_days(w)
    single = np.flatnonzero((p["marital_status"] == "10").to_numpy() & p["is_alive"].to_numpy()
                            & (age > 22 * 365) & (age < 40 * 365))  # fmt: skip
    n = min(_count(rng, len(p), rate), len(single))
    if n == 0:
        return []
    who = p.index[rng.choice(single, n, replace=False)]
    p.loc[who, "marital_status"] = "20"
    p.loc[who, "updated_on"] = pd.Timestamp(day)
    return p.loc[who, "person_id"].tolist()


def new_events(rng: np.random.Generator, w: World, day: dt.date, per_person: float) -> list[str]:
    n = int(rng.poisson(len(w.persons) * per_person / 730))
    if n == 0:
        return []
    last = int(w.events["event_id"].str[1:].astype(int).max())
    fresh = events.build(rng, n, w.persons, np.datetime64(day, "D") + 1, first_id=last + 1)
    # Everything new happened on ``day`` and was just reported.
    when = np.datetime64(day, "s") + rng.integers(7 * 3600, 22 * 3600, n).astype("timedelta64[s]")
    fresh["occurred_at"] = when
    fresh["updated_at"] = when
    fresh["status"] = "01"
    fresh["closed_at"] = pd.NaT
    fresh["deadline"] = when.astype("datetime64[D]") + np.where(
        fresh["event_type"].str.startswith("01"), 30, 15
    )
    w.events = pd.concat([w.events, fresh.astype(w.events.dtypes.to_dict())], ignore_index=True)
    return fresh["event_id"].tolist()


def step_events(rng: np.random.Generator, w: World, day: dt.date, rate: float) -> list[str]:
    """Open events move one step along 上报 → 受理 → 处置 → 办结 → 回访 with some chance each day."""
    e = w.events
    open_ = (e["status"] != "05").to_numpy() & (
        pd.to_datetime(e["occurred_at"]) < pd.Timestamp(day)
    ).to_numpy()
    step = open_ & (rng.random(len(e)) < rate)
    if not step.any():
        return []
    nxt = {"01": "02", "02": "03", "03": "04", "04": "05"}
    when = pd.Timestamp(day) + pd.to_timedelta(rng.integers(8 * 3600, 20 * 3600, int(step.sum())), unit="s")
    e.loc[step, "status"] = e.loc[step, "status"].map(nxt)
    e.loc[step, "updated_at"] = when.to_numpy()
    closing = step & (e["status"] == "04").to_numpy()
    e.loc[closing, "closed_at"] = e.loc[closing, "updated_at"]
    return e.loc[step, "event_id"].tolist()


def new_vehicles(rng: np.random.Generator, w: World, day: dt.date, rate: float) -> list[str]:
    """Vehicles registered today; a drawn plate that is already issued is not issued again (that owner waits)."""
    n = _count(rng, len(w.persons), rate)
    age = _age_days(w)
    adults = w.persons[
        w.persons["is_alive"].to_numpy() & (age >= 20 * 365) & (w.persons["category"] != "03").to_numpy()
    ]
    if n == 0 or adults.empty:
        return []
    fresh = things.vehicles(rng, n, adults, w.orgs, np.datetime64(day, "D"))
    fresh = fresh[~(fresh["plate"].isin(w.things["plate"]) | fresh["plate"].duplicated())].copy()
    last = int(w.things["thing_id"].str[1:].astype(int).max())
    fresh.insert(
        0,
        "thing_id",
        "X" + pd.Series(np.arange(last + 1, last + 1 + len(fresh))).map("{:08d}".format).to_numpy(),
    )
    fresh["registered_on"] = pd.Timestamp(day)
    fresh["status"] = "A"
    fresh["updated_at"] = pd.Timestamp(day) + pd.Timedelta(hours=10)
    w.things = pd.concat([w.things, fresh.astype(w.things.dtypes.to_dict())], ignore_index=True)
    return fresh["thing_id"].tolist()


def transfers(rng: np.random.Generator, w: World, day: dt.date, rate: float) -> list[str]:
    t = w.things
    active = np.flatnonzero((t["kind"] == "vehicle").to_numpy() & (t["status"] == "A").to_numpy())
    n = min(_count(rng, len(active), rate), len(active))
    if n == 0:
        return []
    rows = t.index[rng.choice(active, n, replace=False)]
    t.loc[rows, "status"] = "E"
    t.loc[rows, "updated_at"] = pd.Timestamp(day) + pd.Timedelta(hours=11)
    return t.loc[rows, "thing_id"].tolist()


def live_one_day(
    rng: np.random.Generator, w: World, day: dt.date, events_per_person: float, rates: LifeRates
) -> DayFacts:
    """Move the world to ``day`` and say what happened (the world's frames are changed in place)."""
    w.today = day
    facts = DayFacts(day)
    facts.died = deaths(rng, w, day, rates.deaths)
    facts.moved = moves(rng, w, day, rates.moves)
    facts.married = marriages(rng, w, day, rates.marriages)
    facts.born = births(rng, w, day, rates.births)
    facts.arrived = arrivals(rng, w, day, rates.arrivals)
    facts.stepped_events = step_events(rng, w, day, rates.event_step)
    facts.new_events = new_events(rng, w, day, events_per_person)
    facts.new_vehicles = new_vehicles(rng, w, day, rates.vehicles)
    facts.transferred_vehicles = transfers(rng, w, day, rates.vehicle_transfers)
    return facts
