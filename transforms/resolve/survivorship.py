"""Golden records: per field, the value of the most trusted source, then the most recent, then the valid one.

Each kind declares, per output field, which staged column feeds it and the trust ranking of the source systems;
every chosen value records the source record it came from and the rule that decided (field_provenance).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

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


def _valid_sql(rule: FieldRule) -> str:
    """0 for a value that passes the field's validity rule (or when it has none), 1 for one that fails it."""
    return f"(NOT coalesce({rule.valid}, FALSE))::INT" if rule.valid else "0"


def _rank_columns(rules: list[FieldRule]) -> dict[tuple[str, ...], str]:
    """One computed trust-rank column per distinct ranking (fields share a handful of rankings)."""
    return {trust: f"_tr{i}" for i, trust in enumerate(dict.fromkeys(r.trust for r in rules))}


def winners_sql(rules: list[FieldRule], members: str) -> str:
    """One pass over the members: per entity and field the winning value with its source record, the number of
    distinct candidates, and whether a valid value beat an invalid one."""
    ranks = _rank_columns(rules)
    cols = [
        "entity_id",
        "timezone('Asia/Shanghai', min(updated_at)) AS first_seen",
        "timezone('Asia/Shanghai', max(updated_at)) AS last_updated",
        "count(*)::INTEGER AS source_count",
    ]
    for i, r in enumerate(rules):
        src, inv, tr = f'"{r.source}"', _valid_sql(r), ranks[r.trust]
        pick = (
            f"{{'v': CAST({src} AS VARCHAR), 'i': {inv}, 't': {tr}, 's': source_system, 'tb': source_table, "
            f"'k': record_key, 'l': load_id}}"
        )
        # One DOUBLE orders by validity, then trust, then recency (_rec < 1e10; exact below 2^53).
        key = f"{inv} * 1e12 + {tr} * 1e10 + _rec" if r.valid else f"{tr} * 1e10 + _rec"
        cols += [
            f"arg_min({pick}, {key}) FILTER (WHERE {src} IS NOT NULL) AS w{i}",
            f"count(DISTINCT {src})::INTEGER AS c{i}",
            f"(bool_or({inv} = 0 AND {src} IS NOT NULL) AND bool_or({inv} = 1 AND {src} IS NOT NULL)) AS d{i}"
            if r.valid
            else f"FALSE AS d{i}",
        ]
    rank_cols = ", ".join(f"{_trust_rank_sql(trust)} AS {name}" for trust, name in ranks.items())
    ranked = f"SELECT *, {rank_cols}, 1e10 - coalesce(epoch(updated_at), 0) AS _rec FROM {members}"
    return f"SELECT {', '.join(cols)} FROM ({ranked}) GROUP BY entity_id"


def ties_sql(rules: list[FieldRule], members: str, winners: str) -> str:
    """Second pass: did another value share the winner's validity and trust rank (then recency decided)?"""
    cols = ["m.entity_id"]
    for i, r in enumerate(rules):
        src, inv, tr = f'm."{r.source}"', _valid_sql(r), _trust_rank_sql(r.trust)
        cols.append(
            f"coalesce(bool_or(CAST({src} AS VARCHAR) <> w.w{i}.v AND {tr} = w.w{i}.t AND {inv} = w.w{i}.i), FALSE)"
            f" AS tie{i}"
        )
    return (
        f"SELECT {', '.join(cols)} FROM {members} m JOIN {winners} w USING (entity_id) GROUP BY m.entity_id"
    )


def golden(
    con: duckdb.DuckDBPyConnection, kind: str, table: Table, members: str, rules: list[FieldRule], out: str
) -> None:
    """Write the entity table ``out`` (the model's columns, in order) and ``_win_<kind>``/``_tie_<kind>``, from which
    ``provenance_sql`` reads.

    ``members`` holds the staged columns plus entity_id, record_id, source_system, source_table, record_key,
    load_id and updated_at.
    """
    id_field = table.primary_key[0]
    con.execute(f"CREATE OR REPLACE TEMP TABLE _win_{kind} AS {winners_sql(rules, members)}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _tie_{kind} AS {ties_sql(rules, members, f'_win_{kind}')}")
    index = {r.field: i for i, r in enumerate(rules)}
    cols = []
    for f in table.fields:
        if f.name == id_field:
            cols.append(f"entity_id AS {id_field}")
        elif f.name in ("first_seen", "last_updated", "source_count"):
            cols.append(f.name)
        elif f.name in index:
            cols.append(f'CAST(w{index[f.name]}.v AS {f.type}) AS "{f.name}"')
        else:
            cols.append(f'CAST(NULL AS {f.type}) AS "{f.name}"')
    con.execute(
        f'CREATE OR REPLACE TABLE "{out}" AS SELECT {", ".join(cols)} FROM _win_{kind} ORDER BY entity_id'
    )


def provenance_sql(kind: str, rules: list[FieldRule], run_id: str) -> str:
    """field_provenance rows (one per entity and non-NULL golden field) from the passes of ``golden``."""
    parts = []
    for i, r in enumerate(rules):
        parts.append(f"""
            SELECT '{kind}' AS entity_kind, w.entity_id, '{r.field}' AS field, w.w{i}.s AS source_system,
                   w.w{i}.tb AS source_table, w.w{i}.k AS record_key, w.w{i}.l AS load_id,
                   CASE WHEN w.d{i} THEN 'validity' WHEN t.tie{i} THEN 'recency' ELSE 'trust' END AS rule,
                   w.c{i} AS candidates, '{run_id}' AS run_id
            FROM _win_{kind} w JOIN _tie_{kind} t USING (entity_id) WHERE w.w{i} IS NOT NULL
        """)
    if not parts:
        return (
            f"SELECT '{kind}' AS entity_kind, NULL::VARCHAR entity_id, NULL::VARCHAR field, NULL::VARCHAR "
            "source_system, NULL::VARCHAR source_table, NULL::VARCHAR record_key, NULL::VARCHAR load_id, "
            f"NULL::VARCHAR rule, 0 candidates, '{run_id}' run_id WHERE FALSE"
        )
    return " UNION ALL ".join(parts)
