"""Formats and check characters of the national codes, as DuckDB SQL (domain.md §3), for the expectations.

Validation re-derives every check on its own instead of trusting the standardizer's status columns: a bug there must
show up here, not pass silently.
"""

from __future__ import annotations

from expectations.rules import quote

# Canonical (already normalized) forms. Every pattern is anchored.
CITIZEN_ID = r"^[0-9]{17}[0-9X]$"
MOBILE = r"^1[3-9][0-9]{9}$"
# The canonical forms transforms/phones.py writes: an 11-digit mobile, or a landline as AREA-LOCAL (0728-3221234).
PHONE = r"^(1[3-9][0-9]{9}|0[0-9]{2,3}-[0-9]{7,8})$"
PHONE_PLACEHOLDERS = ("13800000000", "00000000000", "11111111111", "12345678901", "0000000")
TOWNSHIP = r"^[0-9]{9}$"
CREDIT_CODE = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
# GA 36: province character, issuing-office letter (never I or O), then 5 characters, or 6 for new-energy plates.
PLATE = r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]([A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]{5}|[0-9]{5}[DF])$"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _digit_sql(col: str, position: int) -> str:
    # ascii() - 48 never raises, whatever the character: the format rule reports non-digits.
    return f"(ascii(substr({col}, {position}, 1)) - 48)"


def citizen_id_check_char_sql(column: str) -> str:
    """The GB 11643 check character the first 17 digits call for."""
    col = quote(column)
    terms = " + ".join(f"{_digit_sql(col, i + 1)} * {w}" for i, w in enumerate(_ID_WEIGHTS))
    return f"substr('{_ID_CHECK}', ((({terms}) % 11) + 11) % 11 + 1, 1)"


def citizen_id_bad_check_sql(column: str) -> str:
    """True for a well-formed 18-character ID whose check character or embedded birth date is wrong."""
    col = quote(column)
    return (
        f"regexp_full_match({col}, '{CITIZEN_ID}') AND ("
        f"right({col}, 1) <> {citizen_id_check_char_sql(column)} "
        f"OR try_strptime(substr({col}, 7, 8), '%Y%m%d') IS NULL)"
    )


def citizen_id_sex_sql(column: str) -> str:
    """Sex (GB/T 2261.1: 1 male, 2 female) from the parity of the 17th digit of a well-formed ID, else NULL."""
    col = quote(column)
    return (
        f"CASE WHEN regexp_full_match({col}, '{CITIZEN_ID}') "
        f"THEN CASE WHEN {_digit_sql(col, 17)} % 2 = 1 THEN '1' ELSE '2' END END"
    )


def citizen_id_birth_date_sql(column: str) -> str:
    """The birth date embedded in a well-formed ID (NULL when it is no date)."""
    col = quote(column)
    return (
        f"CASE WHEN regexp_full_match({col}, '{CITIZEN_ID}') "
        f"THEN CAST(try_strptime(substr({col}, 7, 8), '%Y%m%d') AS DATE) END"
    )


def credit_code_bad_check_sql(column: str) -> str:
    """True for a well-formed credit code whose GB 32100 check character is wrong (early pilot codes may be)."""
    col = quote(column)
    terms = " + ".join(
        f"(instr('{_CREDIT_CHARSET}', substr({col}, {i + 1}, 1)) - 1) * {w}"
        for i, w in enumerate(_CREDIT_WEIGHTS)
    )
    expected = f"substr('{_CREDIT_CHARSET}', (31 - ({terms}) % 31) % 31 + 1, 1)"
    return f"regexp_full_match({col}, '{CREDIT_CODE}') AND right({col}, 1) <> {expected}"
