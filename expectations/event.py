"""Expectations of the event entity (事): times not in the future and in order, plausible numbers of people."""

from __future__ import annotations

import datetime as dt

from expectations.references import PLACE_MISSING, exists
from expectations.rules import Between, Declaration, Derived, Predicate, Rule
from schemas.entities import EVENT
from schemas.model import Table

TABLE: Table = EVENT
MULTI_VALUED: frozenset[str] = frozenset()
DERIVED: dict[str, Derived] = {}


def rules(reference_date: dt.date) -> tuple[Rule, ...]:
    # Event times are Beijing wall-clock TIMESTAMPs: anything before the next midnight is not in the future.
    next_midnight = dt.datetime.combine(reference_date + dt.timedelta(days=1), dt.time())
    return (
        *(
            Between(
                f"{column}_not_future",
                "warning",
                f"{column} lies after the reference date {reference_date}: a typo in the year or a wrong clock",
                (column,),
                max_value=next_midnight,
                strict_max=True,
            )
            for column in ("occurred_at", "reported_at", "closed_at")
        ),
        Predicate(
            "reported_not_before_occurred",
            "warning",
            "reported_at lies before occurred_at: one of the two times is wrong",
            ("occurred_at", "reported_at"),
            predicate='"reported_at" < "occurred_at"',
        ),
        Predicate(
            "closed_not_before_reported",
            "warning",
            "closed_at lies before reported_at: the event was closed before anyone reported it",
            ("reported_at", "closed_at"),
            predicate='"closed_at" < "reported_at"',
        ),
        Between(
            "people_involved_plausible",
            "warning",
            "people_involved must be from 0 to 10000; larger numbers are usually a date or an ID typed in",
            ("people_involved",),
            min_value=0,
            max_value=10000,
        ),
        exists("place_id", "place", "place_id", "warning", PLACE_MISSING),
    )


DECLARATION = Declaration(TABLE, rules, DERIVED, MULTI_VALUED)
