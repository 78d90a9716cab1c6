"""Expectations of the person entity (人) beyond its metadata: plausible ages, dates, and the ID against the record."""

from __future__ import annotations

import datetime as dt

from expectations import checks
from expectations.references import PLACE_MISSING, exists
from expectations.rules import Between, Declaration, Derived, PairEqual, Predicate, Rule
from schemas.model import Table
from schemas.person import PERSON

TABLE: Table = PERSON
MULTI_VALUED = frozenset({"special_group"})

# Columns computed over the table for the cross-field rules; GX sees them as ordinary columns of the batch.
DERIVED: dict[str, Derived] = {
    "citizen_id_sex": Derived(checks.citizen_id_sex_sql("citizen_id"), ("citizen_id",)),
    "citizen_id_birth_date": Derived(checks.citizen_id_birth_date_sql("citizen_id"), ("citizen_id",)),
    # Only 1 and 2 can contradict an ID: 0 (unknown) and 9 (unspecified) say nothing.
    "sex_stated": Derived("CASE WHEN \"sex\" IN ('1', '2') THEN \"sex\" END", ("sex",)),
}


def rules(reference_date: dt.date) -> tuple[Rule, ...]:
    oldest = reference_date.replace(year=reference_date.year - 120)
    return (
        Between(
            "birth_date_age_0_to_120",
            "error",
            f"birth_date must give an age from 0 to 120 on {reference_date}: it lies in the future or more than "
            "120 years back; correct the date (or the ID it was read from)",
            ("birth_date",),
            min_value=oldest,
            max_value=reference_date,
        ),
        Between(
            "death_date_not_future",
            "warning",
            f"death_date lies after the reference date {reference_date}",
            ("death_date",),
            max_value=reference_date,
        ),
        Predicate(
            "death_date_after_birth_date",
            "warning",
            "death_date lies before birth_date: one of them is wrong",
            ("birth_date", "death_date"),
            predicate='"death_date" < "birth_date"',
        ),
        PairEqual(
            "sex_matches_citizen_id",
            "warning",
            "sex contradicts the parity of the 17th digit of citizen_id (odd = male, even = female); "
            "legacy systems coding 0 = male, 1 = female are the usual cause",
            ("sex_stated", "citizen_id_sex"),
        ),
        PairEqual(
            "birth_date_matches_citizen_id",
            "warning",
            "birth_date differs from the birth date embedded in citizen_id; one of them was mistyped",
            ("birth_date", "citizen_id_birth_date"),
        ),
        exists("current_place_id", "place", "place_id", "warning", PLACE_MISSING),
    )


# stg_person names the current address fields as transforms/resolve/inputs.py does.
STAGING_ALIASES = {
    "township_code": "current_township",
    "community": "current_community",
    "grid_code": "current_grid",
    "address": "current_address",
}

DECLARATION = Declaration(TABLE, rules, DERIVED, MULTI_VALUED, STAGING_ALIASES)
