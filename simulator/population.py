"""The true population: households of householder, spouse, children and elderly parents, vectorized with numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator import ids, names
from simulator.config import CityConfig

# Household types: (share, householder age range, spouse?, children range, elderly parents range).
_TYPES = (
    ("single_elder", 0.07, (65, 95), 0, (0, 0), (0, 0)),
    ("single", 0.08, (20, 60), 0, (0, 0), (0, 0)),
    ("couple", 0.20, (22, 82), 1, (0, 0), (0, 0)),
    ("nuclear", 0.45, (25, 56), 1, (1, 3), (0, 0)),
    ("three_gen", 0.20, (30, 56), 1, (1, 2), (1, 2)),
)
# Regions where migrants' and married-in spouses' IDs were first assigned (other provinces, other Hubei counties).
MIGRANT_PREFIXES = np.array(
    [
        "430102",
        "430623",
        "410105",
        "411623",
        "360102",
        "500101",
        "510104",
        "340102",
        "440106",
        "650102",
        "421023",
    ]
)
MIGRANT_ORIGINS = np.array(
    [
        "湖南省长沙市芙蓉区", "湖南省岳阳市华容县", "河南省郑州市金水区", "河南省周口市商水县", "江西省南昌市东湖区",
        "重庆市万州区", "四川省成都市锦江区", "安徽省合肥市瑶海区", "广东省广州市天河区", "新疆维吾尔自治区乌鲁木齐市天山区",
        "湖北省荆州市监利县",
    ],
    dtype=object,
)  # fmt: skip
ORIGIN_WEIGHTS = np.array([14, 12, 12, 10, 10, 10, 10, 8, 6, 0.5, 7.5]) / 100
UYGHUR_PREFIX = 9  # index of 650102 above


def _household_frame(
    rng: np.random.Generator, cfg: CityConfig, n_comm: int, comm_w: np.ndarray
) -> pd.DataFrame:
    shares = np.array([t[1] for t in _TYPES])
    mean_size = sum(t[1] * (1 + t[3] + (t[4][0] + t[4][1]) / 2 + (t[5][0] + t[5][1]) / 2) for t in _TYPES)
    h = int(np.ceil(cfg.people / mean_size * 1.05)) + 5
    kind = rng.choice(len(_TYPES), size=h, p=shares / shares.sum())
    lo = np.array([t[2][0] for t in _TYPES])[kind]
    hi = np.array([t[2][1] for t in _TYPES])[kind]
    spouse = np.array([t[3] for t in _TYPES])[kind]
    kids = rng.integers(
        np.array([t[4][0] for t in _TYPES])[kind], np.array([t[4][1] for t in _TYPES])[kind] + 1
    )
    elders = rng.integers(
        np.array([t[5][0] for t in _TYPES])[kind], np.array([t[5][1] for t in _TYPES])[kind] + 1
    )
    size = 1 + spouse + kids + elders
    keep = np.cumsum(size) - size < cfg.people
    frame = pd.DataFrame(
        {
            "kind": np.array([t[0] for t in _TYPES])[kind],
            "head_age": rng.integers(lo, hi + 1),
            "spouse": spouse,
            "kids": kids,
            "elders": elders,
            "size": size,
            "migrant": rng.random(h) < cfg.migrant_share,
            "community": rng.choice(n_comm, size=h, p=comm_w),
            "twins": rng.random(h) < 0.02,
        }
    )[keep].reset_index(drop=True)
    frame["household_id"] = "F" + pd.Series(np.arange(1, len(frame) + 1)).map("{:08d}".format)
    return frame


def _roles(hh: pd.DataFrame) -> pd.DataFrame:
    """One row per member with its role: householder, spouse, child, elder."""
    idx = np.repeat(np.arange(len(hh)), hh["size"].to_numpy())
    pos = pd.Series(idx).groupby(idx).cumcount().to_numpy()
    spouse, kids = hh["spouse"].to_numpy()[idx], hh["kids"].to_numpy()[idx]
    role = np.select(
        [pos == 0, (pos == 1) & (spouse == 1), pos < 1 + spouse + kids], ["head", "spouse", "child"], "elder"
    )
    return pd.DataFrame({"hh": idx, "pos": pos, "role": role})


def _ages_and_sex(
    rng: np.random.Generator, hh: pd.DataFrame, m: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray]:
    n = len(m)
    head_age = hh["head_age"].to_numpy()[m["hh"]]
    role = m["role"].to_numpy()
    age = np.select(
        [role == "head", role == "spouse", role == "child"],
        [head_age, np.clip(head_age + rng.normal(-2, 3, n).round(), 20, 99), rng.uniform(0, head_age - 20)],
        np.clip(head_age + rng.uniform(22, 35, n), 45, 101),
    )
    head_male = rng.random(len(hh)) < 0.75
    male = np.select(
        [role == "head", role == "spouse", role == "elder"],
        [head_male[m["hh"]], ~head_male[m["hh"]], (m["pos"].to_numpy() % 2) == 0],
        rng.random(n) < 0.51,
    )
    return age, male


def _birth_dates(
    rng: np.random.Generator, today: np.datetime64, age: np.ndarray, m: pd.DataFrame, hh: pd.DataFrame
):
    days = (np.floor(age) * 365.25 + rng.integers(0, 365, len(age))).astype("timedelta64[D]")
    birth = today - days
    # Twins: the second child shares the first child's birth date.
    twin_hh = hh["twins"].to_numpy()[m["hh"]] & (hh["kids"].to_numpy()[m["hh"]] >= 2)
    second = (
        twin_hh
        & (m["role"].to_numpy() == "child")
        & (m["pos"].to_numpy() == 1 + hh["spouse"].to_numpy()[m["hh"]] + 1)
    )
    birth[second] = birth[np.flatnonzero(second) - 1]
    return birth


def _id_prefixes(rng: np.random.Generator, birth: np.ndarray, migrant: np.ndarray) -> np.ndarray:
    year = birth.astype("datetime64[Y]").astype(int) + 1970
    local = np.select([year < 1986, year <= 1994], ["422427", "422401"], "429004")
    married_in = rng.random(len(birth)) < 0.06
    other = MIGRANT_PREFIXES[rng.integers(0, len(MIGRANT_PREFIXES), len(birth))]
    return np.where(migrant | married_in, other, local)


def _sequence_numbers(
    prefix: np.ndarray, birth: np.ndarray, male: np.ndarray, order: np.ndarray
) -> np.ndarray:
    """Sequence numbers unique per (region, birth date), odd for men, even for women; twins one apart."""
    key = pd.DataFrame({"p": prefix, "b": birth, "m": male, "o": order})
    rank = key.sort_values(["p", "b", "m", "o"]).groupby(["p", "b", "m"], sort=False).cumcount()
    rank = rank.reindex(key.index).to_numpy()
    return 10 + 2 * rank + male.astype(int)


def _names(rng: np.random.Generator, hh: pd.DataFrame, m: pd.DataFrame, male: np.ndarray, eth: np.ndarray):
    """Children and the householder's father share the family surname; spouses and mothers keep their own."""
    n = len(m)
    own = names.surnames(rng, n).astype(object)
    head_idx = np.flatnonzero(m["pos"].to_numpy() == 0)
    first_of = head_idx[m["hh"].to_numpy()]
    spouse_of = np.minimum(first_of + 1, n - 1)
    family = np.where(male[first_of], own[first_of], own[spouse_of])
    role = m["role"].to_numpy()
    takes_family = (role == "child") | ((role == "elder") & male) | ((role == "head") & male)
    surname = np.where(takes_family, family, own)
    full = surname + names.given_names(rng, male)
    uyghur = eth == "05"
    full[uyghur] = names.uyghur_names(rng, int(uyghur.sum()))
    return full


def _ethnicity(
    rng: np.random.Generator, hh: pd.DataFrame, township: np.ndarray, origin: np.ndarray
) -> np.ndarray:
    r = rng.random(len(hh))
    hui_share = np.where(township == "429004113", 0.25, 0.002)
    eth = np.select([r < hui_share, r < hui_share + 0.0015, r < hui_share + 0.002], ["03", "15", "06"], "01")
    return np.where(hh["migrant"].to_numpy() & (origin == UYGHUR_PREFIX), "05", eth)


def phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """Mobile numbers (and a few 0728 landlines for people without a mobile)."""
    heads = np.array(["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                      "156", "158", "159", "166", "177", "180", "181", "186", "187", "188", "189", "199"])  # fmt: skip
    tail = np.char.zfill(rng.integers(0, 100_000_000, n).astype("U8"), 8)
    mobile = np.char.add(heads[rng.integers(0, len(heads), n)], tail)
    land = np.char.add(
        "0728-",
        np.char.add(rng.choice(["2", "3"], n), np.char.zfill(rng.integers(0, 1_000_000, n).astype("U6"), 6)),
    )
    return np.where(rng.random(n) < 0.08, land, mobile)


def _marital(role: np.ndarray, kind: np.ndarray, age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    couple = (role == "head") & (kind != "single") & (kind != "single_elder") | (role == "spouse")
    widowed = ((kind == "single_elder") | (role == "elder")) & (rng.random(len(role)) < 0.6)
    adult_single = (age >= 24) & (rng.random(len(role)) < 0.5)
    return np.select([couple, widowed, role == "elder", adult_single], ["20", "30", "20", "20"], "10")


def _education(age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    levels = np.array(["小学", "初中", "高中", "中专", "大学专科", "大学本科", "研究生"])
    young = np.clip(rng.normal(3.2, 1.4, len(age)), 0, 6)
    old = np.clip(rng.normal(1.2, 1.0, len(age)), 0, 6)
    lvl = np.where(age >= 55, old, young).astype(int)
    return np.where(age < 7, "学龄前", levels[lvl])


def build(rng: np.random.Generator, cfg: CityConfig, community: pd.DataFrame, today: np.datetime64):
    """Households and their members (registered residents and migrants), then the foreigners."""
    hh = _household_frame(rng, cfg, len(community), community["weight"].to_numpy())
    m = _roles(hh)
    age, male = _ages_and_sex(rng, hh, m)
    birth = _birth_dates(rng, today, age, m, hh)
    origin = rng.choice(len(MIGRANT_PREFIXES), size=len(hh), p=ORIGIN_WEIGHTS / ORIGIN_WEIGHTS.sum())
    township = community["township_code"].to_numpy()[hh["community"].to_numpy()]
    eth = _ethnicity(rng, hh, township, origin)[m["hh"]]
    migrant = hh["migrant"].to_numpy()[m["hh"]]
    prefix = _id_prefixes(rng, birth, migrant)
    prefix = np.where(migrant, MIGRANT_PREFIXES[origin[m["hh"]]], prefix)
    seq = _sequence_numbers(prefix, birth, male, np.arange(len(m)))
    role = m["role"].to_numpy()
    relation = np.select(
        [role == "head", role == "spouse", (role == "child") & male, role == "child"],
        ["02", "10", "20", "30"],
        "50",
    )
    persons = pd.DataFrame(
        {
            "name": _names(rng, hh, m, male, eth),
            "sex": np.where(male, "1", "2"),
            "birth_date": birth,
            "id_number": ids.citizen_ids(prefix, birth, seq),
            "id_type": "111",
            "ethnicity": eth,
            "category": np.where(migrant, "02", "01"),
            "nationality": "中国",
            "phone": np.where(age >= 16, phones(rng, len(m)), np.array(None)),
            "household_id": hh["household_id"].to_numpy()[m["hh"]],
            "relation": relation,
            "marital_status": _marital(role, hh["kind"].to_numpy()[m["hh"]], age, rng),
            "education": _education(age, rng),
            "origin": np.where(migrant, MIGRANT_ORIGINS[origin[m["hh"]]], np.array(None)),
            "community_idx": hh["community"].to_numpy()[m["hh"]],
            "elderly_alone": (hh["kind"].to_numpy()[m["hh"]] == "single_elder"),
        }
    )
    persons = pd.concat([persons, _foreigners(rng, cfg, community, today)], ignore_index=True)
    persons.insert(0, "person_id", "P" + pd.Series(np.arange(1, len(persons) + 1)).map("{:08d}".format))
    return hh, persons


def _foreigners(rng: np.random.Generator, cfg: CityConfig, community: pd.DataFrame, today: np.datetime64):
    n = max(1, round(cfg.people * cfg.foreigner_share))
    male = rng.random(n) < 0.6
    name, nationality = names.foreign_names(rng, n)
    letters = rng.choice(list("EGMCKP"), n)
    passport = np.char.add(letters, np.char.zfill(rng.integers(0, 100_000_000, n).astype("U8"), 8))
    urban = np.flatnonzero(community["urban"].to_numpy())
    return pd.DataFrame(
        {
            "name": name,
            "sex": np.where(male, "1", "2"),
            "birth_date": today
            - (rng.integers(22, 60, n) * 365.25 + rng.integers(0, 365, n)).astype("timedelta64[D]"),
            "id_number": passport,
            "id_type": "414",
            "ethnicity": None,
            "category": "03",
            "nationality": nationality,
            "phone": phones(rng, n),
            "household_id": None,
            "relation": None,
            "marital_status": "90",
            "education": "大学本科",
            "origin": nationality,
            "community_idx": rng.choice(urban, n),
            "elderly_alone": False,
        }
    )
