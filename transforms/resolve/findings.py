"""Cross-system disagreements found while resolving, kept as findings rather than hidden by survivorship.

Values are masked in SQL as grassroots.privacy masks them in Python (IDs keep 6 + 4, names keep the surname).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import duckdb

MaskKind = Literal["id", "name", "phone", "none"]


def mask_sql(expr: str, mask: MaskKind) -> str:
    """The masked text of a value, as grassroots.privacy would show it."""
    v = f"CAST({expr} AS VARCHAR)"
    if mask == "id":
        return f"CASE WHEN length({v}) > 10 THEN left({v}, 6) || repeat('*', length({v}) - 10) || right({v}, 4) ELSE repeat('*', length({v})) END"
    if mask == "name":
        return f"left({v}, 1) || repeat('*', length({v}) - 1)"
    if mask == "phone":
        return f"CASE WHEN length({v}) = 11 THEN left({v}, 3) || '****' || right({v}, 4) ELSE repeat('*', greatest(length({v}) - 4, 0)) || right({v}, 4) END"
    return v


def create_findings(con: duckdb.DuckDBPyConnection, table: str, parts: list[str]) -> None:
    """The temp table ``table`` from finding queries (same columns, by position), one statement each: as one
    UNION ALL their grouped states would all be held at once (out of memory at city scale)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {parts[0]}")
    for part in parts[1:]:
        con.execute(f"INSERT INTO {table} {part}")


@dataclass(frozen=True)
class ConflictCheck:
    """A field whose values must agree across the systems holding one entity."""

    field: str
    source: str
    mask: MaskKind = "none"


def conflict_sql(kind: str, members: str, check: ConflictCheck, run_id: str) -> str:
    """One finding per entity whose systems hold different values of the field (each system's latest value)."""
    # The lists are built only for the entities found in conflict (a few percent): building them for every
    # entity and filtering afterwards held a list per entity in memory.
    return f"""
        WITH per_system AS MATERIALIZED (
            SELECT entity_id, source_system, arg_max("{check.source}", updated_at) AS v
            FROM {members} WHERE "{check.source}" IS NOT NULL GROUP BY entity_id, source_system
        ),
        conflicted AS (SELECT entity_id FROM per_system GROUP BY entity_id HAVING min(v) <> max(v))
        SELECT '{run_id}' AS run_id, '{kind}' AS entity_kind, entity_id, '{check.field}' AS field,
               'conflict' AS kind, list(source_system ORDER BY source_system) AS systems,
               list({mask_sql("v", check.mask)} ORDER BY source_system) AS values_masked, now() AS detected_at
        FROM per_system WHERE entity_id IN (SELECT entity_id FROM conflicted) GROUP BY entity_id
    """


def shared_id_sql(kind: str, members: str, id_column: str, field: str, run_id: str) -> str:
    """One finding per entity carrying an identifier that some other entity carries too."""
    return f"""
        WITH shared AS (
            SELECT "{id_column}" AS v FROM {members} WHERE "{id_column}" IS NOT NULL
            GROUP BY 1 HAVING min(entity_id) <> max(entity_id)
        )
        SELECT '{run_id}' AS run_id, '{kind}' AS entity_kind, m.entity_id, '{field}' AS field, 'shared_id' AS kind,
               list(DISTINCT m.source_system ORDER BY m.source_system) AS systems,
               list(DISTINCT {mask_sql('m."' + id_column + '"', "id")}) AS values_masked, now() AS detected_at
        FROM {members} m JOIN shared s ON s.v = m."{id_column}" GROUP BY m.entity_id
    """


def person_findings_sql(members: str, run_id: str) -> list[str]:
    """Birth date, sex, name, ethnicity and death disagreements; IDs on two people; IDs contradicting the record;
    migrants the police do not know. One query each (for ``create_findings``)."""
    return [
        *person_own_findings_sql(members, run_id),
        shared_id_sql("person", members, "usable_id", "citizen_id", run_id),
    ]


def person_own_findings_sql(members: str, run_id: str) -> list[str]:
    """The findings that depend on one person's own records alone (all but IDs on two people): an incremental run
    computes them for the people it touched and keeps the others' from the last run."""
    checks = (
        ConflictCheck("birth_date", "birth_day"),
        ConflictCheck("sex", "sex"),
        ConflictCheck("name", "name", "name"),
        ConflictCheck("ethnicity", "ethnicity"),
        ConflictCheck("is_deceased", "is_deceased"),
    )
    parts = [conflict_sql("person", members, c, run_id) for c in checks]
    parts.append(f"""
        SELECT '{run_id}', 'person', entity_id, 'citizen_id', 'invalid',
               list(source_system ORDER BY source_system), list({mask_sql("citizen_id", "id")} ORDER BY source_system),
               now()
        FROM {members} WHERE id_birth_conflict GROUP BY entity_id
    """)
    parts.append(f"""
        WITH unknown AS (
            SELECT entity_id FROM {members} GROUP BY entity_id
            HAVING bool_or(category = '02') AND NOT bool_or(source_system = 'police')
        )
        SELECT '{run_id}', 'person', entity_id, 'category', 'missing',
               list(DISTINCT source_system ORDER BY source_system), list(DISTINCT category ORDER BY category), now()
        FROM {members} WHERE entity_id IN (SELECT entity_id FROM unknown) GROUP BY entity_id
    """)
    return parts


def split_findings_sql(
    kind: str, rivals: str, components: str, ids: str, run_id: str, field: str, mask: MaskKind = "id"
) -> str:
    """A cluster that held rival anchors and was split: recorded on every entity it became, for review."""
    return f"""
        SELECT DISTINCT '{run_id}' AS run_id, '{kind}' AS entity_kind, i.entity_id, '{field}' AS field,
               'conflict' AS kind, NULL::VARCHAR[] AS systems,
               list_transform(r.anchors, lambda v: {mask_sql("v", mask)}) AS values_masked, now() AS detected_at
        FROM {rivals} r JOIN {components} s ON s.label = r.label JOIN {ids} i ON i.record_id = s.node
    """
