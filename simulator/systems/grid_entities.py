"""Grid-platform tables other than residents: grids, houses, events, organizations, facilities and hazards."""

from __future__ import annotations

import numpy as np
import pandas as pd

from schemas import codes
from simulator import noise
from simulator.config import NoiseConfig
from simulator.systems.records import ENTITY_COLUMN, SourceTable
from simulator.world import World, clock_text

GRID_START = np.datetime64("2013-03-01T08:00:00")
STATUS_SPELLINGS = {r["code"]: codes.split(r["legacy_spellings"]) for r in codes.load("event_status")}


def audit_times(
    rng: np.random.Generator, n: int, today: np.datetime64, zero_rate: float
) -> tuple[pd.Series, pd.Series]:
    """DJSJ between the platform's launch and today (some MariaDB zero dates), XGSJ at or after it."""
    now = today.astype("datetime64[s]")
    span = int((now - GRID_START).astype(int))
    reg = GRID_START + rng.integers(0, span, n).astype("timedelta64[s]")
    upd = reg + (rng.random(n) * (now - reg).astype(int)).astype("timedelta64[s]")
    djsj = clock_text(reg).astype(object)
    djsj[noise.chosen(rng, n, zero_rate)] = "0000-00-00 00:00:00"
    return djsj, clock_text(upd)


def numbers(rng: np.random.Generator, prefix: str, n: int, width: int, start: int = 1) -> pd.Series:
    """Distinct record numbers in shuffled order, like a vendor's sequence after merges."""
    return prefix + pd.Series(rng.permutation(n) + start).astype(str).str.zfill(width)


def township_text(rng: np.random.Generator, township_code: pd.Series) -> pd.Series:
    """The township as typed: the current name mostly, else the old name, the short name or a legacy spelling."""
    towns = pd.DataFrame(codes.load("township")).set_index("code")
    full = township_code.map(towns["name"])
    old = township_code.map(towns["old_names"].map(lambda c: next(iter(codes.split(c)), None)))
    legacy = township_code.map(towns["legacy_spellings"].map(lambda c: next(iter(codes.split(c)), None)))
    short = township_code.map(towns["short_name"])
    r = rng.random(len(township_code))
    out = full.where(r < 0.6, short)
    out = out.where((r < 0.75) | old.isna(), old)
    return out.where((r < 0.9) | legacy.isna(), legacy)


def grid_grids(rng: np.random.Generator, w: World, cfg: NoiseConfig) -> SourceTable:
    g = w.grids.reset_index(drop=True)
    # A grid worker lives in the grid: the first adult resident found there.
    adults = w.persons[
        w.persons["is_alive"]
        & (w.persons["birth_date"] < np.datetime64(w.today) - np.timedelta64(25 * 365, "D"))
    ]
    worker = adults.drop_duplicates("grid_code").set_index("grid_code").reindex(g["grid_code"])
    frame = pd.DataFrame(
        {
            "WGBM": g["grid_code"],
            "WGMC": g["name"],
            "SSJD": township_text(rng, g["township_code"]),
            "SSSQ": g["community_id"].map(w.communities.set_index("community_id")["name"]),
            "WGYXM": worker["name"].to_numpy(),
            "WGYLXDH": noise.phone_text(rng, worker["phone"].reset_index(drop=True), cfg.phone_variant, 0),
            "JLZT": "1",
            ENTITY_COLUMN: "G" + g["grid_code"],
        }
    )
    return SourceTable("grid", "ZZ_WG", "place", ("WGBM",), frame)


def _flat_variants(rng: np.random.Generator, values: pd.Series, suffixes: tuple[str, ...]) -> pd.Series:
    """3 -> 3栋 / 3幢 / 3号楼 / 3 (empty for rural houses, where the value is 0)."""
    text = values.astype(str) + rng.choice(np.array(suffixes, dtype=object), len(values))
    return text.where(values > 0, None)


def grid_houses(rng: np.random.Generator, w: World, cfg: NoiseConfig) -> SourceTable:
    h = w.houses
    h = pd.concat([h, h[noise.chosen(rng, len(h), cfg.grid_place_duplicate)]], ignore_index=True)
    n = len(h)
    owner_id = w.person_lookup("id_number").reindex(h["owner_person_id"]).reset_index(drop=True)
    owner_ids, _ = noise.damage_ids(rng, owner_id, cfg.id_damage)
    fwbh = "FW" + h["house_id"].str[1:]
    dup = fwbh.duplicated().to_numpy()
    # A duplicate entry got its own number from the vendor's sequence.
    fwbh[dup] = fwbh[dup].str[:-5] + (90000 + np.arange(int(dup.sum())) % 9999).astype(str)
    djsj, xgsj = audit_times(rng, n, w.today64, cfg.zero_date)
    frame = pd.DataFrame(
        {
            "FWBH": fwbh,
            "WGBM": h["grid_code"],
            "XZJD": township_text(rng, h["township_code"]),
            "JCWH": h["community_name"],
            "JLX": h["street"],
            "MLPH": h["door_no"].astype(str) + np.where(rng.random(n) < 0.8, "号", ""),
            "LDH": _flat_variants(rng, h["building"], ("栋", "幢", "号楼", "", "栋")),
            "DYH": _flat_variants(rng, h["unit"], ("单元", "", "单元")),
            "SH": _flat_variants(rng, h["room"], ("室", "", "室")),
            "FWDZ": noise.address_text(rng, h["address"], cfg.address_variant),
            "FWLB": h["use_code"],
            "FZXM": w.person_lookup("name").reindex(h["owner_person_id"]).to_numpy(),
            "FZSFHM": owner_ids,
            "JWD": h["lng"].map("{:.6f}".format) + "," + h["lat"].map("{:.6f}".format),
            "ZXBS": "0",
            "DJSJ": djsj,
            "XGSJ": xgsj,
            ENTITY_COLUMN: h["house_id"],
        }
    )
    return SourceTable("grid", "JC_FW", "place", ("FWBH",), frame)


def _status_text(rng: np.random.Generator, status: pd.Series) -> pd.Series:
    """The status code, or for half the rows one of its legacy spellings (已受理, 处理中 …)."""
    pick = rng.integers(0, 1 << 30, len(status))
    spelled = pd.Series(
        [STATUS_SPELLINGS[s][k % len(STATUS_SPELLINGS[s])] for s, k in zip(status, pick, strict=True)],
        index=status.index,
        dtype=object,
    )  # per row, but over a five-value code: cheap
    return status.where(rng.random(len(status)) < 0.5, spelled)


def party_columns(w: World, parties: pd.Series, column: str, sep: str) -> pd.Series:
    """Map comma-joined person ids to the joined values of one person column."""
    split = parties.str.split(",", expand=True)
    lookup = w.person_lookup(column)
    out = pd.Series("", index=parties.index, dtype=object)
    for j in split.columns:  # at most three parties
        val = split[j].map(lookup)
        out = out.where(val.isna(), np.where(out == "", "", out + sep) + val.fillna("").astype(str))
    return out


def event_rows(rng: np.random.Generator, w: World, e: pd.DataFrame, cfg: NoiseConfig) -> pd.DataFrame:
    n = len(e)
    occurred = pd.to_datetime(e["occurred_at"])
    fssj = occurred.dt.strftime("%Y-%m-%d %H:%M:%S").astype(object)
    slash = rng.random(n) < 0.2
    fssj[slash] = (occurred.dt.strftime("%Y/") + occurred.dt.month.astype(str) + "/" + occurred.dt.day.astype(str)
                   + occurred.dt.strftime(" %H:%M"))[slash]  # fmt: skip
    type_name = e["event_type"].map(codes.names("event_type"))
    ids = party_columns(w, e["party_person_ids"], "id_number", ",")
    ids = ids.where(rng.random(n) > 0.1, None)
    closed = pd.to_datetime(e["closed_at"])
    return pd.DataFrame(
        {
            "SJBH": "SJ" + occurred.dt.strftime("%Y%m%d") + e["event_id"].str[-6:],
            "SJMC": e["title"],
            "SJLB": type_name.where(rng.random(n) < 0.8, e["event_type"]),
            "SJLY": rng.choice(
                np.array(["网格员上报", "群众来访", "12345热线", "部门移交"], dtype=object), n
            ),
            "FSSJ": fssj,
            "FSDD": noise.address_text(
                rng, e["house_id"].map(w.house_lookup("address")), cfg.address_variant
            ),
            "WGBM": e["grid_code"],
            "SJRS": e["party_count"].astype(str) + np.where(rng.random(n) < 0.3, "人", ""),
            "DSRXM": party_columns(w, e["party_person_ids"], "name", "、"),
            "DSRSFHM": ids,
            "DQZT": _status_text(rng, e["status"]),
            "CLSX": pd.to_datetime(e["deadline"]).dt.strftime("%Y-%m-%d"),
            "BJSJ": closed.dt.strftime("%Y-%m-%d %H:%M:%S").where(closed.notna(), None),
            "ZXBS": "0",
            "DJSJ": (occurred + pd.to_timedelta(rng.integers(60, 7200, n), unit="s")).dt.strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "XGSJ": clock_text(e["updated_at"]).to_numpy(),
            ENTITY_COLUMN: e["event_id"],
        }
    )


def grid_events(rng: np.random.Generator, w: World, cfg: NoiseConfig) -> SourceTable:
    e = w.events[w.events["channel"] == "grid"].reset_index(drop=True)
    return SourceTable("grid", "SJ_MDJF", "event", ("SJBH",), event_rows(rng, w, e, cfg))


def credit_code_text(rng: np.random.Generator, code: pd.Series, rate: float) -> pd.Series:
    """Lower case, O for 0, I for 1, a hyphen before the organization code's check, or nothing at all."""
    s = code.astype(object).copy()
    kind = np.where(noise.chosen(rng, len(s), rate) & s.notna().to_numpy(), rng.integers(0, 5, len(s)), -1)
    s[kind == 0] = s[kind == 0].str.lower()
    s[kind == 1] = s[kind == 1].str.replace("0", "O", regex=False)
    s[kind == 2] = s[kind == 2].str.replace("1", "I", regex=False)
    s[kind == 3] = s[kind == 3].str[:16] + "-" + s[kind == 3].str[16:]
    s[kind == 4] = None
    return s


def org_rows(
    rng: np.random.Generator, w: World, o: pd.DataFrame, cfg: NoiseConfig, start: int
) -> pd.DataFrame:
    n = len(o)
    old = o["reg_date"] < np.datetime64("2015-10-01")
    org_code = o["org_code"].where(old & (rng.random(n) < 0.4), None)
    org_code = org_code.where(rng.random(n) < 0.5, org_code.str[:8] + "-" + org_code.str[8:])
    djsj, xgsj = audit_times(rng, n, w.today64, cfg.zero_date)
    return pd.DataFrame(
        {
            "ZZBH": numbers(rng, "ZZ", n, 8, start),
            "DWMC": o["name"].where(rng.random(n) < 0.9, o["name"].str.replace("仙桃市", "", regex=False)),
            "TYSHXYDM": credit_code_text(rng, o["credit_code"], cfg.credit_code_damage),
            "ZZJGDM": org_code,
            "GSZCH": o["reg_no"].where(rng.random(n) < 0.6, None),
            "FDDBR": o["legal_rep_person_id"].map(w.person_lookup("name")),
            "DWDZ": noise.address_text(
                rng, o["house_id"].map(w.house_lookup("address")), cfg.address_variant
            ),
            "DWLX": o["org_type"].map(codes.names("organization_type")),
            "LXDH": noise.phone_text(rng, o["phone"], cfg.phone_variant, cfg.phone_dummy),
            "WGBM": o["grid_code"],
            "ZXBS": np.where(o["is_active"], "0", "1"),
            "DJSJ": djsj,
            "XGSJ": xgsj,
            ENTITY_COLUMN: o["org_id"],
        }
    )


def grid_orgs(rng: np.random.Generator, w: World, cfg: NoiseConfig) -> SourceTable:
    o = w.orgs[noise.chosen(rng, len(w.orgs), cfg.grid_coverage)]
    o = pd.concat([o, o[noise.chosen(rng, len(o), cfg.grid_place_duplicate)]], ignore_index=True)
    return SourceTable("grid", "JC_ZZ", "organization", ("ZZBH",), org_rows(rng, w, o, cfg, 1))


def facility_rows(
    rng: np.random.Generator, w: World, t: pd.DataFrame, cfg: NoiseConfig, start: int
) -> pd.DataFrame:
    n = len(t)
    djsj = clock_text(pd.to_datetime(t["registered_on"]) + pd.Timedelta(hours=8)).astype(object)
    djsj[noise.chosen(rng, n, cfg.zero_date)] = "0000-00-00 00:00:00"
    return pd.DataFrame(
        {
            "SSBH": numbers(rng, "SS", n, 8, start),
            "SSMC": t["name"],
            "SSLX": t["thing_type"].map(codes.names("thing_type")),
            "SBBM": t["device_code"],
            "FWBH": ("FW" + t["house_id"].str[1:]).where(t["house_id"].notna(), None),
            "WGBM": t["grid_code"],
            "ZT": t["status"],
            "ZXBS": "0",
            "DJSJ": djsj,
            "XGSJ": clock_text(t["updated_at"]).to_numpy(),
            ENTITY_COLUMN: t["thing_id"],
        }
    )


def grid_facilities(rng: np.random.Generator, w: World, cfg: NoiseConfig) -> SourceTable:
    t = w.things[w.things["kind"] != "vehicle"].reset_index(drop=True)
    # A camera or fire device re-entered after a repair or a grid reshuffle: another SSBH, the same device code.
    coded = t[t["device_code"].notna()]
    t = pd.concat([t, coded[noise.chosen(rng, len(coded), cfg.grid_facility_duplicate)]], ignore_index=True)
    return SourceTable("grid", "JC_SS", "thing", ("SSBH",), facility_rows(rng, w, t, cfg, 1))
