"""Expectations of the organization entity (组织): credit code format and check (GB 32100), founding dates."""

from __future__ import annotations

import datetime as dt

from expectations import checks
from expectations.references import PLACE_MISSING, exists
from expectations.rules import Between, Declaration, Derived, Matches, Predicate, Rule
from schemas.entities import ORGANIZATION
from schemas.model import Table

TABLE: Table = ORGANIZATION
MULTI_VALUED: frozenset[str] = frozenset()
DERIVED: dict[str, Derived] = {}


def rules(reference_date: dt.date) -> tuple[Rule, ...]:
    return (
        Matches(
            "credit_code_format",
            "warning",
            "credit_code is no 18-character unified social credit code (GB 32100; no I, O, Z, S or V): "
            "look for O typed for 0 or I for 1",
            ("credit_code",),
            regex=checks.CREDIT_CODE,
        ),
        # Some early pilot codes fail the check yet are legal (domain.md §3): flagged, never refused.
        Predicate(
            "credit_code_check_char",
            "warning",
            "credit_code fails its GB 32100 check character: a mistyped character, or an early pilot code "
            "that the registration authority should confirm",
            ("credit_code",),
            predicate=checks.credit_code_bad_check_sql("credit_code"),
        ),
        Between(
            "registered_date_not_future",
            "warning",
            f"registered_date (founding) lies after the reference date {reference_date}",
            ("registered_date",),
            max_value=reference_date,
        ),
        exists("place_id", "place", "place_id", "warning", PLACE_MISSING),
    )


DECLARATION = Declaration(TABLE, rules, DERIVED, MULTI_VALUED)
