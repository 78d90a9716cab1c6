"""Survivorship on hand-made members: who wins each golden field, with which rule and how many candidates.

Entities of one or two records are decided by a projection (``pair_winners_sql``), larger ones by grouped passes;
both must decide alike, which the randomized test checks against the grouped passes alone.
"""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pytest

from schemas.model import Field, Table
from transforms.resolve.survivorship import (
    WHEREABOUTS_TRUST,
    FieldRule,
    golden,
    provenance_sql,
)

TABLE = Table(
    name="thing_test",
    kind="entity",
    grain_zh="测试",
    grain_en="test",
    primary_key=("thing_id",),
    description_zh="测试",
    description_en="test",
    module="test",
    fields=(
        Field("thing_id", "VARCHAR", "标识", "id", required=True),
        Field("name", "VARCHAR", "名称", "name"),
        Field("phone", "VARCHAR", "电话", "phone"),
        Field("born", "DATE", "日期", "date"),
        Field("first_seen", "TIMESTAMPTZ", "首次", "first seen"),
        Field("last_updated", "TIMESTAMPTZ", "最近", "last updated"),
        Field("source_count", "INTEGER", "来源数", "sources"),
    ),
)
RULES = [
    FieldRule("name", "name"),  # police > civil > grid
    FieldRule("phone", "phone", WHEREABOUTS_TRUST),  # grid > civil > police
    FieldRule("born", "born", valid="born_precise"),
]
COLUMNS = (
    "entity_id VARCHAR, record_id VARCHAR, source_system VARCHAR, source_table VARCHAR, record_key VARCHAR, "
    "load_id VARCHAR, updated_at TIMESTAMP, name VARCHAR, phone VARCHAR, born DATE, born_precise BOOLEAN"
)
T0 = dt.datetime(2025, 1, 1)


def _members(rows: list[tuple[object, ...]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE members ({COLUMNS})")
    if rows:
        con.executemany(f"INSERT INTO members VALUES ({', '.join('?' * 11)})", rows)
    return con


def _row(
    entity: str, n: int, system: str, name: str | None, phone: str | None = None, *,
    days: int = 0, born: dt.date | None = None, precise: bool = True,
) -> tuple[object, ...]:  # fmt: skip
    updated = T0 + dt.timedelta(days=days)
    return (entity, f"{system}/t/{entity}-{n}", system, "t", f"{entity}-{n}", "L1", updated, name, phone, born,
            precise)  # fmt: skip


def _provenance(con: duckdb.DuckDBPyConnection, entity: str) -> dict[str, tuple[object, ...]]:
    con.execute(f"CREATE OR REPLACE TABLE fp AS {provenance_sql('thing', RULES, 'run1')}")
    rows = con.execute(
        "SELECT field, source_system, record_key, rule, candidates FROM fp WHERE entity_id = ?", [entity]
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


@pytest.mark.parametrize("pair_path", [True, False])
def test_trust_then_recency_then_validity_decide(pair_path: bool) -> None:
    rows = [
        # e1, two records: police wins the name, grid the phone.
        _row("e1", 1, "grid", "张伟", "13800000001", days=5),
        _row("e1", 2, "police", "张玮", "13800000002", days=1),
        # e2, three records: two police names, the more recent wins (recency); a precise date beats a newer imprecise.
        _row("e2", 1, "police", "李娜", days=1, born=dt.date(1980, 1, 1)),
        _row("e2", 2, "police", "李那", days=3, born=dt.date(1980, 6, 1), precise=False),
        _row("e2", 3, "grid", "李娜", "13900000000", days=9),
        # e3, one record.
        _row("e3", 1, "civil", "王芳", None, born=dt.date(1990, 2, 2)),
    ]
    con = _members(rows)
    golden(con, "thing", TABLE, "members", RULES, "thing_test", pair_path=pair_path)
    got = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT thing_id, name, phone, born, source_count, epoch(last_updated) - epoch(first_seen) "
            "FROM thing_test"
        ).fetchall()
    }
    assert got["e1"] == ("张玮", "13800000001", None, 2, 4 * 86400)
    assert got["e2"] == ("李那", "13900000000", dt.date(1980, 1, 1), 3, 8 * 86400)
    assert got["e3"] == ("王芳", None, dt.date(1990, 2, 2), 1, 0)
    e1, e2, e3 = (_provenance(con, e) for e in ("e1", "e2", "e3"))
    assert e1["name"] == ("police", "e1-2", "trust", 2)
    assert e1["phone"] == ("grid", "e1-1", "trust", 2)
    assert e2["name"] == ("police", "e2-2", "recency", 2)
    assert e2["born"] == ("police", "e2-1", "validity", 2)
    assert e3 == {"name": ("civil", "e3-1", "trust", 1), "born": ("civil", "e3-1", "trust", 1)}


@pytest.mark.parametrize("pair_path", [True, False])
def test_equal_values_are_one_candidate_and_no_tie(pair_path: bool) -> None:
    con = _members([_row("e", 1, "grid", "张伟", days=1), _row("e", 2, "grid", "张伟", days=2)])
    golden(con, "thing", TABLE, "members", RULES, "thing_test", pair_path=pair_path)
    assert _provenance(con, "e")["name"] == ("grid", "e-2", "trust", 1)


def test_no_members_give_an_empty_table() -> None:
    con = _members([])
    golden(con, "thing", TABLE, "members", RULES, "thing_test")
    assert con.execute("SELECT count(*) FROM thing_test").fetchone() == (0,)
    assert [c[0] for c in con.execute("DESCRIBE thing_test").fetchall()] == [f.name for f in TABLE.fields]


def test_the_pair_path_decides_as_the_grouped_passes() -> None:
    """Random entities of one to four records, with full ties in trust and time: the same winners, candidates,
    validity and ties either way (the smaller record_id wins a full tie on both paths)."""
    rnd = random.Random(7)
    rows = []
    for e in range(400):
        for n in range(rnd.choice([1, 1, 2, 2, 2, 3, 4])):
            system = rnd.choice(["grid", "civil", "police"])
            name, phone = rnd.choice(["张伟", "张玮", None]), rnd.choice(["1", "2", None])
            born = rnd.choice([dt.date(1980, 1, 1), dt.date(1981, 1, 1), None])
            days, precise = rnd.choice([0, 0, 1]), rnd.random() < 0.7
            rows.append(_row(f"e{e:03d}", n, system, name, phone, days=days, born=born, precise=precise))
    con = _members(rows)
    golden(con, "thing", TABLE, "members", RULES, "paired")
    con.execute("CREATE TABLE win_paired AS SELECT * FROM _win_thing")
    golden(con, "thing", TABLE, "members", RULES, "grouped", pair_path=False)
    assert con.execute("SELECT count(*) FROM paired").fetchone() == (len({r[0] for r in rows}),)
    diff = con.execute(
        "SELECT count(*) FROM (SELECT * FROM win_paired EXCEPT SELECT * FROM _win_thing)"
    ).fetchone()
    assert diff == (0,)
    assert con.execute(
        "SELECT count(*) FROM (SELECT * FROM paired EXCEPT SELECT * FROM grouped)"
    ).fetchone() == (0,)
