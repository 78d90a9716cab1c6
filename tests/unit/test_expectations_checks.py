"""Check characters and masks in SQL, on the worked examples of domain.md §3."""

from __future__ import annotations

import duckdb
import pytest

from expectations import checks
from expectations.failures import mask_text_sql


def _eval(expr: str, value: str | None) -> object:
    row = duckdb.execute(f"SELECT {expr} FROM (SELECT CAST(? AS VARCHAR) AS v)", [value]).fetchone()
    assert row is not None
    return row[0]


@pytest.mark.parametrize(
    ("value", "bad"),
    [
        ("429004198503051239", False),
        ("11010519491231002X", False),
        ("422401198503051235", False),  # upgraded 15-digit example
        ("429004198503051238", True),  # wrong check character
        ("429004198513051231", True),  # month 13: no birth date
        ("4290041985030512", False),  # not well-formed: the format rule speaks, not this one
        (None, None),
    ],
)
def test_citizen_id_check_char(value: str | None, bad: bool | None) -> None:
    assert _eval(checks.citizen_id_bad_check_sql("v"), value) is bad


def test_citizen_id_derived_sex_and_birth_date() -> None:
    assert _eval(checks.citizen_id_sex_sql("v"), "429004198503051239") == "1"
    assert _eval(checks.citizen_id_sex_sql("v"), "11010519491231002X") == "2"
    assert str(_eval(checks.citizen_id_birth_date_sql("v"), "11010519491231002X")) == "1949-12-31"
    assert _eval(checks.citizen_id_sex_sql("v"), "passport E1234567") is None


@pytest.mark.parametrize(("value", "bad"), [("91429004MA4F7K2Q6Q", False), ("91429004MA4F7K2Q6A", True)])
def test_credit_code_check_char(value: str, bad: bool) -> None:
    assert _eval(checks.credit_code_bad_check_sql("v"), value) is bad


@pytest.mark.parametrize(
    ("value", "pattern", "matches"),
    [
        ("13972800000", checks.PHONE, True),
        ("0728-3221234", checks.PHONE, True),
        ("07283221234", checks.PHONE, False),  # canonical landlines keep the hyphen
        ("3221234", checks.PHONE, False),  # the standardizer adds the area code
        ("139-7280-0000", checks.PHONE, False),
        ("鄂M12345", checks.PLATE, True),
        ("鄂MD12345", checks.PLATE, True),
        ("鄂M12345D", checks.PLATE, True),
        ("鄂MO2345", checks.PLATE, False),  # no I or O anywhere: they read as 1 and 0
        ("鄂O12345", checks.PLATE, False),
        ("429004001", checks.TOWNSHIP, True),
        ("42900400", checks.TOWNSHIP, False),
    ],
)
def test_formats(value: str, pattern: str, matches: bool) -> None:
    assert _eval(f"regexp_full_match(v, '{pattern}')", value) is matches


def test_mask_text_sql_hides_ids_and_mobiles() -> None:
    masked = _eval(mask_text_sql("v"), "ID 429004198503051239, old 422401850305123, tel 13972800000")
    assert masked == "ID 429004********1239, old 422401*****5123, tel 139****0000"
