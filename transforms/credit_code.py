"""Unified social credit codes (GB 32100-2015), the organization codes inside them (GB 11714) and old
registration numbers: clean, fix O/I typos, check, and derive the organization code so old records can be linked.
"""

from __future__ import annotations

from transforms.layered import Layered
from transforms.text import (
    blank_sql,
    first_status_sql,
    halfwidth_sql,
    has_fullwidth_sql,
    placeholder_sql,
    quote,
)

FIELDS = ("value", "status", "org_code", "registration_number", "kind", "cleaned")

STATUSES: dict[str, str] = {
    "ok": "a valid 18-character credit code as given",
    "normalized_case": "lower-case letters made upper-case",
    "normalized_separators": "spaces, hyphens or dots removed",
    "normalized_fullwidth": "full-width characters made half-width",
    "normalized_typo": "the letters O and I (never used) read as 0 and 1",
    "pilot_check_failed": "well formed but a check character fails: early pilot codes do, so the value is kept",
    "org_code_only": "a valid 9-character organization code (GB 11714), e.g. MA4F7K2Q-6; kept in org_code",
    "org_code_bad_check": "shaped like an organization code but its check character fails; nothing kept",
    "registration_number_only": "a 15-digit business registration number (工商注册号); kept in registration_number",
    "registration_number_check_failed": "15 digits whose ISO 7064 MOD 11,10 check fails (older numbers may): kept",
    "missing": "NULL or blank",
    "placeholder": "a placeholder such as 无 / 不详 / all zeros",
    "bad_length": "not 9, 15 or 18 characters",
    "bad_format": "characters outside the code's alphabet",
}
USABLE = ("ok", "normalized_case", "normalized_separators", "normalized_fullwidth", "normalized_typo")
KEPT = (*USABLE, "pilot_check_failed")

_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I O Z S V
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def credit_check_char_sql(code: str) -> str:
    """The GB 32100 check character of the first 17 characters: (31 - S mod 31) mod 31 in the code's alphabet."""
    terms = " + ".join(
        f"(instr('{_CHARSET}', substr({code}, {i + 1}, 1)) - 1) * {w}" for i, w in enumerate(_WEIGHTS)
    )
    return f"substr('{_CHARSET}', (31 - ({terms}) % 31) % 31 + 1, 1)"


def org_check_char_sql(code: str) -> str:
    """The GB 11714 check character of the first 8 characters: 11 - S mod 11, with 10 as X and 11 as 0."""
    terms = " + ".join(
        f"(instr('{_ORG_CHARSET}', substr({code}, {i + 1}, 1)) - 1) * {w}" for i, w in enumerate(_ORG_WEIGHTS)
    )
    return f"substr('0123456789X0', 11 - ({terms}) % 11 + 1, 1)"


def registration_check_digit_sql(number: str) -> str:
    """The ISO 7064 MOD 11,10 check digit of the first 14 digits of a registration number (工商注册号)."""
    digits = f"list_transform(range(14), j -> ascii(substr({number}, j + 1, 1)) - 48)"
    step = "(p, d) -> CASE WHEN (p % 11 + d) % 10 = 0 THEN 10 ELSE (p % 11 + d) % 10 END * 2"
    return f"CAST((11 - list_reduce({digits}, {step}, 10) % 11) % 10 AS VARCHAR)"


def _status_rules() -> list[tuple[str, str]]:
    return [
        (blank_sql("@raw"), "missing"),
        (f"({placeholder_sql('@raw')} OR regexp_matches(@up, '^0+$'))", "placeholder"),
        ("@shape = 'credit_code' AND (right(@fixed, 1) <> @check OR right(@org, 1) <> @org_check)",
         "pilot_check_failed"),
        ("@shape = 'org_code' AND right(@org, 1) <> @org_check", "org_code_bad_check"),
        ("@shape = 'org_code'", "org_code_only"),
        ("@shape = 'registration_number' AND right(@up, 1) <> @reg_check", "registration_number_check_failed"),
        ("@shape = 'registration_number'", "registration_number_only"),
        ("@shape IS NULL AND length(@up) IN (9, 15, 18)", "bad_format"),
        ("@shape IS NULL", "bad_length"),
        ("@fixed <> @up", "normalized_typo"),
        (has_fullwidth_sql("@raw"), "normalized_fullwidth"),
        ("upper(@raw) <> @up", "normalized_separators"),
        ("@raw <> @up", "normalized_case"),
    ]  # fmt: skip


def credit_code_sql(col: str) -> Layered:
    """Outputs value (credit code), status, org_code, registration_number, kind, cleaned for raw codes."""
    kept = ", ".join(quote(s) for s in KEPT)
    layers: list[dict[str, str]] = [
        {"raw": "CAST(@in AS VARCHAR)"},
        {"up": f"upper(regexp_replace({halfwidth_sql('@raw')}, '[\\s\\x{{A0}}\\-_.·/]', '', 'g'))"},
        # O and I never occur in a credit code: read them as the digits they were typed for.
        {"fixed": "CASE WHEN length(@up) = 18 THEN translate(@up, 'OI', '01') ELSE @up END"},
        {"shape": "CASE WHEN regexp_matches(@fixed, '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$')"
                 " THEN 'credit_code' WHEN regexp_matches(@up, '^[0-9A-Z]{8}[0-9X]$') THEN 'org_code'"
                 " WHEN regexp_matches(@up, '^[0-9]{15}$') THEN 'registration_number' END"},
        {"org": "CASE @shape WHEN 'credit_code' THEN substr(@fixed, 9, 9) WHEN 'org_code' THEN @up END",
         "check": credit_check_char_sql("@fixed")},
        {"org_check": org_check_char_sql("@org"),
         "reg_check": f"CASE WHEN @shape = 'registration_number' THEN {registration_check_digit_sql('@up')} END"},
        {"status": first_status_sql(_status_rules())},
        {
            "value": f"CASE WHEN @status IN ({kept}) THEN @fixed END",
            "org_code": f"CASE WHEN @status IN ({kept}, 'org_code_only') THEN @org END",
            "registration_number": "CASE WHEN @status IN ('registration_number_only',"
                                   " 'registration_number_check_failed') THEN @up END",
            "kind": f"CASE WHEN @status IN ({kept}, 'org_code_only', 'registration_number_only',"
            " 'registration_number_check_failed') THEN @shape END",
            "cleaned": "@up",
        },
    ]  # fmt: skip
    return Layered(col, tuple(layers), FIELDS)


def org_code_display_sql(org_code: str) -> str:
    """An organization code in its printed form with the hyphen before the check character: MA4F7K2Q-6."""
    return f"(left({org_code}, 8) || '-' || right({org_code}, 1))"
