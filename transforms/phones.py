"""Phone numbers: country prefixes and separators removed, mobiles checked, Xiantao landlines written 0728-3221234,
dummy numbers flagged, several numbers in one field split into a list whose first element is the primary number.

Local numbers: domain.md asks to verify whether 0728 numbers have 7 or 8 digits. We assume 7 (the city's published
numbers, e.g. 0728-3221234) and accept 8, so a bare 7- or 8-digit number gets the 0728 area code.
"""

from __future__ import annotations

from transforms.layered import Layered
from transforms.text import blank_sql, first_status_sql, halfwidth_sql, placeholder_sql

FIELDS = ("value", "status", "kind", "numbers")

STATUSES: dict[str, str] = {
    "ok": "already canonical: 13972800000 or 0728-3221234",
    "normalized_format": "+86 / 0086, spaces, hyphens or brackets removed, landline written AREA-LOCAL",
    "added_area_code": "a bare 7- or 8-digit local number given the 0728 area code",
    "split_multiple": "several numbers in the field: value is the first, numbers holds all",
    "dummy": "only placeholder numbers (13800000000, all one digit, 12345678 ...)",
    "missing": "NULL or blank",
    "placeholder": "a placeholder such as 无 / 不详",
    "bad_format": "no mobile or landline number recognized",
}
USABLE = ("ok", "normalized_format", "added_area_code", "split_multiple")

AREA_CODE = "0728"
_KNOWN_DUMMIES = "('13800000000', '13800138000', '12345678901', '13888888888', '13999999999')"


def _canonical_sql(x: str) -> str:
    """The canonical form of one digit string, or NULL: mobile as 11 digits, landline as AREA-LOCAL."""
    return (
        f"CASE WHEN regexp_matches({x}, '^1[3-9][0-9]{{9}}$') THEN {x}"
        f" WHEN regexp_matches({x}, '^{AREA_CODE}[0-9]{{7,8}}$') THEN '{AREA_CODE}-' || substr({x}, 5)"
        f" WHEN regexp_matches({x}, '^0(10|2[0-9])[0-9]{{8}}$') THEN left({x}, 3) || '-' || substr({x}, 4)"
        f" WHEN regexp_matches({x}, '^0[3-9][0-9]{{2}}[0-9]{{7,8}}$') THEN left({x}, 4) || '-' || substr({x}, 5)"
        f" WHEN regexp_matches({x}, '^[2-9][0-9]{{6,7}}$') THEN '{AREA_CODE}-' || {x} END"
    )


def _dummy_sql(x: str, canonical: str) -> str:
    """Placeholder numbers: known dummies, one repeated digit, or a local part that is a run like 1234567."""
    local = (
        f"CASE WHEN contains({canonical}, '-') THEN split_part({canonical}, '-', 2) ELSE right({x}, 8) END"
    )
    return (
        f"({x} IN {_KNOWN_DUMMIES} OR length(replace({x}, left({x}, 1), '')) = 0"
        f" OR length(replace({local}, left({local}, 1), '')) = 0"
        f" OR contains('01234567890', {local}) OR contains('98765432109', {local}))"
    )


def phone_sql(col: str) -> Layered:
    """Outputs value (primary number), status, kind (mobile / landline), numbers (all good numbers, VARCHAR[])."""
    # Strong separators always split; whitespace splits only when the part is too long to be one number.
    split = (
        "list_filter(flatten(list_transform(string_split_regex(@s, '[,;/、|或和\\n]+'),"
        " p -> CASE WHEN length(regexp_replace(p, '\\s', '', 'g')) <= 14 THEN [regexp_replace(p, '\\s', '', 'g')]"
        " ELSE string_split_regex(trim(p), '\\s+') END)), x -> x <> '')"
    )
    unprefixed = (
        "list_transform(@parts, x -> regexp_replace(regexp_replace(x, '^(\\+86|0086|\\+)', ''),"
        " '^86(1[3-9][0-9]{9})$', '\\1'))"
    )
    elements = f"list_transform(@digits, x -> struct_pack(digits := x, canonical := {_canonical_sql('x')}))"
    judged = (
        "list_transform(@elements, e -> struct_pack(digits := e.digits, canonical := e.canonical,"
        f" dummy := coalesce({_dummy_sql('e.digits', 'e.canonical')}, FALSE)))"
    )
    rules = [
        (blank_sql("@raw"), "missing"),
        (placeholder_sql("@raw"), "placeholder"),
        ("len(@good) = 0 AND len(list_filter(@judged, e -> e.dummy)) > 0", "dummy"),
        ("len(@good) = 0", "bad_format"),
        ("len(@good) > 1", "split_multiple"),
        ("NOT starts_with(@good[1].digits, '0') AND contains(@good[1].canonical, '-')", "added_area_code"),
        ("@raw <> @good[1].canonical", "normalized_format"),
    ]
    layers: list[dict[str, str]] = [
        {"raw": "CAST(@in AS VARCHAR)"},
        {"s": f"regexp_replace({halfwidth_sql('@raw')}, '[()（）\\[\\]【】\\-—_.·]', '', 'g')"},
        {"parts": split},
        {"digits": unprefixed},
        {"elements": elements},
        {"judged": judged},
        {"good": "list_filter(@judged, e -> e.canonical IS NOT NULL AND NOT e.dummy)"},
        {"status": first_status_sql(rules)},
        {
            "value": "CASE WHEN len(@good) > 0 THEN @good[1].canonical END",
            "kind": "CASE WHEN len(@good) > 0 THEN CASE WHEN contains(@good[1].canonical, '-') THEN 'landline'"
                    " ELSE 'mobile' END END",
            "numbers": "CASE WHEN len(@good) > 0 THEN list_transform(@good, e -> e.canonical) END",
        },
    ]  # fmt: skip
    return Layered(col, tuple(layers), FIELDS)
