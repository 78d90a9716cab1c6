"""Citizen-ID normalizer: every dirty pattern of domain.md §4 and the GB 11643 worked examples, through DuckDB."""

from __future__ import annotations

import datetime as dt

import pytest

from transforms.citizen_id import STATUSES, citizen_id_crosscheck_sql, citizen_id_sql
from transforms.standardize import explain, explain_many

AS_OF = "2026-01-01"


def test_worked_examples_of_the_standard() -> None:
    got = explain_many(citizen_id_sql, ["429004198503051239", "11010519491231002X", "422401850305123"])
    assert [g["value"] for g in got] == ["429004198503051239", "11010519491231002X", "422401198503051235"]
    assert [g["status"] for g in got] == ["ok", "ok", "upgraded_15_to_18"]


def test_check_character_from_body() -> None:
    # 42900419850305123 -> check 9 and 11010519491231002 -> X: any other last character fails.
    assert explain(citizen_id_sql, "429004198503051230")["status"] == "bad_check_char"
    assert explain(citizen_id_sql, "110105194912310021")["status"] == "bad_check_char"


@pytest.mark.parametrize(
    ("raw", "value", "status"),
    [
        ("４２９００４１９８５０３０５１２３９", "429004198503051239", "normalized_fullwidth"),
        ("11010519491231002x", "11010519491231002X", "normalized_lowercase"),
        ("'429004198503051239", "429004198503051239", "normalized_separators"),
        ("429004 19850305 1239", "429004198503051239", "normalized_separators"),
        ("429004-19850305-1239", "429004198503051239", "normalized_separators"),
        ("4.29004E+17", None, "excel_scientific"),
        ("4.29004198503051E+17", None, "excel_scientific"),
        ("429004198503051000", None, "excel_zeroed_tail"),
        ("E12345678", None, "passport_like"),
        ("G12345678", None, "passport_like"),
        ("EA1234567", None, "passport_like"),
        ("A123456(7)", None, "other_certificate"),
        ("H12345678", None, "other_certificate"),
        ("军字第123456号", None, "other_certificate"),
        ("无", None, "placeholder"),
        ("000000000000000000", None, "placeholder"),
        ("", None, "missing"),
        (None, None, "missing"),
        ("4290041985030512", None, "bad_length"),
        ("42900419850305123Y", None, "bad_format"),
        ("999004198503051231", None, "bad_region"),
        ("429004198502301234", None, "bad_birth_date"),
    ],
)
def test_dirty_patterns(raw: str | None, value: str | None, status: str) -> None:
    got = explain(citizen_id_sql, raw, as_of=AS_OF)
    assert (got["value"], got["status"]) == (value, status)
    assert status in STATUSES


def test_derived_birth_date_sex_and_region() -> None:
    got = explain_many(citizen_id_sql, ["429004198503051239", "11010519491231002X", "422427800101002X"])
    assert (
        got[0]["birth_date"] == dt.date(1985, 3, 5) and got[0]["sex"] == "1" and got[0]["region"] == "xiantao"
    )
    assert (
        got[1]["birth_date"] == dt.date(1949, 12, 31)
        and got[1]["sex"] == "2"
        and got[1]["region"] == "elsewhere"
    )
    assert got[2]["status"] == "bad_length"


def test_xiantao_prefixes_of_every_period() -> None:
    got = explain_many(
        citizen_id_sql, ["422427850305123", "422401850305123", "429004850305123", "420102850305123"]
    )
    assert [g["region"] for g in got] == ["xiantao", "xiantao", "xiantao", "elsewhere"]


def test_future_birth_and_age_over_120_against_the_reference_date() -> None:
    future = explain(citizen_id_sql, "42900420270305123X", as_of=AS_OF)
    assert future["status"] in ("future_birth_date", "bad_check_char")
    body = "42900420250305123"
    from transforms.citizen_id import _CHECK_CHARS, _WEIGHTS

    check = _CHECK_CHARS[sum(int(c) * w for c, w in zip(body, _WEIGHTS, strict=True)) % 11]
    assert explain(citizen_id_sql, body + check, as_of="2024-01-01")["status"] == "future_birth_date"
    assert explain(citizen_id_sql, body + check, as_of="2026-01-01")["status"] == "ok"
    old = "42900418950305123"
    check = _CHECK_CHARS[sum(int(c) * w for c, w in zip(old, _WEIGHTS, strict=True)) % 11]
    assert explain(citizen_id_sql, old + check, as_of=AS_OF)["status"] == "age_over_120"
    assert explain(citizen_id_sql, old + check)["status"] == "ok"  # no reference date: no age check


def test_crosscheck_with_the_records_own_sex_and_birth_date() -> None:
    import duckdb

    expr = citizen_id_crosscheck_sql("id", "sex", "birth")
    rows = duckdb.sql(
        f"SELECT {expr} FROM (VALUES ('429004198503051239', '1', DATE '1985-03-05', 0),"
        " ('429004198503051239', '2', DATE '1985-03-05', 1), ('429004198503051239', '1', DATE '1985-03-06', 2),"
        " ('429004198503051239', '2', DATE '1986-03-05', 3), (NULL, '1', NULL, 4),"
        " ('429004198503051239', NULL, NULL, 5)) t(id, sex, birth, pos) ORDER BY pos"
    ).fetchall()
    assert [r[0] for r in rows] == [
        "ok", "sex_mismatch", "birth_date_mismatch", "sex_and_birth_date_mismatch", "no_id", "ok",
    ]  # fmt: skip
