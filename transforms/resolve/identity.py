"""Stable entity ids: clusters inherit the ids of the previous run, new ones derive theirs from their members.

Re-running on the same data yields the same ids. When clusters merge, the id held by most members survives and the
others are recorded as merged into it; when one splits, the part holding most members keeps the id and the others
get new ids, recorded as splits. The map record_id -> entity_id is the state kept between runs.
"""

from __future__ import annotations

import duckdb


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


ID_PREFIX: dict[str, str] = {"person": "P", "organization": "O", "place": "L", "thing": "T", "event": "E"}


def new_id_sql(prefix: str, seed: str) -> str:
    """A deterministic id from a seed expression (the smallest member record of a cluster)."""
    return f"'{prefix}' || upper(substr(md5({seed}), 1, 15))"


def overlap_sql(clusters: str, previous: str) -> str:
    """How many members each new cluster shares with each previous entity."""
    return f"""
        SELECT c.label, p.entity_id AS old_id, count(*) AS shared
        FROM {clusters} c JOIN {previous} p ON p.record_id = c.node
        GROUP BY c.label, p.entity_id
    """


def inherited_sql(overlap: str) -> str:
    """Which old id each cluster keeps: every old id goes to the cluster holding most of its members (its heir);
    a cluster that is heir to several old ids keeps the one it shares most members with."""
    return f"""
        WITH heir AS (
            SELECT old_id, label, shared FROM (
                SELECT *, row_number() OVER (PARTITION BY old_id ORDER BY shared DESC, label) AS rn FROM {overlap}
            ) WHERE rn = 1
        )
        SELECT label, old_id AS entity_id FROM (
            SELECT *, row_number() OVER (PARTITION BY label ORDER BY shared DESC, old_id) AS rn FROM heir
        ) WHERE rn = 1
    """


def assign_ids(
    con: duckdb.DuckDBPyConnection, kind: str, clusters: str, previous: str | None, out: str
) -> None:
    """Write ``out(record_id, entity_id)`` for ``clusters(node, label)``, inheriting from ``previous``."""
    prefix = ID_PREFIX[kind]
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _id_seed AS
        SELECT label, min(node) AS seed FROM {clusters} GROUP BY label
    """)
    if previous is None:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _id_kept AS "
            "SELECT NULL::VARCHAR AS label, NULL::VARCHAR AS entity_id WHERE FALSE"
        )
        taken = "SELECT NULL::VARCHAR AS entity_id WHERE FALSE"
    else:
        con.execute(f"CREATE OR REPLACE TEMP TABLE _id_overlap AS {overlap_sql(clusters, previous)}")
        con.execute(f"CREATE OR REPLACE TEMP TABLE _id_kept AS {inherited_sql('_id_overlap')}")
        taken = f"SELECT DISTINCT entity_id FROM {previous}"
    # A fresh id must not collide with an id the previous run used (its old holder may have been split off).
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _id_label AS
        SELECT s.label,
               coalesce(k.entity_id,
                        CASE WHEN {new_id_sql(prefix, "s.seed")} IN ({taken})
                             THEN {new_id_sql(prefix, "s.seed || '#' || s.label")}
                             ELSE {new_id_sql(prefix, "s.seed")} END) AS entity_id
        FROM _id_seed s LEFT JOIN _id_kept k USING (label)
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out} AS
        SELECT c.node AS record_id, l.entity_id FROM {clusters} c JOIN _id_label l USING (label)
    """)


def id_history_sql(kind: str, previous: str, current: str, run_id: str) -> str:
    """entity_id_history rows: every old id whose members now sit under another id (merge or split)."""
    return f"""
        WITH moves AS (
            SELECT p.entity_id AS old_id, c.entity_id AS new_id
            FROM {previous} p JOIN {current} c USING (record_id)
            GROUP BY ALL
        ),
        spread AS (SELECT old_id, count(*) AS parts FROM moves GROUP BY old_id)
        SELECT '{kind}' AS entity_kind, m.old_id, m.new_id,
               CASE WHEN s.parts > 1 THEN 'split' ELSE 'merge' END AS change,
               {_literal(run_id)} AS run_id, now() AS changed_at
        FROM moves m JOIN spread s USING (old_id)
        WHERE m.old_id <> m.new_id
    """
