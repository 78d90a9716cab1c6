"""Relations staged from source records are linked to the resolved entities at both ends, or left out."""

from __future__ import annotations

import duckdb

from extractors.declare import Mapping
from transforms.staging import table_sql
from transforms.staging.plan import TablePlan
from transforms.staging.relations import (
    event_party_sql,
    household_member_sql,
    person_residence_sql,
    relation_select_sql,
)
from transforms.standardize import prepare


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("""
        CREATE TABLE entity_source AS SELECT * FROM (VALUES
            ('person', 'P1', 'grid', 'JC_RK', 'RK1'), ('person', 'P2', 'grid', 'JC_RK', 'RK2'),
            ('person', 'P1', 'police', 'HJRK', '429004198503051239'),
            ('place', 'H1', 'grid', 'JC_FW', 'FW1'), ('event', 'E1', 'grid', 'SJ_MDJF', 'SJ1'),
            ('place', 'H2', 'grid', 'JC_FW', 'FW2'), ('place', 'H3', 'grid', 'JC_FW', 'FW3'),
            ('place', 'H4', 'grid', 'JC_FW', 'FW4'), ('place', 'H4', 'grid', 'JC_FW', 'FW5'),
            ('place', 'H6', 'grid', 'JC_FW', 'FW6'), ('place', 'H7', 'grid', 'JC_FW', 'FW7'),
            ('place', 'G1', 'grid', 'ZZ_WG', 'W1'), ('place', 'G2', 'grid', 'ZZ_WG', 'W2')
        ) t(entity_kind, entity_id, source_system, source_table, record_key)
    """)
    # Staged places with their standardized address keys: FW4 and FW5 are one place written twice; FW2 and FW3
    # share a key but lie in two grids; FW6 and FW7 share a key (a village group's) in one grid, W2.
    con.execute("""
        CREATE TABLE stg_place AS SELECT * FROM (VALUES
            ('grid', 'JC_FW', 'FW1', 'house', 'k1', 'W1'), ('grid', 'JC_FW', 'FW2', 'house', 'k2', 'W1'),
            ('grid', 'JC_FW', 'FW3', 'house', 'k2', 'W2'), ('grid', 'JC_FW', 'FW4', 'house', 'k4', 'W1'),
            ('grid', 'JC_FW', 'FW5', 'house', 'k4', 'W1'), ('grid', 'JC_FW', 'FW6', 'house', 'k6', 'W2'),
            ('grid', 'JC_FW', 'FW7', 'house', 'k6', 'W2'),
            ('grid', 'ZZ_WG', 'W1', 'grid', NULL, 'W1'), ('grid', 'ZZ_WG', 'W2', 'grid', NULL, 'W2')
        ) t(source_system, source_table, record_key, level, address_key, grid_code)
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
            ('grid', 'JC_RK', 'RK1', TIMESTAMP '2025-01-01', 'H001', '02', 'FW1', 'JC_FW', 'current', NULL::VARCHAR,
             NULL::VARCHAR),
            ('grid', 'JC_RK', 'RK2', TIMESTAMP '2025-01-01', 'H001', '10', 'FW9', 'JC_FW', 'current', NULL, NULL),
            ('grid', 'JC_RK', 'RK3', TIMESTAMP '2025-01-01', NULL, NULL, 'FW1', 'JC_FW', 'current', NULL, NULL)
        ) t(source_system, source_table, record_key, updated_at, household_no, relation, place_id, place_id__table,
            residence_type, address_key, address_status)
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


def test_registered_residences_link_to_the_one_place_with_the_same_address_key() -> None:
    con = _con()
    m = Mapping("person_residence", {"address": "户籍地址"}, constants={"residence_type": "registered"})
    plan = TablePlan("police", "HJRK", ("ID",), None, True, m, owner="person")
    landed = (
        "SELECT *, 'L1' AS _load_id, TIMESTAMPTZ '2025-01-01 00:00:00+00' AS _extracted_at, 1 AS _line FROM (VALUES "
        "('429004198503051239', '湖北省仙桃市沙嘴街道新华社区光明路12号')) t(\"ID\", \"户籍地址\")"
    )
    prepare(con, table_sql.layered(plan, None).values())
    con.execute(f"CREATE TABLE std AS {table_sql.standardized_sql(plan, landed, None)}")
    staged = con.execute(f"SELECT * FROM ({relation_select_sql(plan, 'std')})")
    row = dict(zip([d[0] for d in staged.description or ()], staged.fetchone() or (), strict=True))
    # The address comes with its standardized key; a mapping without references stages NULL for them.
    assert row["residence_type"] == "registered" and row["address_status"] == "normalized"
    assert row["address_township_code"] == "429004001" and row["address_key"]
    assert row["place_id"] is None and row["place_id__table"] is None
    # Linking: each owner record's address key against the staged places' keys.
    con.execute("""
        CREATE TABLE stg AS SELECT * FROM (VALUES
            ('police', 'HJRK', '429004198503051239', 'k1', 'normalized'),
            ('grid', 'JC_RK', 'RK1', 'k4', 'ok'),
            ('grid', 'JC_RK', 'RK2', 'k2', 'normalized'),
            ('grid', 'JC_RK', 'RK3', 'k1', 'normalized'),
            ('grid', 'JC_RK', 'RK2', 'k1', 'placeholder'),
            ('police', 'HJRK', '429004198503051239', 'k6', 'normalized')
        ) t(source_system, source_table, record_key, address_key, address_status)
    """)
    con.execute("""
        CREATE TABLE stg_rel AS SELECT *, TIMESTAMP '2025-01-01' AS updated_at, 'registered' AS residence_type,
            CAST(NULL AS VARCHAR) AS place_id, CAST(NULL AS VARCHAR) AS place_id__table FROM stg
    """)
    homes = con.execute(
        f"SELECT person_id, place_id, residence_type, source FROM ({person_residence_sql('stg_rel')}) ORDER BY ALL"
    ).fetchall()
    # P1: police k1 -> H1, grid k4 -> H4 (written twice), police k6 -> the grid G2 of the village group's houses.
    # P2's k2 names houses in two grids and its other address is a placeholder; RK3 is no known person.
    assert homes == [
        ("P1", "G2", "registered", "police"),
        ("P1", "H1", "registered", "police"),
        ("P1", "H4", "registered", "grid"),
    ]
