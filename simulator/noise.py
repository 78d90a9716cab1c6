"""Faults of legacy data entry (domain.md §4), applied to whole columns: each function damages a random share of rows.

Every function takes the clean column (a pandas Series of str, index preserved) and returns the damaged one.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.names import HOMOPHONES

PLACEHOLDERS = np.array(["无", "不详", "未知", "-", "NULL", "？", "暂无"], dtype=object)
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
ID_FAULTS = (
    "15digit",
    "fullwidth",
    "lower_x",
    "excel_float",
    "zero_tail",
    "apostrophe",
    "spaces",
    "wrong_digit",
    "swap",
)
DATE_FORMATS = ("dot", "compact", "short_year", "chinese", "slash", "excel_serial", "month_only")
OLD_TOWNSHIP_NAMES = {
    "沙嘴街道": "沙嘴办事处", "干河街道": "干河办事处", "龙华山街道": "龙华山办事处", "杜湖街道": "杜湖办事处",
    "剅河镇": "豆河镇", "长埫口镇": "长倘口镇", "沔城回族镇": "沔城镇",
}  # fmt: skip


def _flag(values: pd.Series) -> np.ndarray:
    """A boolean mask from a string-method result that is missing for missing values."""
    return values.fillna(False).to_numpy(dtype=bool)


def chosen(rng: np.random.Generator, n: int, rate: float) -> np.ndarray:
    return rng.random(n) < rate


def _split(rng: np.random.Generator, mask: np.ndarray, kinds: int) -> np.ndarray:
    """Assign each chosen row one of ``kinds`` fault kinds (-1 for rows not chosen)."""
    return np.where(mask, rng.integers(0, kinds, len(mask)), -1)


def damage_ids(rng: np.random.Generator, ids: pd.Series, rate: float) -> tuple[pd.Series, np.ndarray]:
    """Damaged citizen IDs and the fault kind per row (-1 clean). Only 18-character IDs are damaged."""
    s = ids.astype(object).copy()
    ok = _flag(s.str.len().eq(18))
    kind = _split(rng, chosen(rng, len(s), rate) & ok, len(ID_FAULTS))
    k = {name: kind == i for i, name in enumerate(ID_FAULTS)}
    s[k["15digit"]] = s[k["15digit"]].str[:6] + s[k["15digit"]].str[8:17]
    s[k["fullwidth"]] = s[k["fullwidth"]].str.translate(FULL_WIDTH)
    s[k["lower_x"]] = s[k["lower_x"]].str.lower()
    s[k["excel_float"]] = s[k["excel_float"]].str[0] + "." + s[k["excel_float"]].str[1:6] + "E+17"
    s[k["zero_tail"]] = s[k["zero_tail"]].str[:15] + "000"
    s[k["apostrophe"]] = "'" + s[k["apostrophe"]]
    sp = k["spaces"]
    s[sp] = s[sp].str[:6] + " " + s[sp].str[6:14] + " " + s[sp].str[14:]
    s[k["wrong_digit"]] = _wrong_digit(rng, s[k["wrong_digit"]])
    s[k["swap"]] = _swap_digits(rng, s[k["swap"]])
    return s, kind


def _wrong_digit(rng: np.random.Generator, s: pd.Series) -> pd.Series:
    out = s.copy()
    pos = rng.integers(14, 17, len(s))  # the sequence digits: the check then fails
    for p in range(14, 17):  # three positions, each a whole-column operation
        rows = pos == p
        digit = out[rows].str[p].astype(int)
        out[rows] = (
            out[rows].str[:p]
            + ((digit + 1 + rng.integers(0, 8, rows.sum())) % 10).astype(str)
            + out[rows].str[p + 1 :]
        )
    return out


def _swap_digits(rng: np.random.Generator, s: pd.Series) -> pd.Series:
    out = s.copy()
    pos = rng.integers(14, 16, len(s))
    for p in range(14, 16):
        rows = pos == p
        v = out[rows]
        # Swapping equal digits changes nothing; shift the second one so the record is really wrong.
        b = np.where(
            v.str[p] == v.str[p + 1], ((v.str[p + 1].astype(int) + 1) % 10).astype(str), v.str[p + 1]
        )
        out[rows] = v.str[:p] + b + v.str[p] + v.str[p + 2 :]
    return out


def format_dates(
    rng: np.random.Generator, dates: pd.Series, rate: float, placeholder_rate: float
) -> pd.Series:
    """Birth dates as typed: YYYY-MM-DD, and for ``rate`` of rows one of :data:`DATE_FORMATS`; some placeholders."""
    d = pd.to_datetime(dates)
    y, m, dd = d.dt.year.astype(str), d.dt.month.astype(str), d.dt.day.astype(str)
    m2, d2 = m.str.zfill(2), dd.str.zfill(2)
    serial = ((d - pd.Timestamp("1899-12-30")).dt.days).astype(str)
    variants = [
        y + "." + m + "." + dd, y + m2 + d2, y.str[2:] + "." + m2 + "." + d2, y + "年" + m + "月" + dd + "日",
        y + "/" + m + "/" + dd, serial, y + "." + m2,
    ]  # fmt: skip
    out = (y + "-" + m2 + "-" + d2).astype(object)
    kind = _split(rng, chosen(rng, len(d), rate), len(variants))
    for i, v in enumerate(variants):
        out[kind == i] = v[kind == i]
    ph = chosen(rng, len(d), placeholder_rate)
    out[ph] = rng.choice(np.array(["0000-00-00", "1900-01-01"], dtype=object), int(ph.sum()))
    return out.where(d.notna(), None)


def sex_text(rng: np.random.Generator, sex: pd.Series, rate: float) -> pd.Series:
    """男/女, or 1/2, M/F, 男性/女性, and the legacy 0 = male / 1 = female import."""
    male = sex.eq("1").to_numpy()
    variants = [("1", "2"), ("M", "F"), ("男性", "女性"), ("0", "1")]
    out = pd.Series(np.where(male, "男", "女"), index=sex.index, dtype=object)
    kind = _split(rng, chosen(rng, len(sex), rate), len(variants))
    for i, (a, b) in enumerate(variants):
        out[kind == i] = np.where(male[kind == i], a, b)
    return out


def ethnicity_text(
    rng: np.random.Generator, code: pd.Series, short: pd.Series, full: pd.Series, rate: float
) -> pd.Series:
    """汉 by default; 汉族, 01 or 1 for ``rate`` of rows."""
    out = short.astype(object).copy()
    kind = _split(rng, chosen(rng, len(code), rate) & code.notna().to_numpy(), 3)
    out[kind == 0] = full[kind == 0]
    out[kind == 1] = code[kind == 1]
    out[kind == 2] = code[kind == 2].str.lstrip("0")
    return out


def phone_text(rng: np.random.Generator, phone: pd.Series, rate: float, dummy_rate: float) -> pd.Series:
    s = phone.astype(object).copy()
    mobile = _flag(s.str.len().eq(11)) & _flag(s.str.startswith("1"))
    land = _flag(s.str.startswith("0728-"))
    kind = _split(rng, chosen(rng, len(s), rate), 5)
    m = s[mobile]
    s[mobile & (kind == 0)] = (m.str[:3] + "-" + m.str[3:7] + "-" + m.str[7:])[kind[mobile] == 0]
    s[mobile & (kind == 1)] = (m.str[:3] + " " + m.str[3:7] + " " + m.str[7:])[kind[mobile] == 1]
    s[mobile & (kind == 2)] = ("+86 " + m)[kind[mobile] == 2]
    two = mobile & (kind == 3)
    s[two] = (
        s[two]
        + "/0728-"
        + pd.Series(rng.integers(2_000_000, 4_000_000, len(s)), index=s.index).astype(str)[two]
    )
    ln = s[land]
    s[land & (kind == 0)] = ("(0728)" + ln.str[5:])[kind[land] == 0]
    s[land & (kind == 1)] = ln.str[5:][kind[land] == 1]
    dummy = chosen(rng, len(s), dummy_rate)
    s[dummy] = rng.choice(
        np.array(["13800000000", "00000000000", "11111111111"], dtype=object), int(dummy.sum())
    )
    return s


def name_text(rng: np.random.Generator, name: pd.Series, typo_rate: float, format_rate: float) -> pd.Series:
    """Homophone typos in the surname or last character, and annotations, inner spaces or separator variants."""
    s = name.astype(object).copy()
    typo = chosen(rng, len(s), typo_rate)
    last = rng.random(len(s)) < 0.5
    first_sub = s.str[0].map(HOMOPHONES)
    last_sub = s.str[-1].map(HOMOPHONES)
    a = typo & ~last & first_sub.notna().to_numpy()
    b = typo & last & last_sub.notna().to_numpy()
    s[a] = first_sub[a] + s[a].str[1:]
    s[b] = s[b].str[:-1] + last_sub[b]
    kind = _split(rng, chosen(rng, len(s), format_rate), 4)
    dotted = _flag(s.str.contains("·", regex=False))
    sep = (kind == 0) & dotted
    s[sep] = s[sep].str.replace("·", str(rng.choice(["•", "・", ".", "．", ""])), regex=False)
    s[(kind == 1) & ~dotted] = s[(kind == 1) & ~dotted].str[:1] + " " + s[(kind == 1) & ~dotted].str[1:]
    s[kind == 2] = s[kind == 2] + rng.choice(
        np.array(["（户主）", "(已故)", " "], dtype=object), int((kind == 2).sum())
    )
    s[kind == 3] = s[kind == 3].str[:1] + "\u3000" + s[kind == 3].str[1:]
    return s


def address_text(rng: np.random.Generator, address: pd.Series, rate: float) -> pd.Series:
    """Drop or stretch the 湖北省仙桃市 prefix, use the old township name, write 栋 as 幢 or 号楼, drop 单元/室."""
    s = address.astype(object).copy()
    kind = _split(rng, chosen(rng, len(s), rate), 5)
    s[kind == 0] = s[kind == 0].str.replace("湖北省仙桃市", "", regex=False)
    s[kind == 1] = s[kind == 1].str.replace("湖北省仙桃市", "湖北省省直辖县级行政区划仙桃市", regex=False)
    old = s[kind == 2]
    for new_name, old_name in OLD_TOWNSHIP_NAMES.items():  # seven names, whole-column replaces
        old = old.str.replace(new_name, old_name, regex=False)
    s[kind == 2] = old
    s[kind == 3] = s[kind == 3].str.replace("栋", str(rng.choice(["幢", "号楼"])), regex=False)
    s[kind == 4] = s[kind == 4].str.replace("单元", "-", regex=False).str.replace("室", "", regex=False)
    return s


def placeholders(rng: np.random.Generator, values: pd.Series, rate: float) -> pd.Series:
    s = values.astype(object).copy()
    ph = chosen(rng, len(s), rate)
    s[ph] = rng.choice(PLACEHOLDERS, int(ph.sum()))
    return s
