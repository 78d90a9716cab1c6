"""Expectations of the thing entity (物): plate formats (GA 36), registration dates, owners that exist."""

from __future__ import annotations

import datetime as dt

from expectations import checks
from expectations.references import PLACE_MISSING, exists
from expectations.rules import Between, Declaration, Derived, Matches, Rule
from schemas.entities import THING
from schemas.model import Table

TABLE: Table = THING
MULTI_VALUED: frozenset[str] = frozenset()
DERIVED: dict[str, Derived] = {}


def rules(reference_date: dt.date) -> tuple[Rule, ...]:
    return (
        Matches(
            "plate_no_format",
            "warning",
            "plate_no is no GA 36 plate (province character, office letter without I or O, 5 characters, "
            "or 6 for new-energy): strip separators and full-width forms",
            ("plate_no",),
            regex=checks.PLATE,
        ),
        Between(
            "registered_date_not_future",
            "warning",
            f"registered_date lies after the reference date {reference_date}",
            ("registered_date",),
            max_value=reference_date,
        ),
        exists(
            "owner_person_id",
            "person",
            "person_id",
            "warning",
            "owner_person_id names no person of this build: the owner was not resolved or was refused",
        ),
        exists("place_id", "place", "place_id", "warning", PLACE_MISSING),
    )


DECLARATION = Declaration(TABLE, rules, DERIVED, MULTI_VALUED)
