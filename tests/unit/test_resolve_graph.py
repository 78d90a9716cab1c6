"""Connected components and the rival-anchor guard, on tiny graphs in DuckDB."""

from __future__ import annotations

import duckdb

from transforms.resolve.graph import connected_components, split_rival_anchors


def _graph(con: duckdb.DuckDBPyConnection, nodes: list[str], edges: list[tuple[str, str, float]]) -> None:
    con.execute("CREATE TABLE nodes (node VARCHAR)")
    con.executemany("INSERT INTO nodes VALUES (?)", [[n] for n in nodes])
    con.execute("CREATE TABLE edges (a VARCHAR, b VARCHAR, weight DOUBLE)")
    if edges:
        con.executemany("INSERT INTO edges VALUES (?, ?, ?)", [list(e) for e in edges])


def _groups(con: duckdb.DuckDBPyConnection, table: str) -> set[frozenset[str]]:
    rows = con.execute(f"SELECT list(node) FROM {table} GROUP BY label").fetchall()
    return {frozenset(r[0]) for r in rows}


def test_components_follow_long_chains_and_keep_islands_apart() -> None:
    con = duckdb.connect()
    chain = [f"n{i:02d}" for i in range(12)]
    _graph(con, [*chain, "x", "y"], [(chain[i], chain[i + 1], 1.0) for i in range(11)])
    connected_components(con, "nodes", "edges", "cc")
    assert _groups(con, "cc") == {frozenset(chain), frozenset({"x"}), frozenset({"y"})}
    assert con.execute("SELECT DISTINCT label FROM cc WHERE node = 'n11'").fetchone() == ("n00",)


def test_cluster_with_two_anchors_splits_and_middle_record_joins_its_strongest_edge() -> None:
    # a1 ~ m ~ b1 chained by one record without ID: m is much closer to a1 than to b1.
    con = duckdb.connect()
    _graph(con, ["a1", "a2", "m", "b1"], [("a1", "a2", 30.0), ("a1", "m", 12.0), ("m", "b1", 4.0)])
    connected_components(con, "nodes", "edges", "cc")
    con.execute(
        "CREATE TABLE anchors AS SELECT * FROM (VALUES ('a1', 'ID-A'), ('a2', 'ID-A'), ('b1', 'ID-B')) t(node, anchor)"
    )
    n = split_rival_anchors(con, "cc", "anchors", "edges", "out")
    assert n == 1
    assert _groups(con, "out") == {frozenset({"a1", "a2", "m"}), frozenset({"b1"})}


def test_cluster_with_one_anchor_is_left_alone() -> None:
    con = duckdb.connect()
    _graph(con, ["a", "b"], [("a", "b", 5.0)])
    connected_components(con, "nodes", "edges", "cc")
    con.execute("CREATE TABLE anchors AS SELECT 'a' AS node, 'ID' AS anchor")
    assert split_rival_anchors(con, "cc", "anchors", "edges", "out") == 0
    assert _groups(con, "out") == {frozenset({"a", "b"})}
