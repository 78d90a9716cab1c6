"""Golden records: per field, the value of the most trusted source, then the most recent, then the valid one.

Each kind declares, per output field, which staged column feeds it and the trust ranking of the source systems;
every chosen value records the source record it came from and the rule that decided (field_provenance).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

import schemas
from schemas.model import Table

# Who is trusted first, per kind of fact (documented in docs/resolution.md).
IDENTITY_TRUST = ("police", "civil", "grid")  # name, birth date, ethnicity, household: the household registry
WHEREABOUTS_TRUST = ("grid", "civil", "police")  # current address, phone: the grid worker sees people at home
WELFARE_TRUST = ("civil", "grid", "police")  # assistance, disability, care: civil affairs decides them


@dataclass(frozen=True)
class FieldRule:
    """Where a golden field comes from and who wins when sources disagree."""

    field: str
    source: str
    trust: tuple[str, ...] = IDENTITY_TRUST
    valid: str | None = None  # a SQL condition: when set, valid values beat invalid ones before trust


def rules_for(
    table: Table, id_field: str, overrides: dict[str, FieldRule], present: set[str]
) -> list[FieldRule]:
    """A rule for every field of the entity table that some staged column can feed."""
    skip = {id_field, "first_seen", "last_updated", "source_count"}
    out = []
    for f in table.fields:
        if f.name in skip:
            continue
        rule = overrides.get(f.name, FieldRule(f.name, f.name))
        if rule.source in present:
            out.append(rule)
    return out


def _trust_rank_sql(trust: tuple[str, ...]) -> str:
    whens = " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(trust))
    return f"(CASE source_system {whens} ELSE {len(trust)} END)"


def field_pick_sql(rule: FieldRule, members: str) -> str:
    """Winner of one field per entity: value, source record, deciding rule, number of distinct candidates."""
    valid = f"(NOT coalesce({rule.valid}, FALSE))::INT" if rule.valid else "0"
    return f"""
        SELECT entity_id, '{rule.field}' AS field,
               arg_min(CAST(v AS VARCHAR), k) AS value, arg_min(record_id, k) AS record_id,
               count(DISTINCT v) AS candidates,
               count(DISTINCT v) FILTER (WHERE inv = min_inv AND tr = min_tr) AS top_candidates,
               bool_or(inv = 1) AND min(inv) = 0 AS validity_decided
        FROM (
            SELECT *, min(inv) OVER (PARTITION BY entity_id) AS min_inv,
                      min(tr) FILTER (WHERE inv = 0 OR NOT has_valid) OVER (PARTITION BY entity_id) AS min_tr
            FROM (
                SELECT entity_id, record_id, "{rule.source}" AS v, {valid} AS inv,
                       {_trust_rank_sql(rule.trust)} AS tr,
                       [{valid}::DOUBLE, {_trust_rank_sql(rule.trust)}::DOUBLE,
                        -coalesce(epoch(updated_at), 0)::DOUBLE] AS k,
                       bool_or({valid} = 0) OVER (PARTITION BY entity_id) AS has_valid
                FROM {members} WHERE "{rule.source}" IS NOT NULL
            )
        )
        GROUP BY entity_id
    """


def golden(
    con: duckdb.DuckDBPyConnection, kind: str, table: Table, members: str, rules: list[FieldRule], out: str
) -> None:
    """Write the entity table ``out`` (the model's columns, in order) and ``_prov_<kind>`` (per-field provenance).

    ``members`` holds the staged columns plus entity_id, record_id, source_system, updated_at.
    """
    id_field = table.primary_key[0]
    picks = " UNION ALL ".join(field_pick_sql(r, members) for r in rules) or (
        "SELECT NULL::VARCHAR entity_id, NULL::VARCHAR field, NULL::VARCHAR value, NULL::VARCHAR record_id, "
        "0 candidates, 0 top_candidates, FALSE validity_decided WHERE FALSE"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE _prov_{kind} AS {picks}")
    chosen = {r.field for r in rules}
    cols = []
    for f in table.fields:
        if f.name == id_field:
            cols.append(f"e.entity_id AS {id_field}")
        elif f.name == "first_seen":
            cols.append("e.first_seen")
        elif f.name == "last_updated":
            cols.append("e.last_updated")
        elif f.name == "source_count":
            cols.append("e.source_count")
        elif f.name in chosen:
            cols.append(f"CAST(max(p.value) FILTER (WHERE p.field = '{f.name}') AS {f.type}) AS \"{f.name}\"")
        else:
            cols.append(f'CAST(NULL AS {f.type}) AS "{f.name}"')
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ent_{kind} AS
        SELECT entity_id, timezone('Asia/Shanghai', min(updated_at)) AS first_seen,
               timezone('Asia/Shanghai', max(updated_at)) AS last_updated, count(*)::INTEGER AS source_count
        FROM {members} GROUP BY entity_id
    """)
    group_cols = ", ".join(f"e.{c}" for c in ("entity_id", "first_seen", "last_updated", "source_count"))
    con.execute(f"""
        CREATE OR REPLACE TABLE "{out}" AS
        SELECT {", ".join(cols)} FROM _ent_{kind} e LEFT JOIN _prov_{kind} p USING (entity_id)
        GROUP BY {group_cols} ORDER BY e.entity_id
    """)


def provenance_sql(kind: str, members: str, run_id: str) -> str:
    """field_provenance rows from the picks of ``golden``."""
    return f"""
        SELECT '{kind}' AS entity_kind, p.entity_id, p.field, m.source_system, m.source_table, m.record_key,
               m.load_id,
               CASE WHEN p.validity_decided THEN 'validity'
                    WHEN p.top_candidates <= 1 THEN 'trust' ELSE 'recency' END AS rule,
               p.candidates::INTEGER AS candidates, '{run_id}' AS run_id
        FROM _prov_{kind} p JOIN {members} m ON m.record_id = p.record_id
    """


def model_table(kind: str) -> Table:
    return schemas.get(kind)
