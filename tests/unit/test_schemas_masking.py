"""The analysts' masks in SQL give exactly what grassroots.privacy gives in Python, and sensitive data is withheld."""

import duckdb
import pytest

import schemas
from grassroots.privacy import mask_id, mask_name, mask_phone
from schemas.masking import analyst_select_sql, mask_address, mask_sql
from schemas.model import Field

SAMPLES = {
    "id": (mask_id, ["429004198503051239", "42240185030512", "12345", "", "42900419850305123X"]),
    "phone": (mask_phone, ["13972800000", "07283221234", "3221234", "123", "+8613972800000"]),
    "name": (mask_name, ["张三丰", "欧阳娜娜", "张", "", "zhang sanfeng"]),
    "address": (
        mask_address,
        [
            "沙嘴街道新华社区光明路12号3栋2单元301室",
            "郑场镇九十墩村3组15号",
            "干河街道仙桃大道88号",
            "仙桃大道88号",
            "",
        ],
    ),
}


@pytest.mark.parametrize("mask", sorted(SAMPLES))
def test_sql_mask_equals_the_python_mask(mask):
    python_mask, values = SAMPLES[mask]
    field = Field("v", "VARCHAR", "值", "value", privacy="personal", mask=mask)
    got = duckdb.execute(
        f"SELECT {mask_sql(field)} FROM unnest(?::VARCHAR[]) AS t(v)", [[*values, None]]
    ).fetchall()
    assert [g[0] for g in got] == [python_mask(v) for v in values] + [None]


def test_address_keeps_the_community_and_drops_the_house():
    assert mask_address("沙嘴街道新华社区光明路12号3栋2单元301室") == "沙嘴街道新华社区***"
    assert mask_address("郑场镇九十墩村3组15号") == "郑场镇九十墩村***"
    assert mask_address("干河街道仙桃大道88号") == "干河街道***"
    assert mask_address("仙桃大道88号") == "***"


def test_analyst_view_masks_ids_phones_names_and_withholds_sensitive_fields():
    con = duckdb.connect()
    con.execute(schemas.create_table_sql(schemas.PERSON))
    con.execute(
        "INSERT INTO person (person_id, citizen_id, name, phone, special_group, religion, sex) "
        "VALUES ('P1', '429004198503051239', '张三丰', '13972800000', '01', '佛教', '1')"
    )
    row = con.execute(
        f"SELECT person_id, citizen_id, name, phone, special_group, religion, sex "
        f"FROM ({analyst_select_sql(schemas.PERSON)})"
    ).fetchone()
    assert row == ("P1", "429004********1239", "张**", "139****0000", None, None, "1")


def test_every_table_has_an_analyst_view_with_the_same_columns_and_types():
    con = duckdb.connect()
    for table in schemas.TABLES:
        con.execute(schemas.create_table_sql(table))
        rel = con.sql(analyst_select_sql(table))
        assert rel.columns == schemas.columns(table)
        assert rel.types == con.table(table.name).types
