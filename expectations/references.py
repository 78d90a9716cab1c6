"""Referential rules: an id column must name a row of another canonical table of the same build."""

from __future__ import annotations

from expectations.rules import Predicate, Severity


def keys_sql(entity: str, key: str) -> str:
    """The keys of an entity table (``{entity}`` is resolved per run). Qualified, so that a table without the key
    fails loudly instead of binding the outer row's column; without NULLs, which would make NOT IN unknown."""
    return f'(SELECT r."{key}" FROM {{{entity}}} AS r WHERE r."{key}" IS NOT NULL)'


PLACE_MISSING = (
    "the place id names no place of this build: the address was not resolved to a house or building"
)


def exists(column: str, entity: str, key: str, severity: Severity, reason: str) -> Predicate:
    return Predicate(
        f"{column}_exists",
        severity,
        reason,
        (column,),
        references=(entity,),
        predicate=f'"{column}" IS NOT NULL AND "{column}" NOT IN {keys_sql(entity, key)}',
    )
