"""Clustering of match edges: connected components in DuckDB, with a guard that splits clusters holding rival anchors.

Plain connected components chain unrelated records through one bad edge; the guard re-partitions any cluster that
holds two different anchors (two valid citizen IDs, two valid credit codes) around those anchors.
"""

from __future__ import annotations

import logging

import duckdb

log = logging.getLogger(__name__)

_MAX_ROUNDS = 200


def both_directions_sql(edges: str, rank: str = "[weight]") -> str:
    """Every edge once in each direction, as (src, dst, weight, rank); ``rank`` orders edges for the guard."""
    return (
        f"SELECT a AS src, b AS dst, weight, {rank} AS rank FROM {edges} "
        f"UNION ALL SELECT b, a, weight, {rank} FROM {edges}"
    )


def propagate_min_label_sql(labels: str, directed: str) -> str:
    """One round: each node takes the smallest label among itself and its neighbours, then jumps to its label's label."""
    return f"""
        WITH step AS (
            SELECT c.node, least(c.label, coalesce(min(n.label), c.label)) AS label
            FROM {labels} c
            LEFT JOIN {directed} e ON e.src = c.node
            LEFT JOIN {labels} n ON n.node = e.dst
            GROUP BY c.node, c.label
        )
        SELECT s.node, least(s.label, coalesce(j.label, s.label)) AS label
        FROM step s LEFT JOIN step j ON j.node = s.label
    """


def connected_components(con: duckdb.DuckDBPyConnection, nodes: str, edges: str, out: str) -> None:
    """Write ``out(node, label)``: label is the smallest node of the component. ``edges`` has (a, b, weight)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _cc_dir AS {both_directions_sql(edges)}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT node, node AS label FROM {nodes}")
    for round_no in range(1, _MAX_ROUNDS + 1):
        con.execute(f"CREATE OR REPLACE TEMP TABLE _cc_next AS {propagate_min_label_sql(out, '_cc_dir')}")
        changed = con.execute(
            f"SELECT count(*) FROM _cc_next x JOIN {out} o USING (node) WHERE x.label <> o.label"
        ).fetchone()
        con.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT * FROM _cc_next")
        if changed is None or changed[0] == 0:
            log.debug("connected components converged after %d rounds", round_no)
            break
    con.execute("DROP TABLE IF EXISTS _cc_next")
    con.execute("DROP TABLE IF EXISTS _cc_dir")


def rival_clusters_sql(labels: str, anchors: str) -> str:
    """Clusters holding more than one distinct anchor, with their anchors."""
    return f"""
        SELECT l.label, list(DISTINCT a.anchor ORDER BY a.anchor) AS anchors
        FROM {labels} l JOIN {anchors} a ON a.node = l.node
        GROUP BY l.label HAVING count(DISTINCT a.anchor) > 1
    """


def attach_step_sql(sub: str, directed: str) -> str:
    """One round: unassigned nodes of a split cluster join the assigned neighbour with the best-ranked edge."""
    return f"""
        WITH best AS (
            SELECT u.node, arg_max(n.sub, e.rank) AS sub
            FROM {sub} u
            JOIN {directed} e ON e.src = u.node
            JOIN {sub} n ON n.node = e.dst AND n.label = u.label AND n.sub IS NOT NULL
            WHERE u.sub IS NULL
            GROUP BY u.node
        )
        SELECT s.node, s.label, coalesce(s.sub, b.sub) AS sub FROM {sub} s LEFT JOIN best b USING (node)
    """


def split_rival_anchors(
    con: duckdb.DuckDBPyConnection, labels: str, anchors: str, edges: str, out: str, rank: str = "[weight]"
) -> int:
    """Write ``out(node, label)`` where clusters with rival anchors are split around them; return how many split.

    ``anchors(node, anchor)`` names the nodes that carry a trusted identifier. Within a split cluster, nodes sharing
    an anchor form one part; each other node joins, step by step, the part it has its best edge to, edges ordered by
    ``rank`` (a list expression over the edge columns, compared element by element). The split
    clusters are kept in ``_rival_clusters(label, anchors)`` for findings.
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE _rival_clusters AS {rival_clusters_sql(labels, anchors)}")
    count_row = con.execute("SELECT count(*) FROM _rival_clusters").fetchone()
    n_split = int(count_row[0]) if count_row else 0
    if n_split == 0:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {out} AS SELECT node, label FROM {labels}")
        return 0
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _split_sub AS
        SELECT l.node, l.label,
               CASE WHEN a.anchor IS NOT NULL THEN min(l.node) OVER (PARTITION BY l.label, a.anchor) END AS sub
        FROM {labels} l JOIN _rival_clusters r USING (label) LEFT JOIN {anchors} a ON a.node = l.node
    """)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _split_dir AS
        SELECT d.* FROM ({both_directions_sql(edges, rank)}) d
        WHERE d.src IN (SELECT node FROM _split_sub)
    """)
    for _ in range(_MAX_ROUNDS):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _split_next AS {attach_step_sql('_split_sub', '_split_dir')}"
        )
        row = con.execute("SELECT count(*) FROM _split_next WHERE sub IS NULL").fetchone()
        before = con.execute("SELECT count(*) FROM _split_sub WHERE sub IS NULL").fetchone()
        con.execute("CREATE OR REPLACE TEMP TABLE _split_sub AS SELECT * FROM _split_next")
        if row is None or before is None or row[0] in (0, before[0]):
            break
    # Nodes with no path to an anchor that avoids other anchors stay together, apart from every anchored part.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {out} AS
        SELECT l.node, coalesce(s.sub, s.label || '#unanchored', l.label) AS label
        FROM {labels} l LEFT JOIN _split_sub s USING (node)
    """)
    for t in ("_split_sub", "_split_dir", "_split_next"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    log.info("split %d clusters that held rival anchors", n_split)
    return n_split
