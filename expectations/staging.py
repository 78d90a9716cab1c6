"""What differs for staging tables (stg_person, ...): each row names its source record, and some rules only warn.

A staging table has one row per source record (transforms/resolve/inputs.py is its contract), with the source key
as ``record_key`` (``source_key`` is accepted too). Entity resolution copes with a bad citizen ID or birth date in a
source record (it does not link on it), so refusing the whole record there would lose a person; the same rules block
in the golden tables, where the model promises checked values.
"""

from __future__ import annotations

from expectations.rules import InSet, NotNull, Rule, Unique
from schemas import codes

KEY_COLUMNS = ("record_key", "source_key")
# Blocking in golden tables, warnings in staging tables.
WARN_IN_STAGING = frozenset({"citizen_id_format", "citizen_id_check_char", "birth_date_age_0_to_120"})


def key_column(columns: frozenset[str]) -> str | None:
    """The source-key column of a staging table, or None for a table that is no staging table."""
    if not {"source_system", "source_table"} <= columns:
        return None
    return next((c for c in KEY_COLUMNS if c in columns), None)


def provenance_rules(columns: frozenset[str]) -> tuple[Rule, ...]:
    """Rules on the provenance columns, for a table that has them (an entity table has none)."""
    key = key_column(columns)
    if key is None:
        return ()
    provenance = ("source_system", "source_table", key)
    not_null = tuple(
        NotNull(
            f"{c}_not_null",
            "error",
            f"{c} is empty: a staging row must name the source record it came from, or it cannot be traced back",
            (c,),
        )
        for c in provenance
    )
    system = InSet(
        "source_system_known",
        "error",
        "source_system is not one of the configured systems (grid, civil, police)",
        ("source_system",),
        values=tuple(codes.names("source_system")),
    )
    once = Unique(
        "source_record_once",
        "warning",
        "the same source record appears more than once in this staging table; it will be counted twice "
        "unless resolution merges the copies",
        (*provenance, "load_id") if "load_id" in columns else provenance,
    )
    return (*not_null, system, once)
