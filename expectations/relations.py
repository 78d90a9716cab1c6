"""Expectations of the relations: every id points to an entity that exists, periods run forwards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from expectations.references import exists, keys_sql
from expectations.rules import Between, Declaration, Predicate, Rule
from schemas.model import Table
from schemas.relations import (
    EVENT_PARTY,
    GRID_WORKER,
    HOUSEHOLD_MEMBER,
    PERSON_ORGANIZATION,
    PERSON_RESIDENCE,
    PLACE_GRID,
)

# column -> (entity table, its key)
_ENTITY_KEYS = {
    "person_id": ("person", "person_id"),
    "place_id": ("place", "place_id"),
    "org_id": ("organization", "org_id"),
    "event_id": ("event", "event_id"),
}


def reference_rule(table: Table, column: str) -> Rule:
    """A relation row whose id names no entity is refused: it would join to nothing in the warehouse."""
    entity, key = _ENTITY_KEYS[column]
    return exists(
        column,
        entity,
        key,
        "error",
        f"{column} of {table.name} names no {entity} of this build; the relation points nowhere, "
        "check that the entity was resolved (or was itself refused)",
    )


def _party_rule() -> Rule:
    return Predicate(
        "party_id_exists",
        "error",
        "party_id names no person (party_kind person) or organization (party_kind organization) of this build",
        ("party_kind", "party_id"),
        references=("person", "organization"),
        predicate=(
            f'("party_kind" = \'person\' AND "party_id" NOT IN {keys_sql("person", "person_id")}) OR '
            f'("party_kind" = \'organization\' AND "party_id" NOT IN {keys_sql("organization", "org_id")})'
        ),
    )


def _period_rules(reference_date: dt.date) -> tuple[Rule, ...]:
    return (
        Between(
            "from_date_not_future",
            "warning",
            f"from_date lies after the reference date {reference_date}",
            ("from_date",),
            max_value=reference_date,
        ),
        Predicate(
            "period_in_order",
            "warning",
            "to_date lies before from_date: the period runs backwards",
            ("from_date", "to_date"),
            predicate='"to_date" < "from_date"',
        ),
    )


def _extra(table: Table) -> Callable[[dt.date], tuple[Rule, ...]]:
    names = {f.name for f in table.fields}

    def rules(reference_date: dt.date) -> tuple[Rule, ...]:
        refs = tuple(reference_rule(table, c) for c in _ENTITY_KEYS if c in names)
        party = (_party_rule(),) if "party_id" in names else ()
        periods = _period_rules(reference_date) if "from_date" in names else ()
        return refs + party + periods

    return rules


DECLARATIONS: tuple[Declaration, ...] = tuple(
    Declaration(t, _extra(t))
    for t in (PERSON_RESIDENCE, HOUSEHOLD_MEMBER, PERSON_ORGANIZATION, EVENT_PARTY, PLACE_GRID, GRID_WORKER)
)
