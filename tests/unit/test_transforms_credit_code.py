"""Credit-code normalizer against GB 32100 / GB 11714 and python-stdnum's implementation."""

from __future__ import annotations

import pytest
from stdnum.cn import uscc

from transforms.credit_code import STATUSES, credit_code_sql
from transforms.standardize import explain, explain_many


def test_worked_example_and_derived_org_code() -> None:
    got = explain(credit_code_sql, "91429004MA4F7K2Q6Q")
    assert got == {
        "value": "91429004MA4F7K2Q6Q", "status": "ok", "org_code": "MA4F7K2Q6", "registration_number": None,
        "kind": "credit_code", "cleaned": "91429004MA4F7K2Q6Q",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "value", "org_code", "status"),
    [
        ("91429004ma4f7k2q6q", "91429004MA4F7K2Q6Q", "MA4F7K2Q6", "normalized_case"),
        ("91429OO4MA4F7K2Q6Q", "91429004MA4F7K2Q6Q", "MA4F7K2Q6", "normalized_typo"),
        ("9I429004MA4F7K2Q6Q", "91429004MA4F7K2Q6Q", "MA4F7K2Q6", "normalized_typo"),
        ("91429004-MA4F7K2Q-6Q", "91429004MA4F7K2Q6Q", "MA4F7K2Q6", "normalized_separators"),
        ("９１４２９００４ＭＡ４Ｆ７Ｋ２Ｑ６Ｑ", "91429004MA4F7K2Q6Q", "MA4F7K2Q6", "normalized_fullwidth"),
        ("91429004MA4F7K2Q6A", "91429004MA4F7K2Q6A", "MA4F7K2Q6", "pilot_check_failed"),
        ("MA4F7K2Q-6", None, "MA4F7K2Q6", "org_code_only"),
        ("MA4F7K2Q6", None, "MA4F7K2Q6", "org_code_only"),
        ("MA4F7K2Q-7", None, None, "org_code_bad_check"),
        ("429004123456786", None, None, "registration_number_only"),
        ("429004123456787", None, None, "registration_number_check_failed"),
        ("无", None, None, "placeholder"),
        (None, None, None, "missing"),
        ("9142900", None, None, "bad_length"),
        ("91429004MA4F7K2Q6!", None, None, "bad_format"),
    ],
)
def test_dirty_patterns(raw: str | None, value: str | None, org_code: str | None, status: str) -> None:
    got = explain(credit_code_sql, raw)
    assert (got["value"], got["org_code"], got["status"]) == (value, org_code, status)
    assert status in STATUSES


def test_check_agrees_with_python_stdnum() -> None:
    # Every single-character change of a valid code: our check must say what stdnum says.
    base = "91429004MA4F7K2Q6Q"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    variants = sorted({base[:i] + c + base[i + 1 :] for i in range(18) for c in alphabet[::3]})
    got = explain_many(credit_code_sql, variants)
    for code, g in zip(variants, got, strict=True):
        if code[2:8].isdigit():
            assert (g["status"] == "ok") == uscc.is_valid(code), code


def test_registration_number_kept_beside_the_credit_code() -> None:
    got = explain(credit_code_sql, "429004123456786")
    assert got["registration_number"] == "429004123456786" and got["kind"] == "registration_number"
    assert explain(credit_code_sql, "429004123456787")["registration_number"] == "429004123456787"


def _mod_11_10(body: str) -> str:
    p = 10
    for d in body:
        s = (p % 11 + int(d)) % 10 or 10
        p = s * 2
    return str((11 - p % 11) % 10)


@pytest.mark.parametrize("body", ["42900400000001", "42900412345678", "42900499999999", "11010800012345"])
def test_registration_check_digit_is_iso_7064_mod_11_10(body: str) -> None:
    number = body + _mod_11_10(body)
    assert explain(credit_code_sql, number)["status"] == "registration_number_only"
