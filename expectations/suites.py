"""The suite of one DuckDB table: the rules of its canonical table that apply to the columns it actually has.

Staging tables (stg_person) carry a subset of the canonical fields plus provenance and *_status columns, golden tables
carry them all; a rule whose columns or referenced tables are absent is left out and listed in ``skipped``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from expectations import derive, event, organization, person, place, relations, staging, thing
from expectations.rules import Declaration, Derived, Rule

logger = logging.getLogger(__name__)

DECLARATIONS: dict[str, Declaration] = {
    d.table.name: d
    for d in (
        person.DECLARATION,
        place.DECLARATION,
        thing.DECLARATION,
        event.DECLARATION,
        organization.DECLARATION,
        *relations.DECLARATIONS,
    )
}


@dataclass(frozen=True)
class Suite:
    """The rules that run on one table, and the derived columns they need."""

    name: str
    canonical: str
    table: str
    rules: tuple[Rule, ...]
    derived: Mapping[str, Derived]
    skipped: tuple[str, ...]
    # Staging column -> canonical field, for the masks of columns the staging contract names differently.
    aliases: Mapping[str, str] = field(default_factory=dict)


def declaration(canonical: str) -> Declaration:
    try:
        return DECLARATIONS[canonical]
    except KeyError:
        known = ", ".join(DECLARATIONS)
        raise KeyError(f"no expectations declared for {canonical!r}; declared: {known}") from None


def all_rules(decl: Declaration, columns: frozenset[str], reference_date: dt.date) -> tuple[Rule, ...]:
    rules = derive.model_rules(decl.table, decl.multi_valued) + decl.extra(reference_date)
    if staging.key_column(columns) is not None:
        rules = _for_staging(decl, columns, rules) + staging.provenance_rules(columns)
    seen: set[str] = set()
    for r in rules:
        if r.name in seen:
            raise ValueError(f"two rules named {r.name!r} in the suite of {decl.table.name}; rename one")
        seen.add(r.name)
    return rules


def _for_staging(decl: Declaration, columns: frozenset[str], rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """Staging columns named differently get their field's rules; some blocking rules only warn in staging."""
    aliased = tuple(
        rule
        for alias, name in decl.staging_aliases.items()
        if alias in columns and name not in columns
        for rule in derive.field_rules(decl.table, replace(decl.table.field(name), name=alias))
    )
    return tuple(
        replace(r, severity="warning") if r.name in staging.WARN_IN_STAGING else r for r in rules + aliased
    )


def build(
    canonical: str,
    table: str,
    columns: frozenset[str],
    reference_date: dt.date,
    tables: Mapping[str, str],
) -> Suite:
    """The suite of ``table`` (holding rows of ``canonical``), given its columns and the other tables of the run."""
    decl = declaration(canonical)
    derived = {n: d for n, d in decl.derived.items() if set(d.inputs) <= columns}
    usable = columns | set(derived)
    kept, skipped = [], []
    for rule in all_rules(decl, columns, reference_date):
        if set(rule.columns) <= usable and set(rule.references) <= set(tables):
            kept.append(rule)
        else:
            skipped.append(rule.name)
    if skipped:
        logger.info("%s: %d rules do not apply (columns or tables absent): %s", table, len(skipped), skipped)
    missing = [f.name for f in decl.table.fields if f.required and f.name not in columns]
    if missing and staging.key_column(columns) is None:
        # A golden table must have the model's required fields; a staging table names its own.
        logger.warning(
            "%s holds %s rows but lacks required fields %s: its checks are skipped", table, canonical, missing
        )
    needed = {c for r in kept for c in r.columns}
    return Suite(
        name=table.replace('"', "").replace(".", "__"),
        canonical=canonical,
        table=table,
        rules=tuple(kept),
        derived={n: d for n, d in derived.items() if n in needed},
        skipped=tuple(skipped),
        aliases=dict(decl.staging_aliases),
    )
