"""The one place where the standardizers' citizen-ID statuses become the statuses entity resolution reads.

transforms.citizen_id says precisely what happened to a value (17 statuses); resolution only needs to know whether
the ID can link records (valid, upgraded), is a real ID with a typo (bad_check, bad_date), or is no ID at all
(damaged, missing). See transforms/resolve/inputs.py for the contract.
"""

from __future__ import annotations

from transforms import citizen_id

CITIZEN_ID_STATUS: dict[str, str] = {
    "ok": "valid",
    "normalized_fullwidth": "valid",
    "normalized_separators": "valid",
    "normalized_lowercase": "valid",
    "upgraded_15_to_18": "upgraded",
    "bad_check_char": "bad_check",
    "bad_birth_date": "bad_date",
    "future_birth_date": "bad_date",
    "age_over_120": "bad_date",
    # Excel damage and wrong lengths or characters: the digits are not the person's ID any more.
    "excel_scientific": "damaged",
    "excel_zeroed_tail": "damaged",
    "bad_length": "damaged",
    "bad_format": "damaged",
    "bad_region": "damaged",
    # No citizen ID in the field (another certificate is not one).
    "missing": "missing",
    "placeholder": "missing",
    "passport_like": "missing",
    "other_certificate": "missing",
}

RESOLUTION_STATUSES = ("valid", "upgraded", "bad_check", "bad_date", "damaged", "missing")

# Resolution may still read the 18 characters of these (the prefix of a mistyped ID still says something).
_SHAPED = ("bad_check", "bad_date")


def check_complete() -> None:
    """Raise if the standardizer has a status this mapping does not know (a new status must be placed here)."""
    unknown = set(citizen_id.STATUSES) - set(CITIZEN_ID_STATUS)
    if unknown:
        raise ValueError(f"citizen-ID statuses without a resolution status: {sorted(unknown)}")


def citizen_id_status_sql(status: str) -> str:
    """SQL mapping a citizen_id_sql status column to the resolution status."""
    whens = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in CITIZEN_ID_STATUS.items())
    return f"(CASE {status} {whens} ELSE 'damaged' END)"


def citizen_id_value_sql(value: str, status: str, cleaned: str) -> str:
    """The 18 characters resolution reads: the checked value, else the cleaned text of a mistyped real ID."""
    shaped = ", ".join(f"'{s}'" for s in _SHAPED)
    return (
        f"coalesce({value}, CASE WHEN {citizen_id_status_sql(status)} IN ({shaped}) "
        f"AND regexp_full_match(upper({cleaned}), '[0-9]{{17}}[0-9X]') THEN upper({cleaned}) END)"
    )
