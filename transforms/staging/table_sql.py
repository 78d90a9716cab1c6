"""SQL that turns the landed rows of one declared table into standardized canonical columns (pure builders).

Columns of a staged row: provenance (source_system, source_table, record_key, load_id, updated_at, source_line),
``raw_<field>`` (the source value, kept for lineage and ``explain``), the normalizer outputs ``<field>``,
``<field>_status``, ``<field>_<part>``, the declared constants, and ``<relation>__<field>`` for relation mappings
of the same table.
"""

from __future__ import annotations

import datetime as dt

from transforms.layered import Layered, ident
from transforms.staging import simple
from transforms.staging.fields import Normalizer, field_normalizer
from transforms.staging.plan import TablePlan
from transforms.standardize import standardize_sql

PROVENANCE = ("source_system", "source_table", "record_key", "load_id", "updated_at", "source_line")


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def record_key_sql(key: tuple[str, ...]) -> str:
    """The key as text, composite keys joined with ``|`` (as the simulator's truth map writes it)."""
    return " || '|' || ".join(f"coalesce(CAST({ident(k)} AS VARCHAR), '')" for k in key)


def updated_at_sql(plan: TablePlan) -> str:
    """When the source last changed the row: its cursor column, else when it was landed (Beijing time)."""
    landed = "timezone('Asia/Shanghai', _extracted_at)"
    if plan.cursor is None:
        return landed
    parsed = simple.timestamp_sql(plan.cursor).layers[1]["ts"].replace("@raw", ident(plan.cursor))
    return f"coalesce({parsed}, {landed})"


def record_sql(plan: TablePlan, landed: str) -> str:
    """Provenance and the mapped source columns renamed ``raw_<field>``, from ``landed`` (current rows)."""
    cols = [
        f"{literal(plan.source)} AS source_system",
        f"{literal(plan.table)} AS source_table",
        f"{record_key_sql(plan.key)} AS record_key",
        "_load_id AS load_id",
        f"CAST({updated_at_sql(plan)} AS TIMESTAMP) AS updated_at",
        ("CAST(_line AS BIGINT)" if plan.from_files else "CAST(NULL AS BIGINT)") + " AS source_line",
    ]
    cols += [
        f"CAST({ident(col)} AS VARCHAR) AS {ident('raw_' + f)}" for f, col in plan.mapping.fields.items()
    ]
    cols += [f"{literal(v)} AS {ident(f)}" for f, v in plan.mapping.constants.items()]
    cols += [
        f"CAST({ident(col)} AS VARCHAR) AS {ident(f'{m.target}__{f}')}"
        for m in plan.related
        for f, col in m.fields.items()
    ]
    if plan.mapping.attach is not None:
        cols.append(f"CAST({ident(plan.mapping.attach.column)} AS VARCHAR) AS attach_key")
    return f"SELECT {', '.join(cols)} FROM ({landed}) AS landed"


def field_normalizers(plan: TablePlan, legacy_zero_male: bool = False) -> dict[str, Normalizer]:
    """The normalizer of every mapped field of the plan."""
    m = plan.mapping
    return {f: field_normalizer(m.target, f, m.codes.get(f), legacy_zero_male) for f in m.fields}


def layered(plan: TablePlan, as_of: dt.date | None, legacy_zero_male: bool = False) -> dict[str, Layered]:
    """Out column -> normalizer over its ``raw_`` column."""
    return {
        f: n.build(ident("raw_" + f), as_of) for f, n in field_normalizers(plan, legacy_zero_male).items()
    }


def standardized_sql(
    plan: TablePlan, landed: str, as_of: dt.date | None, legacy_zero_male: bool = False
) -> str:
    """The plan's rows with every mapped field standardized."""
    return standardize_sql(f"({record_sql(plan, landed)})", layered(plan, as_of, legacy_zero_male))


def field_columns(plan: TablePlan, as_of: dt.date | None) -> list[str]:
    """Every column the plan's fields add: raw, value, status and parts."""
    out = []
    for f, lay in layered(plan, as_of).items():
        out.append("raw_" + f)
        out += [column for _, _, column in lay.columns(f)]
    return out


def enrichment_sql(plan: TablePlan, standardized: str, as_of: dt.date | None) -> str:
    """One row per attached record: the most recently updated enrichment row, keyed by the record it describes."""
    cols = ", ".join(ident(c) for c in field_columns(plan, as_of))
    return (
        f"SELECT attach_key, {cols} FROM {standardized} WHERE attach_key IS NOT NULL "
        "QUALIFY row_number() OVER (PARTITION BY attach_key ORDER BY updated_at DESC NULLS LAST, "
        "record_key DESC) = 1"
    )


def attached_sql(base: str, enrichments: list[str]) -> str:
    """``base`` with each enrichment (from ``enrichment_sql``) joined on the record it describes."""
    query = f"SELECT * FROM {base}"
    for i, e in enumerate(enrichments):
        query = (
            f"SELECT b.*, e{i}.* EXCLUDE (attach_key) FROM ({query}) AS b "
            f"LEFT JOIN {e} AS e{i} ON e{i}.attach_key = b.record_key"
        )
    return query


def orphans_sql(enrichment: str, base: str) -> str:
    """Enrichment rows whose record does not exist (any more) in the table they attach to."""
    return f"SELECT * FROM {enrichment} e WHERE NOT EXISTS (SELECT 1 FROM {base} b WHERE b.record_key = e.attach_key)"
