"""Expectations of the place entity (地): the hierarchy holds together and coordinates fall in or near Xiantao."""

from __future__ import annotations

import datetime as dt

from expectations.references import exists
from expectations.rules import Between, Declaration, Derived, Rule
from schemas.model import Table
from schemas.place import PLACE

TABLE: Table = PLACE
MULTI_VALUED: frozenset[str] = frozenset()
DERIVED: dict[str, Derived] = {}


def rules(reference_date: dt.date) -> tuple[Rule, ...]:
    return (
        # Xiantao lies around 30.1-30.6 N, 113.0-113.9 E; the box leaves a margin for survey error.
        Between(
            "latitude_in_xiantao",
            "warning",
            "latitude is far outside Xiantao (29.5-31.0 N in CGCS2000): swapped with longitude or a wrong datum",
            ("latitude",),
            min_value=29.5,
            max_value=31.0,
        ),
        Between(
            "longitude_in_xiantao",
            "warning",
            "longitude is far outside Xiantao (112.5-114.5 E in CGCS2000): swapped with latitude or a wrong datum",
            ("longitude",),
            min_value=112.5,
            max_value=114.5,
        ),
        Between(
            "area_plausible",
            "warning",
            "area must be above 0 and at most 100000 square metres; check the unit (mu, square feet?)",
            ("area",),
            min_value=0.01,
            max_value=100000.0,
        ),
        exists(
            "parent_id",
            "place",
            "place_id",
            "warning",
            "parent_id names no place: the hierarchy is broken above this place",
        ),
    )


DECLARATION = Declaration(TABLE, rules, DERIVED, MULTI_VALUED)
