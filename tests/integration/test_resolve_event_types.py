"""The event rule's type guard: reports merge only when their types may describe one happening."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa

from transforms.resolve.event_types import compatible_pairs, type_compatible_sql
from transforms.resolve.keyed import resolve_kind
from transforms.resolve.kinds import EVENT
from transforms.resolve.state import ResolveState

T0 = dt.datetime(2026, 3, 1, 9, 0)


def _event(system: str, key: str, truth: str, type_: str | None, hours: float, place: str, names: list[str]):
    return {
        "source_system": system,
        "source_table": "SJ_MDJF" if system == "grid" else "JQ",
        "record_key": key,
        "updated_at": T0,
        "truth": truth,
        "occurred_at": T0 + dt.timedelta(hours=hours),
        "type": type_,
        "address_key": place,
        "grid_code": "g1",
        "party_names": names,
        "status": "01",
    }


EVENTS = [
    # The known false merge: a land-contract and a marriage dispute, same parties and place, a day apart.
    _event("grid", "g1", "LAND", "0104", 0, "a1", ["张伟", "李娜"]),
    _event("grid", "g2", "MARRIAGE", "0101", 24, "a1", ["张伟", "李娜"]),
    # A neighbour dispute the police filed as a public-order incident three hours later: one event.
    _event("grid", "g3", "NEIGHBOUR", "0102", 0, "a2", ["王芳", "刘洋"]),
    _event("police", "q3", "NEIGHBOUR", "0302", 3, "a2", ["刘洋"]),
    # A fire alarm at the same place and time with the same caller is not that neighbour dispute.
    _event("police", "q4", "FIRE", "0305", 1, "a2", ["刘洋"]),
    # A report whose type could not be read never rules a merge out.
    _event("grid", "g5", "THEFT", None, 0, "a3", ["陈静"]),
    _event("police", "q5", "THEFT", "0301", 2, "a3", ["陈静"]),
]


def _partition(con: duckdb.DuckDBPyConnection) -> set[frozenset[str]]:
    rows = con.execute("""
        SELECT list(s.truth) FROM _members_event m JOIN stg_event s USING (source_system, source_table, record_key)
        GROUP BY m.entity_id
    """).fetchall()
    return {frozenset(r[0]) if len(set(r[0])) == 1 else frozenset(["MIXED", *r[0]]) for r in rows}


def test_incompatible_types_stay_apart_and_cross_reports_merge(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.register("events_arrow", pa.Table.from_pylist(EVENTS))
    con.execute("CREATE TABLE stg_event AS SELECT * FROM events_arrow")
    state = ResolveState(tmp_path)
    state.attach(con, tmp_path / "resolved.duckdb")
    assert resolve_kind(con, EVENT, "stg_event", state, "run-1") == 5
    assert _partition(con) == {
        frozenset(["LAND"]),
        frozenset(["MARRIAGE"]),
        frozenset(["NEIGHBOUR"]),
        frozenset(["FIRE"]),
        frozenset(["THEFT"]),
    }


def test_compatibility_is_symmetric_and_never_pairs_two_grid_types() -> None:
    con = duckdb.connect()

    def ok(a: str | None, b: str | None) -> bool:
        sql = f"SELECT {type_compatible_sql('l', 'r')} FROM (SELECT $a::VARCHAR AS l, $b::VARCHAR AS r)"
        row = con.execute(sql, {"a": a, "b": b}).fetchone()
        return bool(row and row[0])

    assert ok("0302", "0107") and ok("0107", "0302")
    assert not ok("0104", "0101") and not ok("0303", "0101")
    assert ok("0199", "0199") and ok(None, "0101")
    assert all(not (a.startswith(("01", "02", "04")) and b.startswith(("01", "02", "04")))
               for a, b in (p.split("|") for p in compatible_pairs()))  # fmt: skip
