"""Events of the true city: disputes, citizen requests, police incidents and hazard reports, with their workflow."""

from __future__ import annotations

import numpy as np
import pandas as pd

from schemas import codes

STATUS_STEPS = ("01", "02", "03", "04", "05")
# Share of event families: disputes (01xx) and requests (02xx) and hazards (04xx) go to the grid platform,
# incidents (03xx) to the police.
_FAMILY_SHARE = {"01": 0.40, "02": 0.30, "03": 0.20, "04": 0.10}


def _types(rng: np.random.Generator, n: int) -> np.ndarray:
    table = pd.DataFrame(codes.load("event_type"))
    fam = table["code"].str[:2]
    p = fam.map(_FAMILY_SHARE) / fam.map(fam.value_counts())
    return rng.choice(table["code"].to_numpy(), size=n, p=(p / p.sum()).to_numpy())


def status_for_age(rng: np.random.Generator, age_days: np.ndarray) -> np.ndarray:
    """Older events are further along the workflow 上报 → 受理 → 处置 → 办结 → 回访."""
    progress = np.clip(age_days / 12.0 + rng.normal(0, 0.8, len(age_days)), 0, 4).astype(int)
    return np.array(STATUS_STEPS)[progress]


def build(rng: np.random.Generator, n: int, persons: pd.DataFrame, today: np.datetime64, first_id: int = 1):
    """``n`` events of the last two years, each with one to three adult parties living in the same grid."""
    age_days = (today - persons["birth_date"].to_numpy().astype("datetime64[D]")).astype(int)
    alive = persons[persons["is_alive"].to_numpy() & (age_days >= 18 * 365)].sort_values(
        "grid_code", kind="stable"
    )
    grid = alive["grid_code"].to_numpy()
    starts = pd.Series(np.arange(len(alive))).groupby(grid).min()
    counts = pd.Series(grid).value_counts().reindex(starts.index).to_numpy()
    first = rng.integers(0, len(alive), n)
    g = np.searchsorted(starts.index.to_numpy(), grid[first])
    party2 = starts.to_numpy()[g] + rng.integers(0, 1 << 30, n) % counts[g]
    party3 = starts.to_numpy()[g] + rng.integers(0, 1 << 30, n) % counts[g]
    n_parties = rng.choice([1, 2, 3], size=n, p=[0.35, 0.5, 0.15])
    pid = alive["person_id"].to_numpy()
    parties = pd.Series(pid[first], dtype=object)
    parties = parties.where(n_parties < 2, parties + "," + pid[party2])
    parties = parties.where(n_parties < 3, parties + "," + pid[party3])
    age_days = rng.integers(0, 730, n)
    occurred = (today - age_days.astype("timedelta64[D]")).astype("datetime64[s]") + rng.integers(
        7 * 3600, 22 * 3600, n
    ).astype("timedelta64[s]")
    etype = _types(rng, n)
    status = status_for_age(rng, age_days)
    deadline = occurred.astype("datetime64[D]") + np.where(
        np.char.startswith(etype.astype(str), "01"), 30, 15
    )
    closed = occurred + (rng.integers(1, 25, n) * 86400 + rng.integers(0, 36000, n)).astype("timedelta64[s]")
    closed = np.minimum(closed, today.astype("datetime64[s]") - np.timedelta64(1, "h"))
    done = np.isin(status, ["04", "05"])
    type_name = pd.Series(etype).map(codes.names("event_type"))
    house = alive["house_id"].to_numpy()[first]
    channel = np.where(np.char.startswith(etype.astype(str), "03"), "police", "grid")
    return pd.DataFrame(
        {
            "event_id": "E" + pd.Series(np.arange(first_id, first_id + n)).map("{:08d}".format),
            "event_type": etype,
            "title": alive["name"].str[:1].to_numpy()[first] + "某" + type_name.to_numpy(),
            "occurred_at": occurred,
            "grid_code": grid[first],
            "house_id": house,
            "party_person_ids": parties.to_numpy(),
            "party_count": n_parties,
            "status": status,
            "deadline": deadline,
            "closed_at": np.where(done, closed, np.datetime64("NaT")),
            "channel": channel,
            "updated_at": np.where(done, closed, occurred),
        }
    )
