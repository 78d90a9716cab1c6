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


def _rank_columns(rules: list[FieldRule]) -> dict[tuple[str, ...], str]:
    """One computed trust-rank column per distinct ranking (fields share a handful of rankings)."""
    return {trust: f"_tr{i}" for i, trust in enumerate(dict.fromkeys(r.trust for r in rules))}


def _invalid(rules: list[FieldRule], i: int) -> str:
    """Rule ``i``'s invalid flag of a ranked row: 0 passes the field's validity rule (or it has none), 1 fails it."""
    return f"_inv{i}" if rules[i].valid else "0"


RECORD_COLUMNS = (
    "entity_id",
    "record_id",
    "source_system",
    "source_table",
    "record_key",
    "load_id",
    "updated_at",
)


def ranked_sql(rules: list[FieldRule], members: str) -> str:
    """The columns survivorship reads of the members, with what ranks their values: trust rank per ranking,
    invalid flag per validity rule, and ``_rec`` (smaller is more recent)."""
    sources = [f'"{s}"' for s in dict.fromkeys(r.source for r in rules) if s not in RECORD_COLUMNS]
    ranks = [f"{_trust_rank_sql(trust)} AS {name}" for trust, name in _rank_columns(rules).items()]
    invalid = [
        f"(NOT coalesce({r.valid}, FALSE))::INTEGER AS _inv{i}" for i, r in enumerate(rules) if r.valid
    ]
    cols = [*RECORD_COLUMNS, *sources, *ranks, *invalid, "1e10 - coalesce(epoch(updated_at), 0) AS _rec"]
    return f"SELECT {', '.join(cols)} FROM {members}"


def _pick_sql(rules: list[FieldRule], i: int, row: str = "") -> str:
    """What a winning value carries: the value as text, its invalid flag and trust rank, and its source record."""
    r = rules[i]
    inv = f"{row}{_invalid(rules, i)}" if r.valid else "0"
    rank = f"{row}{_rank_columns(rules)[r.trust]}"
    return (
        f"{{'v': CAST({row}\"{r.source}\" AS VARCHAR), 'i': {inv}, 't': {rank}, 's': {row}source_system, "
        f"'tb': {row}source_table, 'k': {row}record_key, 'l': {row}load_id}}"
    )


def _order_sql(rules: list[FieldRule], i: int, row: str = "") -> str:
    """The order values compete in: valid first, then trust, then recency, then the smaller record_id."""
    inv = f"{row}{_invalid(rules, i)}" if rules[i].valid else "0"
    return f"({inv}, {row}{_rank_columns(rules)[rules[i].trust]}, {row}_rec, {row}record_id)"


def winners_sql(rules: list[FieldRule], ranked: str) -> str:
    """One grouped pass over ranked members (``ranked_sql``): per entity and field the winning value with its source
    record, the number of distinct candidates, and whether a valid value beat an invalid one."""
    cols = [
        "entity_id",
        "timezone('Asia/Shanghai', min(updated_at)) AS first_seen",
        "timezone('Asia/Shanghai', max(updated_at)) AS last_updated",
        "count(*)::INTEGER AS source_count",
    ]
    for i, r in enumerate(rules):
        src, inv = f'"{r.source}"', _invalid(rules, i)
        cols += [
            f"arg_min({_pick_sql(rules, i)}, {_order_sql(rules, i)}) FILTER (WHERE {src} IS NOT NULL) AS w{i}",
            f"count(DISTINCT {src})::INTEGER AS c{i}",
            f"(bool_or({inv} = 0 AND {src} IS NOT NULL) AND bool_or({inv} = 1 AND {src} IS NOT NULL)) AS d{i}"
            if r.valid
            else f"FALSE AS d{i}",
        ]
    return f"SELECT {', '.join(cols)} FROM {ranked} GROUP BY entity_id"


def ties_sql(rules: list[FieldRule], ranked: str, winners: str) -> str:
    """Second grouped pass: did another value share the winner's validity and trust rank (then recency decided)?"""
    ranks = _rank_columns(rules)
    cols = ["m.entity_id"]
    for i, r in enumerate(rules):
        src, inv = f'm."{r.source}"', f"m.{_invalid(rules, i)}" if r.valid else "0"
        cols.append(
            f"coalesce(bool_or(CAST({src} AS VARCHAR) <> w.w{i}.v AND m.{ranks[r.trust]} = w.w{i}.t "
            f"AND {inv} = w.w{i}.i), FALSE) AS tie{i}"
        )
    return f"SELECT {', '.join(cols)} FROM {ranked} m JOIN {winners} w USING (entity_id) GROUP BY m.entity_id"


def pair_winners_sql(rules: list[FieldRule], ranked: str) -> str:
    """What the grouped passes give (winners and ties), for entities of one or two records, without grouping.

    ``ranked`` holds only such entities, with ``_first`` marking each entity's first record. An entity is its
    first record (``l``) beside its second (``r``, NULL for a single record), and every field is a choice between
    two values: a projection, where the grouped passes cost a hash table of ~40 aggregate states per entity. Most
    entities have one or two records.
    """
    ranks = _rank_columns(rules)
    cols = [
        "l.entity_id",
        "timezone('Asia/Shanghai', least(l.updated_at, r.updated_at)) AS first_seen",
        "timezone('Asia/Shanghai', greatest(l.updated_at, r.updated_at)) AS last_updated",
        "(1 + (r.record_id IS NOT NULL)::INTEGER) AS source_count",
    ]
    for i, rule in enumerate(rules):
        ls, rs = f'l."{rule.source}"', f'r."{rule.source}"'
        both = f"({ls} IS NOT NULL AND {rs} IS NOT NULL)"
        li, ri = (f"l._inv{i}", f"r._inv{i}") if rule.valid else ("0", "0")
        rank = ranks[rule.trust]
        left_wins = f"({rs} IS NULL OR {_order_sql(rules, i, 'l.')} < {_order_sql(rules, i, 'r.')})"
        cols += [
            f"CASE WHEN {ls} IS NULL AND {rs} IS NULL THEN NULL WHEN {ls} IS NOT NULL AND {left_wins} "
            f"THEN {_pick_sql(rules, i, 'l.')} ELSE {_pick_sql(rules, i, 'r.')} END AS w{i}",
            f"(({ls} IS NOT NULL)::INTEGER + ({rs} IS NOT NULL)::INTEGER - coalesce({ls} = {rs}, FALSE)::INTEGER)"
            f" AS c{i}",
            f"coalesce({both} AND {li} <> {ri}, FALSE) AS d{i}" if rule.valid else f"FALSE AS d{i}",
            f"coalesce({both} AND CAST({ls} AS VARCHAR) <> CAST({rs} AS VARCHAR) AND l.{rank} = r.{rank} "
            f"AND {li} = {ri}, FALSE) AS tie{i}",
        ]
    return (
        f"SELECT {', '.join(cols)} FROM {ranked} l "
        f"LEFT JOIN {ranked} r ON r.entity_id = l.entity_id AND NOT r._first WHERE l._first"
    )


# Entities with more records than this are decided by the grouped passes, the others by ``pair_winners_sql``.
PAIR_PATH_MAX = 2


def golden(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    table: Table,
    members: str,
    rules: list[FieldRule],
    out: str,
    *,
    pair_path: bool = True,
    temporary: bool = False,
) -> None:
    """Write the entity table ``out`` (a qualified name, or a temp table's when ``temporary``: the model's columns,
    in order) and ``_win_<kind>`` (winners, candidates and ties per field), from which ``provenance_sql`` reads.

    ``members`` holds the staged columns plus entity_id, record_id, source_system, source_table, record_key,
    load_id and updated_at. Entities of one or two records are decided by ``pair_winners_sql`` (unless
    ``pair_path`` is off), the others by the grouped passes; both decide alike.
    """
    id_field = table.primary_key[0]
    most = PAIR_PATH_MAX if pair_path else 0
    grouped, paired = f"_gm_grouped_{kind}", f"_gm_paired_{kind}"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _gsize_{kind} AS
        SELECT entity_id, count(*) AS records, min(record_id) AS first_record FROM {members} GROUP BY entity_id
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {grouped} AS {ranked_sql(rules, members)}
        WHERE entity_id IN (SELECT entity_id FROM _gsize_{kind} WHERE records > {most})
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {paired} AS
        SELECT m.*, m.record_id = s.first_record AS _first
        FROM ({ranked_sql(rules, members)}) m JOIN _gsize_{kind} s USING (entity_id) WHERE s.records <= {most}
    """)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _gw_{kind} AS {winners_sql(rules, grouped)}")
    ties = "".join(f", t.tie{i}" for i in range(len(rules)))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _win_{kind} AS
        SELECT w.*{ties} FROM _gw_{kind} w JOIN ({ties_sql(rules, grouped, f"_gw_{kind}")}) t USING (entity_id)
        UNION ALL BY NAME {pair_winners_sql(rules, paired)}
    """)
    for temp in (f"_gw_{kind}", grouped, paired, f"_gsize_{kind}"):
        con.execute(f"DROP TABLE {temp}")
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
    create = "CREATE OR REPLACE TEMP TABLE" if temporary else "CREATE OR REPLACE TABLE"
    con.execute(f"{create} {out} AS SELECT {', '.join(cols)} FROM _win_{kind} ORDER BY entity_id")


def provenance_sql(kind: str, rules: list[FieldRule], run_id: str) -> str:
    """field_provenance rows (one per entity and non-NULL golden field) from ``_win_<kind>`` of ``golden``."""
    parts = []
    for i, r in enumerate(rules):
        parts.append(f"""
            SELECT '{kind}' AS entity_kind, w.entity_id, '{r.field}' AS field, w.w{i}.s AS source_system,
                   w.w{i}.tb AS source_table, w.w{i}.k AS record_key, w.w{i}.l AS load_id,
                   CASE WHEN w.d{i} THEN 'validity' WHEN w.tie{i} THEN 'recency' ELSE 'trust' END AS rule,
                   w.c{i} AS candidates, '{run_id}' AS run_id
            FROM _win_{kind} w WHERE w.w{i} IS NOT NULL
        """)
    if not parts:
        return (
            f"SELECT '{kind}' AS entity_kind, NULL::VARCHAR entity_id, NULL::VARCHAR field, NULL::VARCHAR "
            "source_system, NULL::VARCHAR source_table, NULL::VARCHAR record_key, NULL::VARCHAR load_id, "
            f"NULL::VARCHAR rule, 0 candidates, '{run_id}' run_id WHERE FALSE"
        )
    return " UNION ALL ".join(parts)
