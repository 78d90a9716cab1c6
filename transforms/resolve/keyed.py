"""Rule-based resolution for organizations, places, things and events: shared keys and guarded pair rules.

These kinds carry identifiers that settle most matches (credit codes, address nodes, plates, device codes), so they
are resolved by declared rules in SQL rather than a trained model; a key shared by a whole group links each member
to the group's first record, which keeps the edge count linear.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import duckdb

from schemas.model import Table
from transforms.resolve.findings import (
    ConflictCheck,
    conflict_sql,
    create_findings,
    shared_id_sql,
    split_findings_sql,
)
from transforms.resolve.graph import connected_components, split_rival_anchors
from transforms.resolve.identity import assign_ids, id_history_sql
from transforms.resolve.inputs import CONTRACTS, check_staged, conformed_sql, staged_columns
from transforms.resolve.lineage import entity_source_sql
from transforms.resolve.state import DB, ResolveState, table_exists, write_entities
from transforms.resolve.survivorship import FieldRule, golden, provenance_sql, rules_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeyRule:
    """Records with the same non-NULL key are the same entity."""

    name: str
    key: str
    weight: float = 20.0


@dataclass(frozen=True)
class PairRule:
    """Records l and r are the same entity when ``join`` (an equi-join condition) and ``condition`` hold."""

    name: str
    join: str
    condition: str
    weight: float = 10.0


@dataclass(frozen=True)
class KindSpec:
    """Everything that makes one kind's resolution different from another's."""

    kind: str
    table: Table
    derived: str = ""
    keys: tuple[KeyRule, ...] = ()
    pairs: tuple[PairRule, ...] = ()
    anchor: str | None = None
    trust: tuple[str, ...] = ("police", "civil", "grid")
    overrides: dict[str, FieldRule] = field(default_factory=dict)
    conflicts: tuple[ConflictCheck, ...] = ()
    # SQL run on the entity table ({table}) once built: fields derived from the whole cluster.
    after_golden: str = ""


def key_edges_sql(features: str, rule: KeyRule) -> str:
    return f"""
        SELECT a, record_id AS b, '{rule.name}' AS rule, {rule.weight} AS weight FROM (
            SELECT record_id, min(record_id) OVER (PARTITION BY {rule.key}) AS a FROM {features}
            WHERE {rule.key} IS NOT NULL
        ) WHERE a <> record_id
    """


def pair_edges_sql(features: str, rule: PairRule, anchor: str | None) -> str:
    # Two different anchors (valid credit codes) are two entities whatever else agrees.
    rival = f"AND NOT coalesce(l.{anchor} <> r.{anchor}, FALSE)" if anchor else ""
    return f"""
        SELECT l.record_id AS a, r.record_id AS b, '{rule.name}' AS rule, {rule.weight} AS weight
        FROM {features} l JOIN {features} r ON {rule.join} AND l.record_id < r.record_id
        WHERE {rule.condition} {rival}
    """


def _edges(con: duckdb.DuckDBPyConnection, spec: KindSpec, features: str) -> str:
    parts = [key_edges_sql(features, k) for k in spec.keys] + [
        pair_edges_sql(features, p, spec.anchor) for p in spec.pairs
    ]
    edges = f"rk_{spec.kind}_edges"
    body = (
        " UNION ALL ".join(parts)
        if parts
        else "SELECT NULL a, NULL b, NULL rule, NULL::DOUBLE weight WHERE FALSE"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {edges} AS {body}")
    return edges


def resolve_kind(
    con: duckdb.DuckDBPyConnection, spec: KindSpec, staged: str, state: ResolveState, run_id: str
) -> int:
    """Resolve one kind; leaves the entity table and _src/_fp/_find_<kind> rows; returns the entity count."""
    kind = spec.kind
    check_staged(con, kind, staged)
    conformed = conformed_sql(CONTRACTS[kind], staged_columns(con, staged), staged)
    features = f"rk_{kind}"
    derived = f", {spec.derived}" if spec.derived else ""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {features} AS "
        f"SELECT *{derived}, hash(_rec) AS fingerprint FROM ({conformed}) _rec"
    )
    edges = _edges(con, spec, features)
    con.execute(f"CREATE OR REPLACE TEMP TABLE _rk_nodes AS SELECT record_id AS node FROM {features}")
    connected_components(con, "_rk_nodes", edges, "_rk_cc")
    anchor_sql = (
        f"SELECT record_id AS node, {spec.anchor} AS anchor FROM {features} WHERE {spec.anchor} IS NOT NULL"
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _rk_anchor AS {anchor_sql if spec.anchor else 'SELECT NULL node, NULL anchor WHERE FALSE'}"
    )
    split_rival_anchors(con, "_rk_cc", "_rk_anchor", edges, "_rk_clusters")
    has_prev = state.load(con, f"{kind}_ids", f"_prev_ids_{kind}")
    ids = f"rk_{kind}_ids"
    assign_ids(con, kind, "_rk_clusters", f"_prev_ids_{kind}" if has_prev else None, ids)
    if has_prev:
        history = id_history_sql(kind, f"_prev_ids_{kind}", ids, run_id)
        con.execute(f"CREATE OR REPLACE TEMP TABLE _hist_{kind} AS {history}")
    state.save(con, ids, f"{kind}_ids")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _members_{kind} AS
        SELECT f.*, i.entity_id FROM {features} f JOIN {ids} i USING (record_id)
    """)
    touched = _touched(con, kind)
    _outputs(con, spec, state, edges, ids, run_id, touched)
    row = con.execute(f"SELECT count(DISTINCT entity_id) FROM {ids}").fetchone()
    n = int(row[0]) if row else 0
    log.info("resolved %s records into %d entities", kind, n)
    return n


def _touched(con: duckdb.DuckDBPyConnection, kind: str) -> bool:
    """``touched_<kind>``: the entities whose records changed (in number, content or entity) since the last run,
    by their old and new ids; every other entity's golden record and lineage would come out the same. False (and no
    table) when the last run left no members to compare with: everything is written afresh."""
    if not table_exists(con, f"{kind}_members") or "fingerprint" not in {
        r[0] for r in con.execute(f"DESCRIBE {DB}.{kind}_members").fetchall()
    }:
        con.execute(f"DROP TABLE IF EXISTS touched_{kind}")
        return False
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE touched_{kind} AS
        WITH moved AS (
            SELECT n.entity_id AS new_id, o.entity_id AS old_id
            FROM (SELECT record_id, entity_id, fingerprint FROM _members_{kind}) n
            FULL OUTER JOIN (SELECT record_id, entity_id, fingerprint FROM {DB}.{kind}_members) o USING (record_id)
            WHERE n.entity_id IS DISTINCT FROM o.entity_id OR n.fingerprint IS DISTINCT FROM o.fingerprint
        )
        SELECT new_id AS entity_id FROM moved WHERE new_id IS NOT NULL
        UNION SELECT old_id FROM moved WHERE old_id IS NOT NULL
    """)
    return True


def _outputs(
    con: duckdb.DuckDBPyConnection, spec: KindSpec, state: ResolveState, edges: str, ids: str, run_id: str,
    incremental: bool,
) -> None:  # fmt: skip
    """Golden records, members, lineage and findings of one kind: of the touched entities only when
    ``incremental`` (the rest stay as the last run wrote them), else of all."""
    kind = spec.kind
    members = f"_members_{kind}"
    present = {r[0] for r in con.execute(f"DESCRIBE {members}").fetchall()}
    defaults = {f.name: FieldRule(f.name, f.name, spec.trust) for f in spec.table.fields}
    rules = rules_for(spec.table, spec.table.primary_key[0], {**defaults, **spec.overrides}, present)
    written, touched = members, None
    if incremental:
        written, touched = f"_members_touched_{kind}", f"touched_{kind}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {written} AS "
            f"SELECT * FROM {members} WHERE entity_id IN (SELECT entity_id FROM {touched})"
        )
    golden(con, kind, spec.table, written, rules, f"_{kind}_out", temporary=True)
    if spec.after_golden:
        con.execute(spec.after_golden.format(table=f"_{kind}_out"))
    write_entities(con, kind, f"_{kind}_out", spec.table.primary_key[0], touched)
    write_entities(con, f"{kind}_members", written, "entity_id", touched)
    state.save(con, edges, f"{kind}_edges")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _src_{kind} AS {entity_source_sql(kind, written, edges, run_id)}"
    )
    con.execute(f"CREATE OR REPLACE TEMP VIEW _fp_{kind} AS {provenance_sql(kind, rules, run_id)}")
    parts = [conflict_sql(kind, members, c, run_id) for c in spec.conflicts if c.source in present]
    if spec.anchor:
        field = spec.anchor.removeprefix("valid_")  # the anchor column is the checked form of an entity field
        parts.append(shared_id_sql(kind, members, spec.anchor, field, run_id))
        parts.append(split_findings_sql(kind, "_rival_clusters", "_rk_cc", ids, run_id, field, "none"))
    empty = (
        f"SELECT '{run_id}' run_id, '{kind}' entity_kind, NULL::VARCHAR entity_id, NULL::VARCHAR field, "
        "NULL::VARCHAR kind, NULL::VARCHAR[] systems, NULL::VARCHAR[] values_masked, now() detected_at WHERE FALSE"
    )
    create_findings(con, f"_find_{kind}", parts or [empty])
