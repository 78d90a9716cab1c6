"""Stable ids: same data same ids; merges and splits keep the majority's id and are recorded."""

from __future__ import annotations

import duckdb

from transforms.resolve.identity import assign_ids, id_history_sql


def _clusters(con: duckdb.DuckDBPyConnection, name: str, groups: list[list[str]]) -> None:
    rows = [(node, f"g{i}") for i, g in enumerate(groups) for node in g]
    con.execute(f"CREATE OR REPLACE TABLE {name} (node VARCHAR, label VARCHAR)")
    con.executemany(f"INSERT INTO {name} VALUES (?, ?)", [list(r) for r in rows])


def _ids(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    return dict(con.execute(f"SELECT record_id, entity_id FROM {table}").fetchall())


def test_ids_derive_from_members_so_a_rerun_gives_the_same_ids() -> None:
    con = duckdb.connect()
    _clusters(con, "c1", [["r1", "r2"], ["r3"]])
    assign_ids(con, "person", "c1", None, "ids1")
    _clusters(con, "c2", [["r3"], ["r2", "r1"]])  # other labels, same members
    assign_ids(con, "person", "c2", None, "ids2")
    first, second = _ids(con, "ids1"), _ids(con, "ids2")
    assert first == second
    assert first["r1"] == first["r2"] != first["r3"]
    assert all(v.startswith("P") and len(v) == 16 for v in first.values())


def test_merge_keeps_the_id_of_the_larger_part_and_records_the_other() -> None:
    con = duckdb.connect()
    _clusters(con, "c1", [["r1", "r2", "r3"], ["r4"]])
    assign_ids(con, "person", "c1", None, "prev")
    old = _ids(con, "prev")
    _clusters(con, "c2", [["r1", "r2", "r3", "r4"]])
    assign_ids(con, "person", "c2", "prev", "cur")
    new = _ids(con, "cur")
    assert set(new.values()) == {old["r1"]}
    history = con.execute(
        f"SELECT entity_kind, old_id, new_id, change FROM ({id_history_sql('person', 'prev', 'cur', 'run2')})"
    ).fetchall()
    assert [(h[1], h[2], h[3]) for h in history] == [(old["r4"], old["r1"], "merge")]


def test_split_keeps_the_id_on_the_larger_part_and_gives_the_rest_a_new_one() -> None:
    con = duckdb.connect()
    _clusters(con, "c1", [["r1", "r2", "r3"]])
    assign_ids(con, "person", "c1", None, "prev")
    old = _ids(con, "prev")["r1"]
    _clusters(con, "c2", [["r1"], ["r2", "r3"], ["r9"]])
    assign_ids(con, "person", "c2", "prev", "cur")
    new = _ids(con, "cur")
    assert new["r2"] == new["r3"] == old
    assert new["r1"] != old and new["r9"] not in (old, new["r1"])
    history = con.execute(
        f"SELECT entity_kind, old_id, new_id, change FROM ({id_history_sql('person', 'prev', 'cur', 'run2')})"
    ).fetchall()
    assert [(h[1], h[2], h[3]) for h in history] == [(old, new["r1"], "split")]
