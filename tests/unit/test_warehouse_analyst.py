"""The analyst projection: masks and pseudonyms from the schema metadata, free text scrubbed, all in SQL."""

from __future__ import annotations

import duckdb
import pytest

import schemas
from grassroots.privacy import pseudonym
from schemas.model import Field, Table
from warehouse.analyst import analyst_columns, analyst_select_sql, hmac_pads, hmac_sql, scrub_text_sql
from warehouse.synthetic import rows

KEY = b"unit-test-key"


@pytest.mark.parametrize("key", [b"k", KEY, b"x" * 64, b"y" * 100])
def test_sql_hmac_equals_the_python_pseudonym(key: bytes) -> None:
    values = ["429004198503051239", "13972800000", "张三"]
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT unnest($vals) AS v", {"vals": values})
    out = con.execute(f"SELECT v, {hmac_sql('v')} FROM t", hmac_pads(key)).fetchall()
    assert {v: p for v, p in out} == {v: pseudonym(v, key) for v in values}


def test_scrubbing_masks_ids_and_mobiles_inside_text() -> None:
    text = "张三（429004198503051239，电话13972800000,13972800001）与李四 42900419491231002X 纠纷，工单20261101123"
    got = duckdb.sql(f"SELECT {scrub_text_sql('v')} FROM (SELECT ? AS v)", params=[text]).fetchone()
    assert got == (
        "张三（429004********1239，电话139****0000,139****0001）与李四 429004********002X 纠纷，工单20261101123",
    )


def test_person_projection_masks_pseudonymizes_and_withholds() -> None:
    con = duckdb.connect()
    con.register(
        "src",
        rows(
            schemas.PERSON,
            [
                {
                    "person_id": "P1",
                    "citizen_id": "429004198503051239",
                    "phone": "13972800000",
                    "name": "张三丰",
                    "religion": "佛教",
                    "special_group": "01",
                    "current_address": "沙嘴街道新华社区光明路12号",
                }
            ],
        ),
    )
    sql = analyst_select_sql(schemas.PERSON, "src")
    row = dict(
        zip(analyst_columns(schemas.PERSON), con.execute(sql, hmac_pads(KEY)).fetchone() or (), strict=True)
    )
    assert row["citizen_id"] == "429004********1239"
    assert row["citizen_id_pseudonym"] == pseudonym("429004198503051239", KEY)
    assert row["phone"] == "139****0000" and row["phone_pseudonym"] == pseudonym("13972800000", KEY)
    assert row["name"] == "张**"
    assert row["religion"] is None and row["special_group"] is None
    assert row["current_address"] == "沙嘴街道新华社区***"
    assert row["person_id"] == "P1"


def test_list_columns_are_masked_element_by_element() -> None:
    table = Table(
        "contact",
        "entity",
        "",
        "",
        ("id",),
        "",
        "",
        "x",
        (
            Field("id", "VARCHAR", "", "", required=True),
            Field("phones", "VARCHAR[]", "", "", privacy="personal", mask="phone"),
            Field("notes", "VARCHAR[]", "", "", privacy="personal"),
        ),
    )
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE src AS SELECT 'C1' AS id, ['13972800000', NULL] AS phones, ['call 13972800009'] AS notes"
    )
    got = con.execute(analyst_select_sql(table, "src"), hmac_pads(KEY)).fetchone()
    assert got is not None
    assert got[1] == ["139****0000", None]
    assert got[2] == [pseudonym("13972800000", KEY), None]
    assert got[3] == ["call 139****0009"]
