"""Character-level cleaning shared by every normalizer: full-width forms, separators and placeholder values.

All functions here are pure SQL builders: they take a SQL expression and return a SQL expression.
"""

from __future__ import annotations

import datetime as dt

# Full-width ASCII (U+FF01..U+FF5E) maps one to one onto ASCII (U+0021..U+007E); U+3000 is the ideographic space.
# DuckDB has no NFKC, and translate() over this range is what NFKC does to these characters.
_FULLWIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_HALFWIDTH = "".join(chr(c) for c in range(0x21, 0x7F)) + " "

# What legacy systems put in a field when the value was not known (domain.md §4). Compared after trimming and
# upper-casing; 无名氏 and the like are added by the name normalizer.
PLACEHOLDERS: tuple[str, ...] = (
    "无", "不详", "未知", "暂无", "空", "没有", "-", "--", "---", "/", "//", "\\", "0", "NULL", "NONE", "NAN",
    "N/A", "NA", "?", "??", "？", ".", "。", "*", "X", "XX", "#",
)  # fmt: skip


def quote(text: str) -> str:
    """A Python string as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def halfwidth_sql(expr: str) -> str:
    """Full-width letters, digits, punctuation and the ideographic space as their ASCII forms."""
    # translate() with a 95-character table costs ~3.5 s per million rows; the regex test costs 0.1 s, and
    # most values hold no full-width character at all.
    text = f"CAST({expr} AS VARCHAR)"
    return (
        f"(CASE WHEN {has_fullwidth_sql(expr)} THEN translate({text}, {quote(_FULLWIDTH)}, {quote(_HALFWIDTH)})"
        f" ELSE {text} END)"
    )


def has_fullwidth_sql(expr: str) -> str:
    """True when the value holds any character that halfwidth_sql() would change."""
    return f"regexp_matches(CAST({expr} AS VARCHAR), '[\\x{{FF01}}-\\x{{FF5E}}\\x{{3000}}]')"


def blank_sql(expr: str) -> str:
    """True for NULL, the empty string and whitespace only (including ideographic and non-breaking spaces)."""
    return f"({expr} IS NULL OR regexp_matches(CAST({expr} AS VARCHAR), '^[\\s\\x{{3000}}\\x{{A0}}\\x{{FEFF}}]*$'))"


def placeholder_sql(expr: str, extra: tuple[str, ...] = ()) -> str:
    """True when the trimmed, upper-cased value is one of the placeholders for a missing value."""
    candidates = (*PLACEHOLDERS, *extra)
    values = ", ".join(quote(v.upper()) for v in candidates)
    # Only short values can be placeholders: skip the cleaning for the rest.
    longest = max(len(v) for v in candidates) + 4
    return (
        f"(CASE WHEN length(CAST({expr} AS VARCHAR)) <= {longest}"
        f" THEN upper(trim({halfwidth_sql(expr)})) IN ({values}) ELSE FALSE END)"
    )


def in_list_sql(expr: str, values: list[str] | tuple[str, ...]) -> str:
    """``expr IN (...)`` for a list of Python strings (FALSE for an empty list)."""
    if not values:
        return "FALSE"
    return f"({expr} IN ({', '.join(quote(v) for v in values)}))"


def first_status_sql(rules: list[tuple[str, str]], default: str = "'ok'") -> str:
    """A CASE returning the status of the first rule whose condition holds: rules are (condition, status)."""
    whens = " ".join(f"WHEN {cond} THEN {quote(status)}" for cond, status in rules)
    return f"(CASE {whens} ELSE {default} END)"


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every day from ``first`` to ``last``, both included."""
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def years_back(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (29 February becomes the 28th, as DuckDB's interval arithmetic does)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def year_digits_sql(expr: str, days: list[dt.date]) -> str:
    """True when the text holds the two last digits of the year of any of ``days`` (which 4-digit years hold too)."""
    suffixes = "|".join(sorted({f"{d.year % 100:02d}" for d in days}))
    return f"regexp_matches({expr}, '({suffixes})')"
