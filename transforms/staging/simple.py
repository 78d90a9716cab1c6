"""Normalizers the standardizers do not have: free text, timestamps, yes/no flags, counts and organization names.

They follow the same shape (transforms.layered.Layered: value first, then status) so staging treats every field alike.
"""

from __future__ import annotations

import datetime as dt

from transforms.layered import Layered
from transforms.text import days_between, year_digits_sql

_RAW = {"raw": "nullif(trim(CAST(@in AS VARCHAR)), '')"}
_PLACEHOLDERS = "('无', '不详', '未知', '暂无', 'NULL', 'null', '-', '/', '——')"

# Layouts the legacy systems write timestamps in; dates alone are midnight.
_TIMESTAMP_LAYOUTS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%Y-%m-%d %H:%M", "%Y%m%d%H%M%S", "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日",
)  # fmt: skip

TEXT_USABLE = ("ok",)
TIMESTAMP_USABLE = ("ok",)
FLAG_USABLE = ("ok",)
COUNT_USABLE = ("ok",)
ORG_NAME_USABLE = ("ok", "normalized")


def text_sql(col: str) -> Layered:
    """Trimmed text; blanks and placeholders (无, 不详 ...) are missing."""
    return Layered(
        col,
        (
            _RAW,
            {"status": f"CASE WHEN @raw IS NULL THEN 'missing' WHEN @raw IN {_PLACEHOLDERS} THEN 'placeholder' "
                       "ELSE 'ok' END"},
            {"value": "CASE WHEN @status = 'ok' THEN @raw END"},
        ),
        ("value", "status"),
    )  # fmt: skip


def timestamp_sql(col: str, as_of: dt.date | None = None) -> Layered:
    """A timestamp from the layouts the systems use (2024/8/30 07:29, 2025-10-26 11:56:31.776 ...), Beijing time.

    Statuses: ok, missing, zero_date (MariaDB's 0000-00-00 placeholder), bad_format, future_date (after the day
    following ``as_of``).
    """
    layouts = ", ".join(f"'{x}'" for x in _TIMESTAMP_LAYOUTS)
    future = f"@ts >= DATE '{as_of + dt.timedelta(days=2)}'" if as_of else "FALSE"
    return Layered(
        col,
        (
            _RAW,
            {"ts": f"try_strptime(@raw, [{layouts}])"},
            {"status": f"CASE WHEN @raw IS NULL THEN 'missing' WHEN starts_with(@raw, '0000-00-00') THEN 'zero_date' "
                       "WHEN @ts IS NULL THEN 'bad_format' "
                       f"WHEN {future} THEN 'future_date' ELSE 'ok' END"},
            {"value": "CASE WHEN @status = 'ok' THEN @ts END"},
        ),
        ("value", "status"),
    )  # fmt: skip


def timestamp_moved_sql(col: str, old: dt.date, new: dt.date) -> str | None:
    """True for (at least) the raw timestamps whose status differs between reference dates ``old`` and ``new``:
    those in the days after them, which every layout writes with its 4-digit year. None when too far apart."""
    lo, hi = min(old, new), max(old, new)
    if (hi - lo).days > 366:
        return None
    return year_digits_sql(f"CAST({col} AS VARCHAR)", days_between(lo, hi + dt.timedelta(days=3)))


def flag_sql(col: str) -> Layered:
    """A yes/no flag from 1/0, 是/否, Y/N, true/false. Statuses: ok, missing, unknown_value."""
    return Layered(
        col,
        (
            _RAW,
            {"key": "upper(@raw)"},
            {"flag": "CASE WHEN @key IN ('1', '是', 'Y', 'YES', 'TRUE', 'T') THEN TRUE "
                     "WHEN @key IN ('0', '否', 'N', 'NO', 'FALSE', 'F') THEN FALSE END"},
            {"status": "CASE WHEN @raw IS NULL THEN 'missing' WHEN @flag IS NULL THEN 'unknown_value' ELSE 'ok' END"},
            {"value": "@flag"},
        ),
        ("value", "status"),
    )  # fmt: skip


def status_flag_sql(col: str, true_values: tuple[str, ...], false_values: tuple[str, ...]) -> Layered:
    """A yes/no fact read from a status column (人员状态 死亡 -> deceased). Statuses: ok, missing, unknown_value."""
    yes = ", ".join(f"'{v}'" for v in true_values)
    no = ", ".join(f"'{v}'" for v in false_values)
    return Layered(
        col,
        (
            _RAW,
            {"flag": f"CASE WHEN @raw IN ({yes}) THEN TRUE WHEN @raw IN ({no}) THEN FALSE END"},
            {"status": "CASE WHEN @raw IS NULL THEN 'missing' WHEN @flag IS NULL THEN 'unknown_value' ELSE 'ok' END"},
            {"value": "@flag"},
        ),
        ("value", "status"),
    )  # fmt: skip


def count_sql(col: str) -> Layered:
    """A whole number written with or without a unit (3, 3人, ３). Statuses: ok, missing, bad_format."""
    return Layered(
        col,
        (
            _RAW,
            {"n": "TRY_CAST(regexp_extract(@raw, '^([0-9]+)', 1) AS INTEGER)"},
            {"status": "CASE WHEN @raw IS NULL THEN 'missing' WHEN @n IS NULL THEN 'bad_format' ELSE 'ok' END"},
            {"value": "@n"},
        ),
        ("value", "status"),
    )  # fmt: skip


# Legal-form variants written differently by different clerks, folded to one spelling for the match key.
_LEGAL_FORMS = (("有限责任公司", "有限公司"), ("股份有限公司", "股份公司"), ("（", "("), ("）", ")"))


def org_name_sql(col: str) -> Layered:
    """An organization's name: spaces removed, brackets half-width; ``key`` also drops the 湖北省/仙桃市 prefix
    and bracketed notes and folds legal-form variants, so the same name written two ways gets one key.

    Statuses: ok, normalized (spaces or brackets changed), missing, placeholder.
    """
    folded = "@clean"
    for old, new in _LEGAL_FORMS:
        folded = f"replace({folded}, '{old}', '{new}')"
    return Layered(
        col,
        (
            _RAW,
            {"clean": "replace(replace(regexp_replace(@raw, '[\\s\\x{3000}]+', '', 'g'), '（', '('), '）', ')')"},
            {"folded": folded},
            {"key0": "regexp_replace(regexp_replace(@folded, '\\([^)]*\\)', '', 'g'), "
                     "'^(湖北省)?(仙桃市)?', '')"},
            {"status": f"CASE WHEN @raw IS NULL THEN 'missing' WHEN @raw IN {_PLACEHOLDERS} THEN 'placeholder' "
                       "WHEN @clean = @raw THEN 'ok' ELSE 'normalized' END"},
            {"value": f"CASE WHEN @status IN {ORG_NAME_USABLE} THEN @clean END",
             "key": f"CASE WHEN @status IN {ORG_NAME_USABLE} THEN nullif(@key0, '') END"},
        ),
        ("value", "status", "key"),
    )  # fmt: skip
