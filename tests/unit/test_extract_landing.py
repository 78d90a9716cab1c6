"""The landing zone's SQL: latest version per key, deletions removed, changes since a load; change detection."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from extractors.delta import Delta
from extractors.landing import changes_from_sql, current_from_sql

AT = datetime(2026, 1, 5, tzinfo=UTC)


def load(folder: Path, load_id: str, rows: list[tuple[str, str | None, str]], lines: bool = False) -> str:
    """Write one load's part file: (key, value, op) rows."""
    path = folder / load_id
    path.mkdir(parents=True)
    data: dict[str, list[object]] = {
        "k": [r[0] for r in rows], "v": [r[1] for r in rows], "_load_id": [load_id] * len(rows),
        "_op": [r[2] for r in rows], "_row_hash": [str(r[1]) for r in rows],
    }  # fmt: skip
    if lines:
        data["_line"] = list(range(2, len(rows) + 2))
    pq.write_table(pa.table(data), path / "part-00000.parquet")
    return str(path / "part-*.parquet")


def test_current_is_latest_per_key_without_deletions(tmp_path: Path) -> None:
    globs = [
        load(tmp_path, "L000000001", [("a", "1", "insert"), ("b", "1", "insert"), ("c", "1", "insert")]),
        load(tmp_path, "L000000002", [("a", "2", "update"), ("b", None, "delete")]),
        load(tmp_path, "L000000003", [("b", "3", "insert")]),
    ]
    got = duckdb.sql(
        f"SELECT k, v, _op FROM ({current_from_sql(globs, ('k',), False)}) ORDER BY k"
    ).fetchall()
    assert got == [("a", "2", "update"), ("b", "3", "insert"), ("c", "1", "insert")]
    since = changes_from_sql(globs[1:], ("k",), False, "L000000001")
    assert duckdb.sql(f"SELECT k, _op FROM ({since}) ORDER BY k").fetchall() == [
        ("a", "update"),
        ("b", "insert"),
    ]


def test_within_a_file_the_later_line_wins(tmp_path: Path) -> None:
    globs = [load(tmp_path, "L000000001", [("a", "1", "insert"), ("a", "2", "update")], lines=True)]
    assert duckdb.sql(f"SELECT v FROM ({current_from_sql(globs, ('k',), True)})").fetchall() == [("2",)]


def chunk(rows: list[tuple[str, str | None]], lines: bool = False) -> pa.Table:
    table = pa.table({"k": [r[0] for r in rows], "v": [r[1] for r in rows]})
    return table.append_column("_line", pa.array(range(2, len(rows) + 2))) if lines else table


def test_changed_rows_and_deletes_against_the_landed_key_set(tmp_path: Path) -> None:
    first = Delta(("k",), [], by_line=False)
    landed = first.changed(chunk([("a", "1"), ("b", "1"), ("c", None)]), ["k", "v"], "L000000001", AT)
    first.close()
    folder = tmp_path / "L000000001"
    folder.mkdir()
    pq.write_table(landed, folder / "part-00000.parquet")
    delta = Delta(("k",), [str(folder / "part-*.parquet")], by_line=False)
    incoming = chunk(
        [("a", "1"), ("b", "2"), ("c", ""), ("d", "1")]
    )  # a same, b changed, c NULL -> '', d new
    got = delta.changed(incoming, ["k", "v"], "L000000002", AT)
    assert sorted(zip(got["k"].to_pylist(), got["_op"].to_pylist(), strict=True)) == [
        ("b", "update"), ("c", "update"), ("d", "insert"),
    ]  # fmt: skip
    delta.observe(chunk([("a", "1"), ("d", "1")]))
    deleted = delta.deletions(["k", "v"], "L000000002", AT)
    assert sorted(deleted["k"].to_pylist()) == ["b", "c"] and set(deleted["_op"].to_pylist()) == {"delete"}
    assert deleted["v"].null_count == 2
    delta.close()


def test_repeated_key_in_one_file_keeps_each_real_change() -> None:
    delta = Delta(("k",), [], by_line=True)
    rows = chunk([("a", "1"), ("a", "1"), ("a", "2"), ("", "x")], lines=True)
    keyless = delta.keyless(rows)
    got = delta.changed(rows, ["k", "v"], "L1", AT, "_line", ("_line",))
    assert list(zip(got["_line"].to_pylist(), got["_op"].to_pylist(), strict=True)) == [
        (2, "insert"),
        (4, "update"),
    ]
    assert keyless["_line"].to_pylist() == [5]
    delta.close()


def test_a_moved_home_still_finds_its_landed_loads(tmp_path: Path) -> None:
    """Load folders are recorded relative to the home: a home restored elsewhere reads its own landing zone."""
    import shutil

    from extractors.landing import current_sql
    from extractors.state import Commit, StateDB, state_path

    home = tmp_path / "home"
    folder = home / "landing" / "grid" / "t"
    load(folder, "L000000001", [("a", "1", "insert")])
    state = StateDB(state_path(home))
    load_id = state.begin_load("grid", "t")
    state.commit_load("grid", "t", Commit(
        load_id=load_id, rows=1, deletes=0, quarantined=0, bytes=1, checksum="x", watermark=None, duration_s=0.0,
        schema=[("k", "VARCHAR"), ("v", "VARCHAR")], key=("k",), path=str(folder / "L000000001"), drift={},
    ))  # fmt: skip
    state.close()
    moved = tmp_path / "restored"
    shutil.move(home, moved)
    state = StateDB(state_path(moved))
    assert state.committed("grid", "t")[0]["path"] == str(moved.resolve() / "landing/grid/t/L000000001")
    state.close()
    assert duckdb.sql(f"SELECT k, v FROM ({current_sql(moved, 'grid', 't')})").fetchall() == [("a", "1")]
