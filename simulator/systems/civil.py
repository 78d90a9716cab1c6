"""The civil-affairs system as a view of the true city: the welfare, elderly and disabled subset, mostly clean."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator import noise
from simulator.config import NoiseConfig
from simulator.orgs import SOCIAL_ORG_TYPE
from simulator.systems.records import ENTITY_COLUMN, SourceTable
from simulator.world import World, clock_text

CIVIL_START = np.datetime64("2015-06-01T09:00:00")
WELFARE_AMOUNT = {"低保": 620.0, "特困": 910.0, "临时救助": 800.0}


def served(w: World) -> pd.DataFrame:
    """Registered residents civil affairs knows: welfare, disability, 70 and over, or elderly living alone."""
    p = w.persons
    age = (w.today64 - p["birth_date"].to_numpy().astype("datetime64[D]")).astype(int) / 365.25
    wanted = p["welfare_type"].notna() | p["disabled"] | (age >= 70) | p["elderly_alone"]
    return p[wanted.to_numpy() & (p["category"] == "01").to_numpy()].reset_index(drop=True)


def _times(rng: np.random.Generator, n: int, today: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
    now = today.astype("datetime64[s]")
    created = CIVIL_START + rng.integers(0, int((now - CIVIL_START).astype(int)), n).astype("timedelta64[s]")
    updated = created + (rng.random(n) * (now - created).astype(int)).astype("timedelta64[s]")
    return created, updated


def person_rows(
    rng: np.random.Generator, w: World, p: pd.DataFrame, cfg: NoiseConfig, start: int
) -> pd.DataFrame:
    n = len(p)
    ids, kind = noise.damage_ids(rng, p["id_number"].reset_index(drop=True), cfg.civil_id_damage)
    # Civil affairs validates on entry: only the faults its form lets through survive.
    ids = ids.where(np.isin(kind, [-1, 0, 2, 7]), p["id_number"].reset_index(drop=True))
    birth = p["birth_date"].to_numpy().astype("datetime64[D]").copy()
    off = noise.chosen(rng, n, cfg.birth_conflict)
    birth[off] = birth[off] + rng.choice(np.array([-365, -31, -1, 1, 31, 365]), int(off.sum())).astype(
        "timedelta64[D]"
    )
    stale = p["prev_house_id"].notna().to_numpy() & (rng.random(n) < 0.5)
    house = np.where(stale, p["prev_house_id"], p["house_id"])
    created, updated = _times(rng, n, w.today64)
    return pd.DataFrame(
        {
            "person_id": rng.permutation(n) + start,
            "name": noise.name_text(rng, p["name"].reset_index(drop=True), cfg.name_typo / 3, 0),
            "gender_code": p["sex"].to_numpy(),
            "id_number": ids,
            "birth_date": pd.Series(birth).dt.strftime("%Y-%m-%d"),
            "nation": p["ethnicity"].to_numpy(),
            "phone": p["phone"].to_numpy(),
            "township_code": w.house_lookup("township_code").reindex(house).to_numpy(),
            "village_name": w.house_lookup("community_name").reindex(house).to_numpy(),
            "address": w.house_lookup("address")
            .reindex(house)
            .str.replace("湖北省仙桃市", "", regex=False)
            .to_numpy(),
            "create_time": clock_text(created),
            "update_time": clock_text(updated),
            ENTITY_COLUMN: p["person_id"].to_numpy(),
        }
    )


def welfare_rows(
    rng: np.random.Generator, people: pd.DataFrame, truth: pd.DataFrame, today: np.datetime64, start: int
):
    """One open case per person on welfare, and for some an older closed one."""
    kind = truth["welfare_type"].to_numpy()
    has = pd.notna(kind)
    cur = people[has].reset_index(drop=True)
    ctype = kind[has]
    old = rng.random(len(cur)) < 0.3
    n_cur, n_old = len(cur), int(old.sum())
    begin = today.astype("datetime64[D]") - rng.integers(60, 3000, n_cur).astype("timedelta64[D]")
    amount = pd.Series(ctype).map(WELFARE_AMOUNT).to_numpy() * rng.uniform(0.8, 1.2, n_cur)
    frame = pd.DataFrame(
        {
            "person_id": np.concatenate([cur["person_id"].to_numpy(), cur["person_id"].to_numpy()[old]]),
            "welfare_type": np.concatenate([ctype, np.full(n_old, "临时救助")]),
            "start_date": np.concatenate(
                [begin, begin[old] - rng.integers(400, 900, n_old).astype("timedelta64[D]")]
            ),
            "end_date": np.concatenate(
                [np.full(n_cur, np.datetime64("NaT", "D")), begin[old] - np.timedelta64(30, "D")]
            ),
            "monthly_amount": np.round(np.concatenate([amount, rng.uniform(300, 2000, n_old)]), 2),
            "status": np.concatenate([np.full(n_cur, "在保"), np.full(n_old, "停保")]),
            "update_time": np.concatenate(
                [cur["update_time"].to_numpy(), cur["update_time"].to_numpy()[old]]
            ),
            ENTITY_COLUMN: np.concatenate(
                [cur[ENTITY_COLUMN].to_numpy(), cur[ENTITY_COLUMN].to_numpy()[old]]
            ),
        }
    )
    frame["start_date"] = pd.to_datetime(frame["start_date"]).dt.strftime("%Y-%m-%d")
    frame["end_date"] = (
        pd.to_datetime(frame["end_date"]).dt.strftime("%Y-%m-%d").where(frame["end_date"].notna(), None)
    )
    frame.insert(0, "welfare_id", np.arange(start, start + len(frame)))
    return frame


def elderly_rows(rng: np.random.Generator, people: pd.DataFrame, truth: pd.DataFrame, today: np.datetime64):
    age = (today.astype("datetime64[D]") - truth["birth_date"].to_numpy().astype("datetime64[D]")).astype(
        int
    ) / 365.25
    old = age >= 60
    a = age[old]
    return pd.DataFrame(
        {
            "person_id": people["person_id"].to_numpy()[old],
            "living_alone": truth["elderly_alone"].to_numpy()[old],
            "care_level": np.where(a >= 85, rng.choice(np.array(["半失能", "失能", "自理"]), len(a)), "自理"),
            "subsidy_amount": np.select([a >= 100, a >= 90, a >= 80], [300.0, 200.0, 100.0], 0.0),
            "assess_date": (
                today.astype("datetime64[D]") - rng.integers(10, 700, len(a)).astype("timedelta64[D]")
            ).astype(str),
            ENTITY_COLUMN: people[ENTITY_COLUMN].to_numpy()[old],
        }
    )


def disability_rows(
    rng: np.random.Generator, people: pd.DataFrame, truth: pd.DataFrame, today: np.datetime64
):
    d = truth["disabled"].to_numpy()
    n = int(d.sum())
    dtype, level = rng.integers(1, 8, n), rng.integers(1, 5, n)
    return pd.DataFrame(
        {
            "person_id": people["person_id"].to_numpy()[d],
            "disability_cert_no": truth["id_number"].to_numpy()[d].astype(str)
            + dtype.astype(str)
            + level.astype(str),
            "disability_type": dtype,
            "disability_level": level,
            "issue_date": (
                today.astype("datetime64[D]") - rng.integers(100, 5000, n).astype("timedelta64[D]")
            ).astype(str),
            "update_time": people["update_time"].to_numpy()[d],
            ENTITY_COLUMN: people[ENTITY_COLUMN].to_numpy()[d],
        }
    )


def social_org_rows(rng: np.random.Generator, w: World, start: int) -> pd.DataFrame:
    o = w.orgs[w.orgs["dept"].astype(str).str.startswith("5")].reset_index(drop=True)
    n = len(o)
    _created, updated = _times(rng, n, w.today64)
    return pd.DataFrame(
        {
            "org_id": np.arange(start, start + n),
            "org_name": o["name"],
            "credit_code": o["credit_code"],
            "legal_rep": o["legal_rep_person_id"].map(w.person_lookup("name")),
            "org_type": o["dept"].map(SOCIAL_ORG_TYPE),
            "address": o["house_id"].map(w.house_lookup("address")),
            "reg_date": pd.to_datetime(o["reg_date"]).dt.strftime("%Y-%m-%d"),
            "status": np.where(o["is_active"], "正常", "注销"),
            "update_time": clock_text(updated),
            ENTITY_COLUMN: o["org_id"],
        }
    )


def build(rng: np.random.Generator, w: World, cfg: NoiseConfig) -> list[SourceTable]:
    base = served(w)
    truth = pd.concat([base, base[noise.chosen(rng, len(base), cfg.civil_duplicate)]], ignore_index=True)
    people = person_rows(rng, w, truth, cfg, 100_001)
    return [
        SourceTable("civil", "mz_person", "person", ("person_id",), people),
        SourceTable(
            "civil",
            "mz_welfare",
            "person",
            ("welfare_id",),
            welfare_rows(rng, people, truth, w.today64, 500_001),
        ),
        SourceTable(
            "civil", "mz_elderly", "person", ("person_id",), elderly_rows(rng, people, truth, w.today64)
        ),
        SourceTable(
            "civil", "mz_disability", "person", ("person_id",), disability_rows(rng, people, truth, w.today64)
        ),
        SourceTable("civil", "mz_social_org", "organization", ("org_id",), social_org_rows(rng, w, 1)),
    ]
