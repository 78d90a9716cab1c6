"""Citizen ID numbers (GB 11643-1999): clean, upgrade 15 to 18 digits, check, derive birth date, sex and region.

``citizen_id_sql(col)`` yields value, status, birth_date, sex, region and cleaned; see STATUSES.
"""

from __future__ import annotations

import datetime as dt

from transforms.layered import Layered
from transforms.text import (
    blank_sql,
    days_between,
    first_status_sql,
    halfwidth_sql,
    has_fullwidth_sql,
    placeholder_sql,
    quote,
    years_back,
)

FIELDS = ("value", "status", "birth_date", "sex", "region", "cleaned")

STATUSES: dict[str, str] = {
    "ok": "already a valid 18-character ID",
    "normalized_fullwidth": "full-width digits or letters made half-width",
    "normalized_separators": "spaces, hyphens, dots or a leading apostrophe removed",
    "normalized_lowercase": "a lower-case x made upper-case",
    "upgraded_15_to_18": "15-digit ID upgraded: 19 inserted before the year, check character computed",
    "missing": "NULL or blank",
    "placeholder": "a placeholder such as 无 / 不详 / all zeros",
    "excel_scientific": "Excel turned the number into scientific notation (4.29004E+17): digits lost, not fixable",
    "excel_zeroed_tail": "check fails and the last three digits are 000: Excel kept 15 significant digits",
    "passport_like": "letters and digits shaped like a passport number",
    "other_certificate": "another certificate (HK/Macau permit, foreign residence card, military card ...)",
    "bad_length": "digits, but not 15 or 18 of them",
    "bad_format": "characters that cannot be in an ID",
    "bad_region": "the first two digits are no province code",
    "bad_birth_date": "the embedded birth date does not exist",
    "bad_check_char": "the check character does not match (GB 11643)",
    "future_birth_date": "embedded birth date after the reference date",
    "age_over_120": "embedded birth date more than 120 years before the reference date",
}
# Statuses whose value is usable; every other status returns a NULL value (the cleaned text is still returned).
USABLE = ("ok", "normalized_fullwidth", "normalized_separators", "normalized_lowercase", "upgraded_15_to_18")

# Prefixes carried by Xiantao residents: 沔阳县 (until 1985), 仙桃市 under 湖北 (1986-1994), 429004 since (domain.md §3).
XIANTAO_PREFIXES = ("422427", "422401", "429004")
_PROVINCES = (
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
)  # fmt: skip
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# Hong Kong / Macao permits, the old foreign permanent-residence card, Hong Kong ID cards.
_OTHER_CERTIFICATE = r"^([HM][0-9]{8}([0-9]{2})?|[A-Z]{3}[0-9]{12}|[A-Z]{1,2}[0-9]{6}\([0-9A]\))$"
# Characters legacy exports leave inside an ID: whitespace of every width, hyphens, dots, quotes from Excel.
_SEPARATORS = r"[\s\x{3000}\x{A0}\x{FEFF}''‘’`\"\-_.·,，/]"


def check_char_sql(body17: str) -> str:
    """The GB 11643 check character of a 17-digit body: weighted sum mod 11 mapped onto 1 0 X 9 8 7 6 5 4 3 2."""
    # ascii()-48 instead of a cast: never raises on rows that turn out not to be digits.
    terms = " + ".join(f"(ascii(substr({body17}, {i + 1}, 1)) - 48) * {w}" for i, w in enumerate(_WEIGHTS))
    return f"substr('{_CHECK_CHARS}', (({terms}) % 11 + 11) % 11 + 1, 1)"


def _ref_sql(as_of: dt.date | str | None) -> str | None:
    return None if as_of is None else f"DATE {quote(str(as_of))}"


def _status_rules(as_of: dt.date | str | None) -> list[tuple[str, str]]:
    rules = [
        (blank_sql("@raw"), "missing"),
        (f"({placeholder_sql('@raw')} OR regexp_matches(@up, '^0+$'))", "placeholder"),
        ("regexp_matches(@nospace, '^[0-9](\\.[0-9]+)?[eE]\\+?[0-9]+$')", "excel_scientific"),
        (
            f"regexp_matches(@up, '{_OTHER_CERTIFICATE}') OR regexp_matches(@raw, '\\p{{Han}}')",
            "other_certificate",
        ),
        ("regexp_matches(@up, '^[A-Z]{1,2}[0-9]{7,8}$')", "passport_like"),
        ("NOT regexp_matches(@up, '^[0-9]*X?$')", "bad_format"),
        ("NOT (@is15 OR @is18)", "bad_length"),
        (f"left(@up, 2) NOT IN ({', '.join(quote(p) for p in _PROVINCES)})", "bad_region"),
        ("@birth IS NULL OR @birth < DATE '1850-01-01'", "bad_birth_date"),
        ("NOT @is15 AND right(@up, 1) <> @check AND right(@up, 3) = '000'", "excel_zeroed_tail"),
        ("NOT @is15 AND right(@up, 1) <> @check", "bad_check_char"),
    ]
    ref = _ref_sql(as_of)
    if ref is not None:
        rules += [
            (f"@birth > {ref}", "future_birth_date"),
            (f"@birth < {ref} - INTERVAL 120 YEAR", "age_over_120"),
        ]
    return [
        *rules,
        ("@is15", "upgraded_15_to_18"),
        (has_fullwidth_sql("@raw"), "normalized_fullwidth"),
        ("upper(@raw) <> @up", "normalized_separators"),
        ("@raw <> @up", "normalized_lowercase"),
    ]


def citizen_id_sql(col: str, as_of: dt.date | str | None = None) -> Layered:
    """Outputs value, status, birth_date, sex, region, cleaned for a column of raw citizen IDs.

    ``as_of`` is the reference date for the future-birth and age checks; None skips them.
    """
    usable = f"@status IN ({', '.join(quote(s) for s in USABLE)})"
    xiantao = ", ".join(quote(p) for p in XIANTAO_PREFIXES)
    layers: list[dict[str, str]] = [
        {"raw": "CAST(@in AS VARCHAR)"},
        {"hw": halfwidth_sql("@raw")},
        {"up": f"upper(regexp_replace(@hw, '{_SEPARATORS}', '', 'g'))",
         "nospace": "regexp_replace(@hw, '\\s', '', 'g')"},
        {"is15": "regexp_matches(@up, '^[0-9]{15}$')", "is18": "regexp_matches(@up, '^[0-9]{17}[0-9X]$')"},
        {"body": "(CASE WHEN @is15 THEN left(@up, 6) || '19' || substr(@up, 7) ELSE left(@up, 17) END)"},
        {"check": check_char_sql("@body"), "birth": "CAST(try_strptime(substr(@body, 7, 8), '%Y%m%d') AS DATE)"},
        {"status": first_status_sql(_status_rules(as_of))},
        {
            "value": f"CASE WHEN {usable} THEN @body || CASE WHEN @is15 THEN @check ELSE right(@up, 1) END END",
            "birth_date": f"CASE WHEN {usable} THEN @birth END",
            "sex": f"CASE WHEN {usable} THEN (CASE WHEN (ascii(substr(@body, 17, 1)) - 48) % 2 = 1 THEN '1' ELSE '2' END) END",
            "region": f"CASE WHEN {usable} THEN (CASE WHEN left(@body, 6) IN ({xiantao}) THEN 'xiantao' ELSE 'elsewhere' END) END",
            "cleaned": "@up",
        },
    ]  # fmt: skip
    return Layered(col, tuple(layers), FIELDS)


CROSSCHECK_STATUSES: dict[str, str] = {
    "ok": "sex and birth date agree with the ID (or were not given)",
    "no_id": "no usable ID to compare with",
    "sex_mismatch": "the record's sex contradicts the parity of the ID's 17th digit",
    "birth_date_mismatch": "the record's birth date differs from the one embedded in the ID",
    "sex_and_birth_date_mismatch": "both differ",
}


def citizen_id_crosscheck_sql(id_col: str, sex_col: str | None = None, birth_col: str | None = None) -> str:
    """Status of a record's own sex code (GB/T 2261.1) and birth date (DATE) against its normalized 18-char ID."""
    sex_bad = (
        "FALSE"
        if sex_col is None
        else f"({sex_col} IN ('1', '2') AND {sex_col} <> "
        f"(CASE WHEN (ascii(substr({id_col}, 17, 1)) - 48) % 2 = 1 THEN '1' ELSE '2' END))"
    )
    birth_bad = (
        "FALSE"
        if birth_col is None
        else f"(CAST({birth_col} AS DATE) <> CAST(try_strptime(substr({id_col}, 7, 8), '%Y%m%d') AS DATE))"
    )
    return first_status_sql(
        [
            (f"{id_col} IS NULL OR length({id_col}) <> 18", "no_id"),
            (f"coalesce({sex_bad}, FALSE) AND coalesce({birth_bad}, FALSE)", "sex_and_birth_date_mismatch"),
            (f"coalesce({sex_bad}, FALSE)", "sex_mismatch"),
            (f"coalesce({birth_bad}, FALSE)", "birth_date_mismatch"),
        ]
    )


def as_of_moved_sql(col: str, old: dt.date, new: dt.date) -> str | None:
    """True for (at least) the raw IDs whose outputs differ between reference dates ``old`` and ``new``: only a
    birth date next to either date (future birth) or next to either date 120 years back (age) can change its
    status. None when the dates are too far apart to be worth narrowing."""
    lo, hi = min(old, new), max(old, new)
    if (hi - lo).days > 366:
        return None
    one = dt.timedelta(days=1)
    days = days_between(lo - one, hi + one)
    days += days_between(years_back(lo, 120) - 2 * one, years_back(hi, 120) + 2 * one)
    patterns = {d.strftime("%Y%m%d") for d in days}
    patterns |= {d.strftime("%y%m%d") for d in days if 1900 <= d.year <= 1999}  # 15-digit IDs: 19 + yymmdd
    digits = f"regexp_replace({halfwidth_sql(col)}, '[^0-9]', '', 'g')"
    return f"regexp_matches({digits}, '({'|'.join(sorted(patterns))})')"
