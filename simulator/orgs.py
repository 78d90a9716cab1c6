"""Organizations of the true city: enterprises, individual businesses, cooperatives, social organizations, offices."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from simulator import ids

# type code, share, credit-code department+category choices (empty: none issued), name pattern
_TYPES = (
    ("enterprise", 0.55, ("91",), "仙桃市{w}{trade}有限公司"),
    ("individual_business", 0.24, ("92",), "仙桃市{town}{w}{shop}"),
    ("cooperative", 0.06, ("93",), "仙桃市{w}{crop}专业合作社"),
    ("social_organization", 0.05, ("51", "52", "53"), "仙桃市{w}{social}"),
    ("property_management", 0.02, ("91",), "仙桃市{w}物业服务有限公司"),
    ("owners_committee", 0.02, ("",), "{w}小区业主委员会"),
    ("party_organization", 0.02, ("",), "中共仙桃市{w}{trade}有限公司支部委员会"),
    ("government", 0.04, ("11", "12"), "仙桃市{town}{office}"),
)
_WORDS = list("鑫隆盛华兴泰宏达源顺丰瑞祥和康佳福宝金银荣昌新天恒通利伟成建楚汉江沔阳仙洲德信诚安博远明辉")
_VOCAB = {
    "trade": ("贸易", "建筑工程", "纺织", "农业科技", "食品", "水产", "机械制造", "商贸", "物流", "无纺布制品", "电子", "医药"),
    "shop": ("便利店", "餐馆", "理发店", "五金店", "超市", "药店", "服装店", "早点铺", "家电维修部", "建材店"),
    "crop": ("水稻种植", "龙虾养殖", "蔬菜种植", "黄鳝养殖", "生猪养殖", "农机"),
    "social": ("商会", "协会", "幼儿园", "培训学校", "养老院", "慈善基金会"),
    "office": ("卫生院", "中心小学", "财政所", "农业服务中心", "社会事务办", "文化站"),
}  # fmt: skip
SOCIAL_ORG_TYPE = {"51": "社会团体", "52": "民办非企业单位", "53": "基金会"}


def _fill(pattern: str, rows: int, tokens: dict[str, np.ndarray]) -> np.ndarray:
    """Fill a pattern like 仙桃市{w}{trade}有限公司 for many rows by concatenating whole columns."""
    out = np.full(rows, "", dtype=object)
    for piece in re.split(r"(\{\w+\})", pattern):
        out = out + (tokens[piece[1:-1]] if piece.startswith("{") else piece)
    return out


def build(rng: np.random.Generator, n: int, adults: pd.DataFrame, houses: pd.DataFrame, today: np.datetime64):
    """``n`` organizations with legal representatives drawn from ``adults`` and premises drawn from ``houses``."""
    shares = np.array([t[1] for t in _TYPES])
    kind = rng.choice(len(_TYPES), size=n, p=shares / shares.sum())
    house = houses.iloc[rng.integers(0, len(houses), n)].reset_index(drop=True)
    town_short = house["township_code"].map(_town_short()).to_numpy(dtype=object)
    tokens = {k: rng.choice(v, n).astype(object) for k, v in _VOCAB.items()}
    tokens["w"] = rng.choice(_WORDS, n).astype(object) + rng.choice(_WORDS, n).astype(object)
    tokens["town"] = town_short
    name = np.empty(n, dtype=object)
    for t, (_, _, _, pattern) in enumerate(_TYPES):  # eight patterns, each filled for all its rows at once
        rows = kind == t
        name[rows] = _fill(pattern, int(rows.sum()), {k: v[rows] for k, v in tokens.items()})
    reg = today - rng.integers(30, 365 * 30, n).astype("timedelta64[D]")
    new_style = reg >= np.datetime64("2015-10-01")
    dept = np.empty(n, dtype=object)
    for t, spec in enumerate(_TYPES):
        rows = kind == t
        dept[rows] = rng.choice(spec[2], int(rows.sum()))
    ma_body = np.char.add("MA", _join_cols(rng.choice(np.array(list(ids.CREDIT_CHARSET)), size=(n, 6))))
    old_body = np.char.zfill(rng.integers(10_000_000, 99_999_999, n).astype("U8"), 8)
    org_code = ids.org_codes(np.where(new_style, ma_body, old_body))
    has_code = dept != ""
    credit = np.where(
        has_code, ids.credit_codes(np.where(has_code, dept, "91"), "429004", org_code), np.array(None)
    )
    is_company = np.isin(kind, [0, 1, 2, 4])
    reg_no = np.where(
        is_company & ~new_style, ids.registration_numbers("429004", rng.integers(0, 10**8, n)), np.array(None)
    )
    rep = adults.iloc[rng.integers(0, len(adults), n)]
    return pd.DataFrame(
        {
            "org_id": "O" + pd.Series(np.arange(1, n + 1)).map("{:07d}".format),
            "name": name,
            "credit_code": credit,
            "org_code": np.where(has_code, org_code, np.array(None)),
            "reg_no": reg_no,
            "org_type": np.array([t[0] for t in _TYPES])[kind],
            "dept": dept,
            "legal_rep_person_id": rep["person_id"].to_numpy(),
            "house_id": house["house_id"].to_numpy(),
            "grid_code": house["grid_code"].to_numpy(),
            "phone": np.where(rng.random(n) < 0.7, rep["phone"].to_numpy(), _landlines(rng, n)),
            "reg_date": reg,
            "is_active": rng.random(n) > 0.03,
        }
    )


def _landlines(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.char.add("0728-", np.char.zfill(rng.integers(2_000_000, 4_000_000, n).astype("U7"), 7))


def _join_cols(chars: np.ndarray) -> np.ndarray:
    out = chars[:, 0].astype("U8")
    for j in range(1, chars.shape[1]):
        out = np.char.add(out, chars[:, j])
    return out


def _town_short() -> dict[str, str]:
    from schemas import codes

    return {r["code"]: r["short_name"] for r in codes.load("township")}
