"""Places of the true city: townships, communities and villages, grids, and houses with their addresses."""

from __future__ import annotations

import numpy as np
import pandas as pd

from schemas import codes

CITY_PREFIX = "湖北省仙桃市"
CENTER = (113.454, 30.364)  # Xiantao city centre, WGS84

# Streets carry more people than towns; the four streets hold about 40% of the city.
_STREET_WEIGHT = {"001": 14.0, "002": 10.0, "003": 10.0, "004": 5.0}
_TOWN_WEIGHT = 3.6

_URBAN_WORDS = (
    "仙源", "复州", "钱沟", "新华", "花园", "宏达", "沔阳", "黄金", "大新", "洪渊", "杜湖", "汉江", "何李", "关帝", "怡和",
    "民主", "友谊", "体育", "城南", "城北", "东风", "红旗", "建设", "幸福", "光明", "丰华", "双湖", "鑫发", "仙下河", "流潭",
)  # fmt: skip
_STREETS = (
    "仙源路", "钱沟路", "复州大道", "仙桃大道", "沔阳大道", "黄金大道", "大新路", "洪渊路", "宏达大道", "汉江路",
    "杜湖路", "金城路", "新华街", "民主路", "友谊路", "体育路", "勉阳路", "干河路", "龙华山路", "丝宝大道",
)  # fmt: skip
_VILLAGE_TAILS = ("台", "湾", "垸", "口", "河", "湖", "岭", "桥", "场", "嘴", "墩", "沟", "潭", "渊", "洲")
_DIRECTIONS = ("", "新", "东", "西", "南", "北", "大", "小", "上", "下")
_DIGITS = "〇一二三四五六七八九"
# Villagers' groups 一组 … 九十九组, as the numerals are written on the door plates.
_GROUP_NUMERALS = np.array(
    [_DIGITS[n] if n < 10 else (_DIGITS[n // 10] if n >= 20 else "") + "十" + (_DIGITS[n % 10] if n % 10 else "")
     for n in range(100)],
    dtype=object,
)  # fmt: skip


def townships() -> pd.DataFrame:
    rows = codes.load("township")
    frame = pd.DataFrame(rows)[["code", "name", "short_name", "kind", "old_names", "legacy_spellings"]]
    suffix = frame["code"].str[-3:]
    frame["weight"] = suffix.map(_STREET_WEIGHT).fillna(_TOWN_WEIGHT).astype(float)
    return frame


def _community_names(rng: np.random.Generator, kind: str, short: str, n: int) -> list[str]:
    """Distinct names: streets have 社区; towns have one 社区 at the seat and villages (村) for the rest."""
    if kind == "street":
        pool = [d + w for d in _DIRECTIONS for w in _URBAN_WORDS]
        picked = rng.choice(len(pool), size=n, replace=False)
        return [pool[i] + "社区" for i in sorted(picked)]
    surnames = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗彭熊谢万"
    pool = [s + m + t for s in surnames for m in ("家", "") for t in _VILLAGE_TAILS]
    picked = rng.choice(len(pool), size=max(n - 1, 0), replace=False)
    return [short + "社区"] + [pool[i] + "村" for i in sorted(picked)]


def communities(rng: np.random.Generator, people: int, people_per_community: int) -> pd.DataFrame:
    """Communities and villages of every township, with a weight that says how many people live there."""
    towns = townships()
    share = towns["weight"] / towns["weight"].sum()
    counts = np.maximum(2, np.round(share * people / people_per_community).astype(int))
    parts = []
    for (_, town), n in zip(towns.iterrows(), counts, strict=True):  # 19 townships
        names = _community_names(rng, town["kind"], town["short_name"], int(n))
        w = rng.gamma(4.0, 1.0, size=len(names))
        parts.append(
            pd.DataFrame(
                {
                    "township_code": town["code"],
                    "seq": np.arange(1, len(names) + 1),
                    "name": names,
                    "urban": [town["kind"] == "street" or nm.endswith("社区") for nm in names],
                    "weight": w / w.sum() * town["weight"],
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame["code"] = frame["township_code"] + frame["seq"].map("{:03d}".format)
    frame["community_id"] = "C" + frame["code"]
    frame["weight"] = frame["weight"] / frame["weight"].sum()
    return frame.drop(columns="seq")


def grids(community: pd.DataFrame, residents: np.ndarray, people_per_grid: int) -> pd.DataFrame:
    """Grids (15-digit codes) per community, as many as the residents need."""
    n = np.maximum(1, np.ceil(residents / people_per_grid).astype(int))
    idx = np.repeat(np.arange(len(community)), n)
    seq = pd.Series(idx).groupby(idx).cumcount().to_numpy() + 1
    base = community.iloc[idx].reset_index(drop=True)
    code = "429004" + base["code"].str[-6:] + pd.Series(seq).map("{:03d}".format)
    return pd.DataFrame(
        {
            "grid_code": code,
            "community_id": base["community_id"],
            "township_code": base["township_code"],
            "name": base["name"] + "第" + pd.Series(seq).astype(str) + "网格",
            "seq": seq,
        }
    )


def houses(
    rng: np.random.Generator, community: pd.DataFrame, grid: pd.DataFrame, per_comm: np.ndarray
) -> pd.DataFrame:
    """Houses of each community laid out as compounds (urban) or villagers' groups (rural), split into its grids."""
    cidx = np.repeat(np.arange(len(community)), per_comm)
    k = pd.Series(cidx).groupby(cidx).cumcount().to_numpy()
    comm = community.iloc[cidx].reset_index(drop=True)
    urban = comm["urban"].to_numpy()
    n_grids = grid.groupby("community_id", sort=False).size().reindex(community["community_id"]).to_numpy()
    gseq = (k * n_grids[cidx]) // per_comm[cidx] + 1
    grid_code = "429004" + comm["code"].str[-6:] + pd.Series(gseq).map("{:03d}".format)
    compound = k // 288
    street_pick = (rng.integers(0, len(_STREETS), len(community))[cidx] + compound) % len(_STREETS)
    street = np.where(
        urban,
        np.array(_STREETS, dtype=object)[street_pick],
        _GROUP_NUMERALS[np.minimum(k // 40 + 1, 99)] + "组",
    )
    door = np.where(urban, 8 + compound * 6 + (cidx * 7 + compound) % 5, k % 40 + 1)
    building = np.where(urban, (k // 24) % 12 + 1, 0)
    unit = np.where(urban, (k // 12) % 2 + 1, 0)
    room = np.where(urban, ((k // 2) % 6 + 1) * 100 + k % 2 + 1, 0)
    frame = pd.DataFrame(
        {
            "house_id": "H" + grid_code + pd.Series(k).map("{:05d}".format),
            "community_idx": cidx,
            "community_id": comm["community_id"],
            "township_code": comm["township_code"],
            "community_name": comm["name"],
            "grid_code": grid_code,
            "urban": urban,
            "street": street,
            "door_no": door,
            "building": building,
            "unit": unit,
            "room": room,
        }
    )
    frame["address"] = house_address(frame)
    lng0 = CENTER[0] + (comm["township_code"].str[-3:].astype(int).to_numpy() % 17 - 8) * 0.035
    lat0 = CENTER[1] + (comm["township_code"].str[-3:].astype(int).to_numpy() % 11 - 5) * 0.03
    frame["lng"] = np.round(lng0 + rng.normal(0, 0.01, len(frame)), 6)
    frame["lat"] = np.round(lat0 + rng.normal(0, 0.01, len(frame)), 6)
    return frame


def house_address(h: pd.DataFrame) -> pd.Series:
    """The canonical address: 湖北省仙桃市 + township + community + street + door (+ building, unit, room)."""
    town = h["township_code"].map(codes.names("township"))
    base = CITY_PREFIX + town + h["community_name"] + h["street"] + h["door_no"].astype(str) + "号"
    flat = h["building"].astype(str) + "栋" + h["unit"].astype(str) + "单元" + h["room"].astype(str) + "室"
    return base.where(~h["urban"], base + flat)
