"""Code normalizers: sex (with the legacy 0 = male convention), ethnicity, certificate, category, events."""

from __future__ import annotations

import duckdb
import pytest

from transforms import codes
from transforms.standardize import explain, explain_many


@pytest.mark.parametrize(
    ("raw", "value", "status"),
    [
        ("1", "1", "ok"), ("男", "1", "mapped_legacy"), ("M", "1", "mapped_legacy"), ("男性", "1", "mapped_name"),
        ("2", "2", "ok"), ("女", "2", "mapped_legacy"), ("F", "2", "mapped_legacy"), ("f", "2", "mapped_legacy"),
        ("0", "0", "ok"), ("９", "9", "mapped_code"), (" 男 ", "1", "mapped_legacy"), ("?", None, "placeholder"),
        ("妖", None, "unknown_value"), (None, None, "missing"),
    ],
)  # fmt: skip
def test_sex(raw: str | None, value: str | None, status: str) -> None:
    assert explain(codes.sex_sql, raw) == {"value": value, "status": status}


def test_sex_legacy_convention() -> None:
    got = explain_many(codes.sex_sql, ["0", "1", "男"], legacy_zero_male=True)
    assert [(g["value"], g["status"]) for g in got] == [
        ("1", "legacy_convention"), ("2", "legacy_convention"), ("1", "mapped_legacy"),
    ]  # fmt: skip


def test_sex_legacy_convention_row_by_row_with_the_id() -> None:
    import duckdb as db

    from transforms.standardize import standardize

    male, female = "429004198503051239", "11010519491231002X"
    con = db.connect()
    con.execute("CREATE TABLE t (pos INTEGER, xb VARCHAR, id VARCHAR)")
    rows = [(0, "0", male), (1, "1", female), (2, "1", male), (3, "2", female), (4, "0", female), (5, "男", None),
            (6, "0", None), (7, "1", "422401850305124")]  # fmt: skip
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    got = (
        standardize(con, "t", {"sex": codes.sex_sql("xb", id_col="id")})
        .order("pos")
        .select("sex, sex_status")
    )
    assert got.fetchall() == [
        ("1", "legacy_convention"), ("2", "legacy_convention"), ("1", "ok"), ("2", "ok"), ("0", "ok"),
        ("1", "mapped_legacy"), ("0", "ok"), ("2", "legacy_convention"),
    ]  # fmt: skip


def test_sex_convention_detected_from_the_17th_digit() -> None:
    male, female = "429004198503051239", "11010519491231002X"
    legacy = [("0", male), ("1", female)] * 15
    standard = [("1", male), ("2", female), ("1", male)] * 10
    for rows, expected in (
        (legacy, "legacy_zero_male"),
        (standard, "standard"),
        (legacy[:4], "undetermined"),
    ):
        con = duckdb.connect()
        con.execute("CREATE TABLE t (xb VARCHAR, id VARCHAR)")
        con.executemany("INSERT INTO t VALUES (?, ?)", rows)
        row = con.execute(codes.sex_convention_sql("t", "xb", "id")).fetchone()
        assert row is not None and row[-1] == expected


@pytest.mark.parametrize(
    ("raw", "value"),
    [("汉", "01"), ("汉族", "01"), ("01", "01"), ("1", "01"), ("Han", "01"), ("回族", "03"), ("穿青人", "97"),
     ("土家", "15"), ("外国血统", "98")],
)  # fmt: skip
def test_ethnicity(raw: str, value: str) -> None:
    assert explain(codes.ethnicity_sql, raw)["value"] == value


@pytest.mark.parametrize(
    ("builder", "raw", "value"),
    [
        (codes.certificate_type_sql, "身份证", "111"), (codes.certificate_type_sql, "护照", "414"),
        (codes.person_category_sql, "户籍", "01"), (codes.person_category_sql, "暂住", "02"),
        (codes.person_category_sql, "3", "03"),
        (codes.event_status_sql, "已办结", "04"), (codes.event_status_sql, "处理中", "03"),
        (codes.event_status_sql, "待受理", "01"), (codes.event_status_sql, "已回访", "05"),
    ],
)  # fmt: skip
def test_other_code_tables(builder, raw: str, value: str) -> None:  # type: ignore[no-untyped-def]
    assert explain(builder, raw)["value"] == value


@pytest.mark.parametrize(
    ("raw", "value", "status"),
    [
        ("0102", "0102", "ok"), ("邻里纠纷", "0102", "mapped_name"), ("102", "0102", "mapped_code"),
        ("家庭矛盾", "0101", "mapped_keyword"), ("楼上漏水邻居不管", "0102", "mapped_keyword"),
        ("车祸", "0303", "mapped_keyword"), ("群众求助", "0304", "mapped_name"), ("老人走失", "0304", "mapped_keyword"), ("天气晴", None, "unknown_value"),
    ],
)  # fmt: skip
def test_event_type_keyword_rules(raw: str, value: str | None, status: str) -> None:
    assert explain(codes.event_type_sql, raw) == {"value": value, "status": status}
