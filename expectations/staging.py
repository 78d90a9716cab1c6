"""Expectations every staging table (stg_person, ...) shares: each row says which source record it came from."""

from __future__ import annotations

from expectations.rules import InSet, NotNull, Rule, Unique
from schemas import codes

PROVENANCE = ("source_system", "source_table", "source_key")


def provenance_rules(columns: frozenset[str]) -> tuple[Rule, ...]:
    """Rules on the provenance columns, for a table that has them (an entity table has none)."""
    if not set(PROVENANCE) <= columns:
        return ()
    not_null = tuple(
        NotNull(
            f"{c}_not_null",
            "error",
            f"{c} is empty: a staging row must name the source record it came from, or it cannot be traced back",
            (c,),
        )
        for c in PROVENANCE
    )
    system = InSet(
        "source_system_known",
        "error",
        "source_system is not one of the configured systems (grid, civil, police)",
        ("source_system",),
        values=tuple(codes.names("source_system")),
    )
    key = (*PROVENANCE, "load_id") if "load_id" in columns else PROVENANCE
    once = Unique(
        "source_record_once",
        "warning",
        "the same source record appears more than once in this staging table; it will be counted twice "
        "unless resolution merges the copies",
        key,
    )
    return (*not_null, system, once)
