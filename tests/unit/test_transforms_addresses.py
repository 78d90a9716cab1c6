"""Address normalizer: prefixes, townships by current, old and legacy names, parts, house key."""

from __future__ import annotations

import pytest

from transforms.addresses import STATUSES, address_sql
from transforms.standardize import explain, explain_many

FULL = "沙嘴街道九十墩社区沔阳大道12号幸福小区3栋2单元301室"


def test_full_address_parts_and_key() -> None:
    got = explain(address_sql, "湖北省仙桃市" + FULL)
    assert got["status"] == "normalized" and got["value"] == FULL
    assert (got["township_code"], got["township"], got["community"], got["community_key"]) == (
        "429004001", "沙嘴街道", "九十墩社区", "九十墩",
    )  # fmt: skip
    assert (got["road"], got["house_number"], got["compound"]) == ("沔阳大道", "12", "幸福小区")
    assert (got["building"], got["unit"], got["room"]) == ("3", "2", "301")
    assert got["key"] == "429004001|九十墩||沔阳大道|12|幸福小区|3|2|301"
    assert got["region"] == "xiantao"


@pytest.mark.parametrize(
    "raw",
    [
        FULL,
        "湖北省仙桃市" + FULL,
        "湖北省省直辖县级行政区划仙桃市" + FULL,
        "仙桃市沙嘴办事处九十墩社区沔阳大道12号幸福小区3幢2单元301室",
        "沙嘴街道 九十墩村 沔阳大道12号 幸福小区 三号楼 二单元 301",
        "沙嘴街道九十墩社区沔阳大道12号幸福小区3-2-301",
        "沙嘴街道九十墩居委会沔阳大道12号幸福小区３栋２单元３０１室",
    ],
)
def test_variants_of_one_house_share_the_key(raw: str) -> None:
    assert explain(address_sql, raw)["key"] == "429004001|九十墩||沔阳大道|12|幸福小区|3|2|301"


@pytest.mark.parametrize(
    ("raw", "code", "status"),
    [
        ("豆河镇张家村3组", "429004103", "township_old_name"),
        ("沙嘴办事处九十墩村", "429004001", "township_old_name"),
        ("沔阳镇东门村", "429004113", "township_old_name"),
        ("长倘口镇新华村", "429004106", "township_legacy_spelling"),
        ("长?口镇新华村", "429004106", "township_legacy_spelling"),
        ("？河镇刘家村", "429004103", "township_legacy_spelling"),
        ("长埫口镇新华村", "429004106", "ok"),
        ("剅河镇刘家村", "429004103", "ok"),
        ("郑场张家村", "429004101", "normalized"),
    ],
)
def test_township_names_old_and_legacy(raw: str, code: str, status: str) -> None:
    got = explain(address_sql, raw)
    assert (got["township_code"], got["status"]) == (code, status)
    assert status in STATUSES


def test_village_group_and_chinese_numerals() -> None:
    got = explain(address_sql, "郑场镇游潭村十二组")
    assert (got["community_key"], got["village_group"], got["value"]) == ("游潭", "12", "郑场镇游潭村12组")


def test_community_and_village_spellings_share_a_key() -> None:
    got = explain_many(address_sql, ["沙嘴街道九十墩村", "沙嘴街道九十墩社区", "沙嘴街道九十墩村委会"])
    assert {g["community_key"] for g in got} == {"九十墩"}


def test_other_places_missing_and_unparsed() -> None:
    got = explain_many(address_sql, ["湖北省武汉市洪山区珞喻路1号", "广东省深圳市南山区", "无", None, "xyz"])
    assert [g["status"] for g in got] == [
        "outside_xiantao",
        "outside_xiantao",
        "placeholder",
        "missing",
        "unparsed",
    ]
    assert got[0]["region"] == "elsewhere" and got[0]["key"] is None


def test_uncoded_units_are_named_without_a_code() -> None:
    got = explain(address_sql, "沙湖原种场一分场")
    assert got["township"] == "沙湖原种场" and got["township_code"] is None


def test_split_columns_get_the_key_of_the_full_text() -> None:
    import duckdb

    from transforms.addresses import address_from_parts_sql

    text = address_from_parts_sql("xzjd", "jcwh", "jlx", "mlph", "ldh", "dyh", "sh")
    row = duckdb.sql(
        f"SELECT {text} FROM (VALUES ('沙嘴办事处', '九十墩社区', '沔阳大道', '12', '幸福小区3', '2', '301')"
        ") t(xzjd, jcwh, jlx, mlph, ldh, dyh, sh)"
    ).fetchone()
    assert row is not None
    # The compound sits in the building column here, as it often does in the grid system's LDH.
    assert explain(address_sql, row[0])["key"] == "429004001|九十墩||沔阳大道|12|幸福小区|3|2|301"
    parts = duckdb.sql(
        f"SELECT {address_from_parts_sql(road='r', number='n')} FROM (VALUES ('钱沟路', '8号')) t(r, n)"
    )
    assert parts.fetchone() == ("钱沟路8号",)


@pytest.mark.parametrize(
    "raw",
    [
        "沙嘴街道东华社区钱沟路5号3栋2-301",
        "沙嘴街道东华社区钱沟路5号3号楼2单元301室",
        "沙嘴街道东华社区钱沟路5号3-2-301",
    ],
)
def test_unit_and_room_typed_with_hyphens(raw: str) -> None:
    assert explain(address_sql, raw)["key"] == "429004001|东华||钱沟路|5||3|2|301"


def test_village_names_holding_village_words() -> None:
    got = explain_many(address_sql, ["郑场镇新村社区新华街8号", "郑场镇张村村委会二十组", "郑场镇新村路8号"])
    assert [(g["community_key"], g["village_group"], g["road"]) for g in got] == [
        ("新村", None, "新华街"), ("张村", "20", None), (None, None, "新村路"),
    ]  # fmt: skip
