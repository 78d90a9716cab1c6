"""Relations staged from source records are linked to the resolved entities at both ends, or left out."""

from __future__ import annotations

import duckdb

from extractors.declare import Mapping
from transforms.staging.plan import TablePlan
from transforms.staging.relations import (
    event_party_sql,
    household_member_sql,
    person_residence_sql,
    relation_select_sql,
)


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("""
        CREATE TABLE entity_source AS SELECT * FROM (VALUES
            ('person', 'P1', 'grid', 'JC_RK', 'RK1'), ('person', 'P2', 'grid', 'JC_RK', 'RK2'),
            ('person', 'P1', 'police', 'HJRK', '429004198503051239'),
            ('place', 'H1', 'grid', 'JC_FW', 'FW1'), ('event', 'E1', 'grid', 'SJ_MDJF', 'SJ1')
        ) t(entity_kind, entity_id, source_system, source_table, record_key)
    """)
    con.execute("CREATE TABLE person AS SELECT 'P1' AS person_id, '429004198503051239' AS citizen_id")
    return con


def test_relation_rows_carry_owner_constants_and_referenced_table() -> None:
    m = Mapping("person_residence", {"place_id": "FWBH"}, constants={"residence_type": "current"},
                references={"place_id": "JC_FW"})  # fmt: skip
    plan = TablePlan("grid", "JC_RK", ("RYBH",), None, False, m, owner="person")
    sql = relation_select_sql(plan, "std")
    assert (
        "'person' AS owner_kind" in sql
        and '"residence_type"' in sql
        and "'JC_FW' AS \"place_id__table\"" in sql
    )


def test_household_members_and_residences_link_both_ends() -> None:
    con = _con()
    con.execute("""
        CREATE TABLE stg AS SELECT * FROM (VALUES
            ('grid', 'JC_RK', 'RK1', TIMESTAMP '2025-01-01', 'H001', '02', 'FW1', 'JC_FW', 'current'),
            ('grid', 'JC_RK', 'RK2', TIMESTAMP '2025-01-01', 'H001', '10', 'FW9', 'JC_FW', 'current'),
            ('grid', 'JC_RK', 'RK3', TIMESTAMP '2025-01-01', NULL, NULL, 'FW1', 'JC_FW', 'current')
        ) t(source_system, source_table, record_key, updated_at, household_no, relation, place_id, place_id__table,
            residence_type)
    """)
    members = con.execute(f"SELECT * FROM ({household_member_sql('stg')}) ORDER BY person_id").fetchall()
    assert members == [("H001", "P1", "02", True), ("H001", "P2", "10", False)]
    homes = con.execute(
        f"SELECT person_id, place_id, residence_type, source FROM ({person_residence_sql('stg')})"
    )
    assert homes.fetchall() == [("P1", "H1", "current", "grid")]  # FW9 is no known place, RK3 no known person


def test_event_parties_are_the_people_holding_the_listed_ids() -> None:
    con = _con()
    con.execute("""
        CREATE TABLE stg AS SELECT 'grid' AS source_system, 'SJ_MDJF' AS source_table, 'SJ1' AS record_key,
            TIMESTAMP '2025-01-01' AS updated_at, '张三、李四' AS name, '429004198503051239,110101199001011234' AS party_id,
            'applicant' AS role
    """)
    rows = con.execute(f"SELECT * FROM ({event_party_sql('stg')})").fetchall()
    assert rows == [("E1", "person", "P1", "applicant", "张三")]
