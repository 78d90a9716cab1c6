"""Dates in every shape legacy systems write them (domain.md §4), with their precision kept: a partial date
(1985.03) stays a month, never gets an invented day. Future dates are judged against a reference date passed in.
"""

from __future__ import annotations

import datetime as dt

from transforms.layered import Layered
from transforms.text import (
    blank_sql,
    days_between,
    first_status_sql,
    halfwidth_sql,
    placeholder_sql,
    quote,
    year_digits_sql,
)

FIELDS = ("value", "status", "precision", "text")

STATUSES: dict[str, str] = {
    "ok": "already canonical: 1985-03-05, 1985-03 or 1985",
    "reformatted": "another unambiguous layout (1985.3.5, 19850305, 1985年3月5日, 1985/3/5, 5/23/1985, 1985.03)",
    "two_digit_year": "a two-digit year (85.03.05, 850305) completed with the pivot: see date_sql",
    "excel_serial": "a 5-digit Excel day number (31111 = 1985-03-05, epoch 1899-12-30; 4 digits read as a year)",
    "from_timestamp": "the date part of a timestamp (1985-03-05T10:20:30, 1985-03-05 10:20:30)",
    "missing": "NULL or blank",
    "placeholder": "a placeholder: 0000-00-00, 1900-01-01, 9999-12-31, 无, 不详 ...",
    "ambiguous_day_month": "05/03/1985: both day-month and month-day are possible; no value",
    "impossible_date": "the parts name no calendar day (1985-02-30, month 13)",
    "implausible_year": "a year before 1850",
    "future_date": "after the reference date",
    "bad_format": "no known date layout",
}
USABLE = ("ok", "reformatted", "two_digit_year", "excel_serial", "from_timestamp")

_SEP = r"[-./年]"
# (layout, pattern over the cleaned text, capture group of year, month, day; 0 = absent)
_LAYOUTS: tuple[tuple[str, str, int, int, int], ...] = (
    ("timestamp", r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ]\d{1,2}:\d{2}", 1, 2, 3),
    ("ymd", rf"^(\d{{4}}){_SEP}(\d{{1,2}})[-./月](\d{{1,2}})日?$", 1, 2, 3),
    ("ym", rf"^(\d{{4}}){_SEP}(\d{{1,2}})月?$", 1, 2, 0),
    ("y", r"^(\d{4})年?$", 1, 0, 0),
    ("ymd8", r"^(\d{4})(\d{2})(\d{2})$", 1, 2, 3),
    ("yymmdd", r"^(\d{2})(\d{2})(\d{2})$", 1, 2, 3),
    ("yy_sep", r"^(\d{2})[-./](\d{1,2})[-./](\d{1,2})$", 1, 2, 3),
    ("xxy", r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$", 3, 0, 0),
    ("serial", r"^(\d{5})(\.\d+)?$", 0, 0, 0),
    ("yyyymm", r"^(\d{4})(\d{2})$", 1, 2, 0),
)
_PLACEHOLDER_DATES = ("1900-01-01", "9999-12-31")


def _source(layout: str) -> str:
    """Timestamps are matched before spaces are removed: the space between date and time delimits the day."""
    return "@t" if layout == "timestamp" else "@s"


def _layout_sql() -> str:
    # 6 digits are YYMMDD first (850305); when that is no date they may be YYYYMM (198503).
    whens = []
    for name, pattern, *_ in _LAYOUTS:
        cond = f"regexp_matches({_source(name)}, {quote(pattern)})"
        if name == "yymmdd":
            cond += " AND try_strptime(@s, '%y%m%d') IS NOT NULL"
        whens.append(f"WHEN {cond} THEN '{name}'")
    return f"CASE {' '.join(whens)} END"


def _part_sql(index: int) -> str:
    """Year (index 2), month (3) or day (4) as an integer, by layout."""
    whens = [
        f"WHEN '{name}' THEN TRY_CAST(regexp_extract({_source(name)}, {quote(pattern)}, {groups[index - 2]}) AS INTEGER)"
        for name, pattern, *groups in _LAYOUTS
        if groups[index - 2]
    ]
    return f"CASE @layout {' '.join(whens)} END"


def _dmy_sql() -> tuple[str, str]:
    """Month and day of a xx/xx/yyyy date: the part above 12 is the day; equal parts are no ambiguity."""
    a = "TRY_CAST(regexp_extract(@s, '^(\\d{1,2})', 1) AS INTEGER)"
    b = "TRY_CAST(regexp_extract(@s, '^\\d{1,2}[-./](\\d{1,2})', 1) AS INTEGER)"
    month = f"CASE WHEN {a} > 12 THEN {b} WHEN {b} > 12 OR {a} = {b} THEN {a} END"
    day = f"CASE WHEN {a} > 12 THEN {a} WHEN {b} > 12 OR {a} = {b} THEN {b} END"
    return month, day


def date_sql(col: str, as_of: dt.date | str | None = None, pivot: int | None = None) -> Layered:
    """Outputs value (DATE, first day of the period when partial), status, precision (day/month/year), text.

    Two-digit years: YY <= pivot is 20YY, else 19YY. The pivot defaults to the two last digits of ``as_of``'s year
    (so no date lands in the future), or 29 without ``as_of``. ``as_of`` None skips the future-date check.
    """
    if pivot is None:
        pivot = dt.date.fromisoformat(str(as_of)).year % 100 if as_of is not None else 29
    month_dmy, day_dmy = _dmy_sql()
    serial = "(DATE '1899-12-30' + CAST(floor(TRY_CAST(@s AS DOUBLE)) AS INTEGER))"
    placeholders = ", ".join(quote(p) for p in _PLACEHOLDER_DATES)
    rules = [
        (blank_sql("@raw"), "missing"),
        (placeholder_sql("@raw"), "placeholder"),
        ("regexp_matches(@s, '^0+([-./年]?0+([-./月]?0+日?)?)?$') OR @y = 9999", "placeholder"),
        (f"@precision = 'day' AND CAST(@value AS VARCHAR) IN ({placeholders})", "placeholder"),
        ("@layout IS NULL", "bad_format"),
        ("@layout = 'xxy' AND @m IS NULL", "ambiguous_day_month"),
        ("@value IS NULL", "impossible_date"),
        ("@y < 1850", "implausible_year"),
    ]
    if as_of is not None:
        rules.append((f"@value > DATE {quote(str(as_of))}", "future_date"))
    rules += [
        ("@layout IN ('yymmdd', 'yy_sep')", "two_digit_year"),
        ("@layout = 'serial'", "excel_serial"),
        ("@layout = 'timestamp'", "from_timestamp"),
        ("@raw <> @text", "reformatted"),
    ]
    usable = ", ".join(quote(s) for s in USABLE)
    layers: list[dict[str, str]] = [
        {"raw": "CAST(@in AS VARCHAR)"},
        {"t": f"trim({halfwidth_sql('@raw')})"},
        {"s": "regexp_replace(@t, '\\s', '', 'g')"},
        {"layout": _layout_sql()},
        {
            "y0": f"CASE @layout WHEN 'serial' THEN year({serial}) ELSE {_part_sql(2)} END",
            "m": f"CASE @layout WHEN 'serial' THEN month({serial}) WHEN 'xxy' THEN {month_dmy} ELSE {_part_sql(3)} END",
            "d": f"CASE @layout WHEN 'serial' THEN day({serial}) WHEN 'xxy' THEN {day_dmy} ELSE {_part_sql(4)} END",
            "precision": "CASE WHEN @layout IN ('y') THEN 'year' WHEN @layout IN ('ym', 'yyyymm') THEN 'month'"
                         " WHEN @layout IS NOT NULL THEN 'day' END",
        },
        {"y": f"CASE WHEN @layout IN ('yymmdd', 'yy_sep') THEN @y0 + CASE WHEN @y0 <= {pivot} THEN 2000 ELSE 1900 END"
              " ELSE @y0 END"},
        {"value": "CAST(try_strptime(printf('%04d-%02d-%02d', @y, coalesce(@m, 1), coalesce(@d, 1)), '%Y-%m-%d')"
                  " AS DATE)"},
        {"text": "CASE @precision WHEN 'day' THEN strftime(@value, '%Y-%m-%d') WHEN 'month'"
                 " THEN strftime(@value, '%Y-%m') WHEN 'year' THEN strftime(@value, '%Y') END"},
        {"status": first_status_sql(rules)},
        {
            "out_value": f"CASE WHEN @status IN ({usable}) THEN @value END",
            "out_precision": f"CASE WHEN @status IN ({usable}) THEN @precision END",
            "out_text": f"CASE WHEN @status IN ({usable}) THEN @text END",
        },
    ]  # fmt: skip
    return Layered(col, tuple(layers), ("out_value", "status", "out_precision", "out_text"), names=FIELDS)


def as_of_moved_sql(col: str, old: dt.date, new: dt.date) -> str | None:
    """True for (at least) the raw dates whose outputs differ between reference dates ``old`` and ``new``: a date
    between them (future or not) writes their year, or is an Excel day number. None when they are in different
    years (the two-digit-year pivot moves) or too far apart."""
    lo, hi = min(old, new), max(old, new)
    if lo.year != hi.year or (hi - lo).days > 366:
        return None
    s = f"regexp_replace({halfwidth_sql(col)}, '\\s', '', 'g')"
    return f"({year_digits_sql(s, days_between(lo, hi))} OR regexp_matches({s}, '^[0-9]{{5}}(\\.[0-9]+)?$'))"
