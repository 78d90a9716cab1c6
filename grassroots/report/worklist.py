"""Correction worklists: per source system, the records that fail rules or disagree with the other systems.

One item per (source, table, shown record key, rule, field): keys are masked before they are shown, so distinct records
whose masked keys coincide (IDs of one county sharing their last four digits) collapse into one item with a count.
Quarantine rows say what is wrong with a record; findings say a record disagrees with another system, and the
suggested value is the golden one (masked for the recipient role).
"""

from __future__ import annotations

import duckdb

import schemas
from grassroots.report.current import CURRENT_FINDING, CURRENT_QUARANTINE
from grassroots.report.inputs import view_name
from grassroots.report.problems import finding_kind_labels_sql, finding_values_sql
from grassroots.report.roles import Role, shown_value_sql

ITEM_KEY = ("source", "table_name", "record_key", "rule", "field")
ITEM_COLUMNS = (
    *ITEM_KEY,
    "records",
    "entity_kind",
    "entity_id",
    "problem",
    "current_value",
    "suggested_value",
    "suggested_from",
    "severity",
)
GOLDEN = "report_golden"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def quarantine_items_sql() -> str:
    """One item per quarantined record and rule (several stages may refuse the same record for the same rule)."""
    return f"""
        SELECT source, table_or_file AS table_name,
               coalesce(record_key, 'line:' || CAST(line AS VARCHAR), '') AS record_key, rule,
               '' AS field, 1 AS records, CAST(NULL AS VARCHAR) AS entity_kind, CAST(NULL AS VARCHAR) AS entity_id,
               min(reason) AS problem, min(value_masked) AS current_value,
               CAST(NULL AS VARCHAR) AS suggested_value, CAST(NULL AS VARCHAR) AS suggested_from,
               CASE WHEN bool_or(severity = 'error') THEN 'error' ELSE 'warning' END AS severity
        FROM "{CURRENT_QUARANTINE}" GROUP BY ALL"""


def finding_items_sql() -> str:
    """One item per finding and record of a system that should act on it.

    A conflict goes to the systems whose value lost survivorship (the winner holds the golden value already);
    a missing value goes to the systems that lack it; invalid values and shared IDs go to every system involved.
    """
    aligned = "list_position(f.systems, es.source_system)"
    winner_value = "f.values_masked[list_position(f.systems, p.winner)]"
    return f"""
        WITH es AS (SELECT DISTINCT entity_kind, entity_id, source_system, source_table, record_key
                    FROM "{view_name("entity_source")}"),
        prov AS (SELECT entity_kind, entity_id, field, any_value(source_system) AS winner
                 FROM "{view_name("field_provenance")}" GROUP BY ALL),
        labels AS ({finding_kind_labels_sql()})
        SELECT es.source_system AS source, es.source_table AS table_name, es.record_key,
               'finding:' || f.kind || ':' || f.field AS rule, f.field, 1 AS records, f.entity_kind, f.entity_id,
               coalesce(l.label, f.kind) || ': ' || f.entity_kind || '.' || f.field || ' — ' || {finding_values_sql("f")}
                   AS problem,
               CASE WHEN f.kind IN ('conflict', 'invalid') AND {aligned} > 0 THEN f.values_masked[{aligned}]
                    WHEN f.kind = 'shared_id' THEN array_to_string(f.values_masked, ', ') END AS current_value,
               coalesce(g.golden, CASE WHEN f.kind = 'conflict' THEN {winner_value}
                                       WHEN f.kind = 'missing' THEN array_to_string(f.values_masked, ', ') END)
                   AS suggested_value,
               CASE WHEN g.golden IS NOT NULL THEN 'golden' || coalesce(' (' || p.winner || ')', '')
                    WHEN f.kind = 'conflict' AND p.winner IS NOT NULL THEN p.winner
                    WHEN f.kind = 'missing' THEN array_to_string(f.systems, '+') END AS suggested_from,
               'warning' AS severity
        FROM "{CURRENT_FINDING}" f
        JOIN es ON es.entity_kind = f.entity_kind AND es.entity_id = f.entity_id
        LEFT JOIN prov p ON p.entity_kind = f.entity_kind AND p.entity_id = f.entity_id AND p.field = f.field
        LEFT JOIN "{GOLDEN}" g ON g.entity_kind = f.entity_kind AND g.entity_id = f.entity_id AND g.field = f.field
        LEFT JOIN labels l ON l.kind = f.kind
        WHERE CASE f.kind
            WHEN 'missing' THEN NOT list_contains(coalesce(f.systems, []), es.source_system)
            WHEN 'conflict' THEN (f.systems IS NULL OR list_contains(f.systems, es.source_system))
                                 AND es.source_system IS DISTINCT FROM p.winner
                                 -- a system holding the winner's value needs no correction; masked values
                                 -- (with '*') may hide a difference, so only unmasked equality counts
                                 AND NOT coalesce(f.values_masked[{aligned}] = {winner_value}
                                                  AND NOT contains({winner_value}, '*'), false)
            ELSE f.systems IS NULL OR list_contains(f.systems, es.source_system) END"""


def golden_sql(kind: str, fields: list[str], role: Role) -> str | None:
    """Golden values of ``fields`` of entity ``kind`` as ``role`` may see them; None when none is a column."""
    table = schemas.get(kind)
    declared = {f.name: f for f in table.fields}
    key = table.primary_key[0]
    parts = [
        f'SELECT {_literal(kind)} AS entity_kind, CAST("{key}" AS VARCHAR) AS entity_id, '
        f"{_literal(name)} AS field, {shown_value_sql(declared[name], chr(34) + name + chr(34), role)} AS golden "
        f'FROM "{view_name("entity_" + kind)}"'
        for name in fields
        if name in declared
    ]
    return " UNION ALL ".join(parts) if parts else None


def create_golden(con: duckdb.DuckDBPyConnection, entity_kinds: list[str], role: Role) -> None:
    """The golden-value view the finding items join, for the fields the current findings name."""
    wanted = con.execute(f'SELECT DISTINCT entity_kind, field FROM "{CURRENT_FINDING}"').fetchall()
    parts = []
    for kind in entity_kinds:
        view = view_name("entity_" + kind)
        columns = {r[0] for r in con.execute(f'DESCRIBE "{view}"').fetchall()}
        fields = sorted(f for k, f in wanted if k == kind and f in columns)
        sql = golden_sql(kind, fields, role) if fields else None
        if sql is not None:
            parts.append(sql)
    empty = (
        "SELECT NULL::VARCHAR AS entity_kind, NULL::VARCHAR AS entity_id, NULL::VARCHAR AS field, "
        "NULL::VARCHAR AS golden WHERE false"
    )
    # One golden value per (entity, field) even if an entity table repeats a key: the items join it.
    golden = " UNION ALL ".join(parts) or empty
    con.execute(
        f'CREATE OR REPLACE TEMP VIEW "{GOLDEN}" AS '
        f"SELECT entity_kind, entity_id, field, min(golden) AS golden FROM ({golden}) GROUP BY ALL"
    )


def unique_items_sql(rows: str) -> str:
    """One row per item identity (ITEM_KEY) of ``rows``, whose record keys are already as they will be shown.

    The count adds up and the worst severity wins; the descriptive columns come from one example row (the
    smallest), so a problem, a current value and its suggestion always belong to the same record.
    """
    key = ", ".join(ITEM_KEY)
    described = [c for c in ITEM_COLUMNS if c not in ITEM_KEY and c not in ("records", "severity")]
    example = "min(struct_pack(" + ", ".join(f"{c} := {c}" for c in described) + "))"
    return f"""
        SELECT {key}, records, {", ".join(f"example.{c} AS {c}" for c in described)}, severity
        FROM (SELECT {key}, CAST(sum(records) AS BIGINT) AS records, {example} AS example,
                     CASE WHEN bool_or(severity = 'error') THEN 'error' ELSE 'warning' END AS severity
              FROM ({rows}) GROUP BY {key})"""


def identity_duplicates_sql(items: str) -> str:
    """How many rows of ``items`` repeat an item identity (0 for a sound worklist)."""
    return f"SELECT count(*) - count(DISTINCT ({', '.join(ITEM_KEY)})) FROM {items}"


def items_sql() -> str:
    """The raw items, before record keys are masked (grassroots.report.build masks, then makes them unique)."""
    cols = ", ".join(ITEM_COLUMNS)
    return (
        f"SELECT {cols} FROM ({quarantine_items_sql()}) UNION ALL SELECT {cols} FROM ({finding_items_sql()})"
    )
