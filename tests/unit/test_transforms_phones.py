"""Phone normalizer: prefixes and separators, 0728 landlines, dummies, several numbers in one field."""

from __future__ import annotations

import pytest

from transforms.phones import STATUSES, phone_sql
from transforms.standardize import explain


@pytest.mark.parametrize(
    ("raw", "value", "kind", "status"),
    [
        ("13972800001", "13972800001", "mobile", "ok"),
        ("0728-3221234", "0728-3221234", "landline", "ok"),
        ("(0728)3221234", "0728-3221234", "landline", "normalized_format"),
        ("（0728）3221234", "0728-3221234", "landline", "normalized_format"),
        ("07283221234", "0728-3221234", "landline", "normalized_format"),
        ("0728-32212345", "0728-32212345", "landline", "ok"),
        ("3221234", "0728-3221234", "landline", "added_area_code"),
        ("32212345", "0728-32212345", "landline", "added_area_code"),
        ("+86 139 7280 0001", "13972800001", "mobile", "normalized_format"),
        ("0086-13972800001", "13972800001", "mobile", "normalized_format"),
        ("8613972800001", "13972800001", "mobile", "normalized_format"),
        ("139-7280-0001", "13972800001", "mobile", "normalized_format"),
        ("027-87651234", "027-87651234", "landline", "ok"),
        ("13800000000", None, None, "dummy"),
        ("00000000000", None, None, "dummy"),
        ("11111111111", None, None, "dummy"),
        ("1234567", None, None, "dummy"),
        ("12972800001", None, None, "bad_format"),
        ("无", None, None, "placeholder"),
        (None, None, None, "missing"),
    ],
)
def test_dirty_patterns(raw: str | None, value: str | None, kind: str | None, status: str) -> None:
    got = explain(phone_sql, raw)
    assert (got["value"], got["kind"], got["status"]) == (value, kind, status)
    assert status in STATUSES


@pytest.mark.parametrize(
    "raw",
    [
        "13972800001/0728-3221234",
        "13972800001，0728-3221234",
        "13972800001 0728-3221234",
        "13972800001或3221234",
    ],
)
def test_several_numbers_split_first_is_primary(raw: str) -> None:
    got = explain(phone_sql, raw)
    assert got["status"] == "split_multiple"
    assert got["value"] == "13972800001"
    assert got["numbers"] == ["13972800001", "0728-3221234"]


def test_dummy_numbers_dropped_from_the_list() -> None:
    got = explain(phone_sql, "13800000000/13972800001")
    assert got["value"] == "13972800001" and got["numbers"] == ["13972800001"]
