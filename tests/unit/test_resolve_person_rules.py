"""The person guards and name predicates, evaluated by DuckDB on hand-made pairs."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from transforms.resolve.person_features import (
    char_overlap_sql,
    chars_differing_sql,
    hard_negative_sql,
    id_birth_conflict_sql,
    same_person_guard_sql,
)
from transforms.resolve.synthetic import check_char, citizen_id

BIRTH = dt.date(1985, 3, 5)


def _pair(
    con: duckdb.DuckDBPyConnection, sql: str, left: dict[str, object], right: dict[str, object]
) -> object:
    cols = ("name", "name_pinyin", "birth_date", "usable_id")
    con.execute(
        "CREATE OR REPLACE TABLE l (name VARCHAR, name_pinyin VARCHAR, birth_date DATE, usable_id VARCHAR)"
    )
    con.execute("CREATE OR REPLACE TABLE r AS SELECT * FROM l WHERE FALSE")
    con.execute("INSERT INTO l VALUES (?, ?, ?, ?)", [left.get(c) for c in cols])
    con.execute("INSERT INTO r VALUES (?, ?, ?, ?)", [right.get(c) for c in cols])
    row = con.execute(f"SELECT {sql} FROM l, r").fetchone()
    return row[0] if row else None


def test_citizen_id_check_character_follows_gb11643() -> None:
    assert check_char("42900419850305123") == "9"
    assert check_char("11010519491231002") == "X"
    assert citizen_id("429004", BIRTH, 123) == "429004198503051239"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("张伟", "张玮", 1),
        ("张伟", "章伟", 1),
        ("张伟", "张伟", 0),
        ("张伟", "张伟华", None),
        ("欧阳明月", "欧阳明日", 1),
    ],
)
def test_characters_are_compared_as_characters_not_bytes(a: str, b: str, expected: int | None) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT ? AS a, ? AS b", [a, b])
    assert con.execute(f"SELECT {chars_differing_sql('a', 'b')} FROM t").fetchone() == (expected,)


def test_character_overlap_of_chinese_names() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT ? AS a, ? AS b, ? AS c", ["张伟", "张玮", "李娜"])
    overlap, none = char_overlap_sql("a", "b"), char_overlap_sql("a", "c")
    assert con.execute(f"SELECT {overlap}, {none} FROM t").fetchone() == (pytest.approx(1 / 3), 0.0)


def test_shared_id_links_when_name_or_birth_agrees_only() -> None:
    con = duckdb.connect()
    guard = same_person_guard_sql()
    same_typo = {"name": "章伟", "name_pinyin": "zhang wei", "birth_date": BIRTH}
    assert (
        _pair(con, guard, {"name": "张伟", "name_pinyin": "zhang wei", "birth_date": BIRTH}, same_typo)
        is True
    )
    swapped = {"name": "王芳", "name_pinyin": "wang fang", "birth_date": dt.date(1985, 5, 3)}
    assert _pair(con, guard, {"name": "李娜", "name_pinyin": "li na", "birth_date": BIRTH}, swapped) is True
    stranger = {"name": "王芳", "name_pinyin": "wang fang", "birth_date": dt.date(1990, 1, 1)}
    assert (
        _pair(con, guard, {"name": "张伟", "name_pinyin": "zhang wei", "birth_date": BIRTH}, stranger)
        is False
    )
    # Two-character names sharing only the surname do not count as the same name.
    brother = {"name": "张强", "name_pinyin": "zhang qiang", "birth_date": dt.date(1990, 1, 1)}
    assert (
        _pair(con, guard, {"name": "张伟", "name_pinyin": "zhang wei", "birth_date": BIRTH}, brother) is False
    )


def test_twins_and_one_id_on_two_people_are_hard_negatives() -> None:
    con = duckdb.connect()
    twin_a = {
        "name": "张子一",
        "name_pinyin": "zhang zi yi",
        "birth_date": BIRTH,
        "usable_id": citizen_id("429004", BIRTH, 123),
    }
    twin_b = {**twin_a, "name": "张子二", "usable_id": citizen_id("429004", BIRTH, 125)}
    assert _pair(con, hard_negative_sql(), twin_a, twin_b) is True
    other = {
        "name": "王芳",
        "name_pinyin": "wang fang",
        "birth_date": dt.date(1970, 1, 1),
        "usable_id": twin_a["usable_id"],
    }
    assert _pair(con, hard_negative_sql(), twin_a, other) is True
    no_id = {**twin_a, "usable_id": None}
    assert _pair(con, hard_negative_sql(), twin_a, no_id) is False


def test_id_contradicting_the_record_birth_date_is_flagged() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t (citizen_id VARCHAR, birth_date DATE, birth_date_precision VARCHAR)")
    cid = citizen_id("429004", BIRTH, 123)
    con.executemany(
        "INSERT INTO t VALUES (?, ?, ?)",
        [
            [cid, BIRTH, "day"],
            [cid, dt.date(1985, 5, 3), "day"],
            [cid, dt.date(1990, 1, 1), "day"],
            [cid, None, None],
        ],
    )
    flags = [r[0] for r in con.execute(f"SELECT {id_birth_conflict_sql()} FROM t").fetchall()]
    assert flags == [False, False, True, False]
