"""Date normalizer: every layout of domain.md §4, precision kept, placeholders and future dates flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.dates import STATUSES, date_sql
from transforms.standardize import explain

D = dt.date(1985, 3, 5)


@pytest.mark.parametrize(
    ("raw", "value", "precision", "status"),
    [
        ("1985-03-05", D, "day", "ok"),
        ("1985.3.5", D, "day", "reformatted"),
        ("19850305", D, "day", "reformatted"),
        ("85.03.05", D, "day", "two_digit_year"),
        ("850305", D, "day", "two_digit_year"),
        ("1985年3月5日", D, "day", "reformatted"),
        ("1985/3/5", D, "day", "reformatted"),
        ("31111", D, "day", "excel_serial"),
        ("1985-03-05T10:20:30", D, "day", "from_timestamp"),
        ("1985-03-05 10:20:30.123+08", D, "day", "from_timestamp"),
        ("1985.03", dt.date(1985, 3, 1), "month", "reformatted"),
        ("1985-03", dt.date(1985, 3, 1), "month", "ok"),
        ("1985年3月", dt.date(1985, 3, 1), "month", "reformatted"),
        ("1985", dt.date(1985, 1, 1), "year", "ok"),
        ("23/05/1985", dt.date(1985, 5, 23), "day", "reformatted"),
        ("05/23/1985", dt.date(1985, 5, 23), "day", "reformatted"),
        ("05/03/1985", None, None, "ambiguous_day_month"),
        ("0000-00-00", None, None, "placeholder"),
        ("1900-01-01", None, None, "placeholder"),
        ("9999-12-31", None, None, "placeholder"),
        ("不详", None, None, "placeholder"),
        ("1985-02-30", None, None, "impossible_date"),
        ("1985-13-01", None, None, "impossible_date"),
        ("1700-01-01", None, None, "implausible_year"),
        ("2027-01-01", None, None, "future_date"),
        ("next tuesday", None, None, "bad_format"),
        (None, None, None, "missing"),
    ],
)
def test_layouts(raw: str | None, value: dt.date | None, precision: str | None, status: str) -> None:
    got = explain(date_sql, raw, as_of="2026-01-01")
    assert (got["value"], got["precision"], got["status"]) == (value, precision, status)
    assert status in STATUSES


def test_partial_date_never_gets_an_invented_day() -> None:
    got = explain(date_sql, "1985.03", as_of="2026-01-01")
    assert got["text"] == "1985-03" and got["precision"] == "month"


def test_two_digit_year_pivot_follows_the_reference_date() -> None:
    assert explain(date_sql, "25.01.02", as_of="2026-01-01")["value"] == dt.date(2025, 1, 2)
    assert explain(date_sql, "27.01.02", as_of="2026-01-01")["value"] == dt.date(1927, 1, 2)
    assert explain(date_sql, "27.01.02", pivot=30)["value"] == dt.date(2027, 1, 2)


def test_future_is_relative_to_the_reference_date_not_the_clock() -> None:
    assert explain(date_sql, "2020-06-01", as_of="2020-01-01")["status"] == "future_date"
    assert explain(date_sql, "2020-06-01", as_of="2021-01-01")["status"] == "ok"
