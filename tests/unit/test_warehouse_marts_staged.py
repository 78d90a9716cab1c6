"""The dispute and grid-population marts fed by what staging and linking actually produce, not hand-made rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb

import schemas
from extractors.registry import registry
from transforms.addresses import address_sql
from transforms.staging import kinds, table_sql
from transforms.staging.plan import TablePlan, plans
from transforms.staging.relations import person_residence_sql, relation_select_sql
from transforms.standardize import prepare, standardize_sql
from warehouse import marts
from warehouse.synthetic import rows

AS_OF = dt.date(2026, 1, 5)


def _plan(source: str, table: str, target: str, variant: int = 0) -> TablePlan:
    return next(
        p
        for p in plans([registry()[source]])
        if p.table == table and p.target == target and p.variant == variant
    )


def _landed(plan: TablePlan, given: dict[str, list[str | None]]) -> str:
    """Landed rows of ``plan``'s table: the given columns, every other column it reads NULL, load metadata."""
    read = {*plan.key, *plan.mapping.fields.values(), *(c for m in plan.related for c in m.fields.values())}
    read |= {plan.cursor} if plan.cursor else set()
    n = len(next(iter(given.values())))
    cols = {c: given.get(c, [None] * n) for c in sorted(read | set(given))}
    values = ", ".join(
        "(" + ", ".join("NULL" if v[i] is None else f"'{v[i]}'" for v in cols.values()) + ")"
        for i in range(n)
    )
    names = ", ".join(f'"{c}"' for c in cols)
    return (
        "SELECT *, 'L1' AS _load_id, TIMESTAMPTZ '2026-01-05 01:00:00+00' AS _extracted_at, 1 AS _line "
        f"FROM (VALUES {values}) AS t({names})"
    )


def _standardize(con: duckdb.DuckDBPyConnection, plan: TablePlan, given: dict[str, list[str | None]]) -> str:
    name = f"std_{plan.name}"
    prepare(con, table_sql.layered(plan, AS_OF).values())
    con.execute(f"CREATE TABLE {name} AS {table_sql.standardized_sql(plan, _landed(plan, given), AS_OF)}")
    return name


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description or ()]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _mart(builder: Any, **tables: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    con = duckdb.connect()
    for name, records in tables.items():
        con.register(f"t_{name}", rows(schemas.get(name), records))
    return con.sql(builder(lambda name: f"t_{name}")).fetch_arrow_table().to_pylist()


def test_disputes_staged_from_the_grid_and_the_police_fill_the_dispute_mart() -> None:
    con = duckdb.connect()
    grid = _plan("grid", "SJ_MDJF", "event")
    police = _plan("police", "JQ", "event")
    addr = "仙桃市沙嘴街道新华社区光明路12号"
    std = [
        _standardize(con, grid, {
            "SJBH": ["S1", "S2", "S3"], "SJLB": ["邻里纠纷", "0105", "民生诉求"], "FSDD": [addr, addr, addr],
            "FSSJ": ["2025/3/1 08:00", "2025-03-20 09:00:00", "2025-03-02 09:00:00"],
            "DJSJ": ["2025-03-02 08:00:00", "0000-00-00 00:00:00", "2025-03-02 10:00:00"],
            "BJSJ": ["2025-03-06 08:00:00", None, None], "CLSX": ["2025-03-10 00:00:00", "2025-03-25 00:00:00", None],
        }),
        _standardize(con, police, {
            "警情编号": ["J1"], "警情类别": ["治安警情"], "发生地址": [addr], "报警时间": ["2025-04-01 10:00:00"],
        }),
    ]  # fmt: skip
    selects = [
        kinds.kind_select_sql("event", s, [r[0] for r in con.execute(f"DESCRIBE {s}").fetchall()])
        for s in std
    ]
    staged = _fetch(con, kinds.union_sql(selects))
    canonical = {f.name for f in schemas.EVENT.fields}
    event = [{"event_id": r["record_key"], **{k: v for k, v in r.items() if k in canonical}} for r in staged]
    got = _mart(marts.dispute_by_town_month_sql, event=event)
    # S1 reported in March (registered a day after it happened), closed in four days; S2 has no registration time
    # (zero date) and counts by when it happened, still open; S3 is a request and J1 a police incident.
    assert got == [
        {
            "township_code": "429004001", "month": dt.date(2025, 3, 1), "disputes": 2, "closed": 1, "still_open": 1,
            "avg_days_to_close": 4.0, "median_days_to_close": 4.0, "overdue": 1, "overdue_open": 1,
        }
    ]  # fmt: skip


def test_registered_and_current_residences_staged_and_linked_fill_the_grid_population_mart() -> None:
    con = duckdb.connect()
    current = _plan("grid", "JC_RK", "person_residence", 0)
    registered = _plan("grid", "JC_RK", "person_residence", 1)
    hukou = _plan("police", "HJRK", "person_residence")
    ids = ["429004198503051239", "429004199001011234", "429004200001011231"]
    std = {
        p.name: _standardize(con, p, cols)
        for p, cols in (
            (current, {"RYBH": ["RK1", "RK2", "RK3"], "FWBH": ["FW1", "FW1", "FW2"]}),
            # RK3's grid record gives a placeholder; its police record says where its hukou is.
            (registered, {"RYBH": ["RK1", "RK2", "RK3"],
                          "HJDXZ": ["湖北省仙桃市沙嘴街道新华社区光明路12号", "仙桃市郑场镇彭湖村一组8号", "无"]}),
            (hukou, {"公民身份号码": ids, "户籍地址": ["沙嘴街道新华社区光明路12号", None, "沙嘴街道新华社区光明路12号"]}),
        )
    }  # fmt: skip
    con.execute(
        "CREATE TABLE stg_person_residence AS "
        + kinds.union_sql([relation_select_sql(p, std[p.name]) for p in (current, registered, hukou)])
    )
    # The staged houses (with the address key staging gives them) and grids, and what resolution made of them:
    # FW3 and FW4 are two houses of one village group in grid W2, whose key names no single house.
    con.execute("""
        CREATE TABLE stg_place AS SELECT * FROM (VALUES
            ('grid', 'JC_FW', 'FW1', 'house', '沙嘴街道新华社区光明路12号', 'W1'),
            ('grid', 'JC_FW', 'FW2', 'house', '郑场镇彭湖村1组1号', 'W2'),
            ('grid', 'JC_FW', 'FW3', 'house', '郑场镇彭湖村1组8号', 'W2'),
            ('grid', 'ZZ_WG', 'W1', 'grid', NULL, 'W1'), ('grid', 'ZZ_WG', 'W2', 'grid', NULL, 'W2')
        ) t(source_system, source_table, record_key, level, address, grid_code)
    """)
    keyed = standardize_sql("stg_place", {"a": address_sql("address")})
    con.execute(
        "CREATE OR REPLACE TABLE stg_place AS SELECT source_system, source_table, record_key, level, grid_code, "
        f"a_key AS address_key FROM ({keyed})"
    )
    con.execute("""
        CREATE TABLE entity_source AS SELECT * FROM (VALUES
            ('person', 'P1', 'grid', 'JC_RK', 'RK1'), ('person', 'P2', 'grid', 'JC_RK', 'RK2'),
            ('person', 'P3', 'grid', 'JC_RK', 'RK3'), ('person', 'P1', 'police', 'HJRK', '429004198503051239'),
            ('person', 'P3', 'police', 'HJRK', '429004200001011231'),
            ('place', 'H1', 'grid', 'JC_FW', 'FW1'), ('place', 'H2', 'grid', 'JC_FW', 'FW2'),
            ('place', 'H3', 'grid', 'JC_FW', 'FW3'), ('place', 'G1', 'grid', 'ZZ_WG', 'W1'),
            ('place', 'G2', 'grid', 'ZZ_WG', 'W2')
        ) t(entity_kind, entity_id, source_system, source_table, record_key)
    """)
    residence = _fetch(con, person_residence_sql("stg_person_residence"))
    assert sorted((r["person_id"], r["place_id"], r["residence_type"], r["source"]) for r in residence) == [
        ("P1", "H1", "current", "grid"),
        ("P1", "H1", "registered", "grid"),
        ("P1", "H1", "registered", "police"),
        ("P2", "G2", "registered", "grid"),  # a village group's address: the grid its houses lie in
        ("P2", "H1", "current", "grid"),
        ("P3", "H1", "registered", "police"),
        ("P3", "H2", "current", "grid"),
    ]
    person = [
        {"person_id": "P1", "current_grid": "W1"},
        {"person_id": "P2", "current_grid": "W1"},
        {"person_id": "P3", "current_grid": "W2"},
    ]
    place = [
        {"place_id": "G1", "level": "grid", "code": "W1", "grid_code": "W1"},
        {"place_id": "G2", "level": "grid", "code": "W2", "grid_code": "W2"},
        {"place_id": "H1", "level": "house", "grid_code": "W1"},
        {"place_id": "H2", "level": "house", "grid_code": "W2"},
        {"place_id": "H3", "level": "house", "grid_code": "W2"},
    ]
    got = _mart(marts.grid_population_sql, person=person, place=place, person_residence=residence)
    view = {
        r["grid_code"]: (
            r["living"],
            r["registered"],
            r["living_and_registered"],
            r["registered_living_elsewhere"],
        )
        for r in got
    }
    # W1: P1 and P2 live there, P1 and P3 are registered there; W2: P3 lives there, P2 is registered there.
    assert view == {"W1": (2, 2, 1, 1), "W2": (1, 1, 0, 1)}
