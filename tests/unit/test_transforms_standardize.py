"""The apply API: several normalizers over one table or relation, output column names, checks."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from transforms.citizen_id import citizen_id_crosscheck_sql, citizen_id_sql
from transforms.codes import sex_sql
from transforms.dates import date_sql
from transforms.layered import Layered
from transforms.names import name_sql
from transforms.standardize import standardize, standardize_sql, status_counts_sql


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute(
        "CREATE TABLE jc_rk AS SELECT * FROM (VALUES (1, '429004198503051239', '張三（户主）', '女', '1985.3.5'),"
        " (2, '422401850305123', '李 四', '男', '850305')) t(rybh, gmsfhm, xm, xb, csrq)"
    )
    return c


def test_columns_and_values(con: duckdb.DuckDBPyConnection) -> None:
    rel = standardize(
        con,
        "jc_rk",
        {
            "id_number": citizen_id_sql("gmsfhm", as_of="2026-01-01"),
            "name": name_sql("xm"),
            "sex": sex_sql("xb"),
            "birth_date": date_sql("csrq", as_of="2026-01-01"),
        },
        checks={"id_check": citizen_id_crosscheck_sql("id_number", "sex", "birth_date")},
    )
    assert rel.columns[:5] == ["rybh", "gmsfhm", "xm", "xb", "csrq"]
    assert {
        "id_number",
        "id_number_status",
        "id_number_birth_date",
        "name_pinyin",
        "birth_date_precision",
    } <= set(rel.columns)
    assert not [c for c in rel.columns if c.startswith("__")]
    rows = rel.order("rybh").select(
        "id_number, id_number_status, name, name_annotation, sex, birth_date, id_check"
    )
    assert rows.fetchall() == [
        ("429004198503051239", "ok", "张三", "户主", "2", dt.date(1985, 3, 5), "sex_mismatch"),
        ("422401198503051235", "upgraded_15_to_18", "李四", None, "1", dt.date(1985, 3, 5), "ok"),
    ]


def test_relation_source(con: duckdb.DuckDBPyConnection) -> None:
    rel = standardize(con, con.table("jc_rk").filter("rybh = 2"), {"id": citizen_id_sql("gmsfhm")})
    assert rel.select("id").fetchall() == [("422401198503051235",)]


def test_sql_is_pure_text() -> None:
    sql = standardize_sql("t", {"id": citizen_id_sql("x")})
    assert sql.startswith("SELECT") and '"__id__status"' in sql


def test_layer_names_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        Layered("x", ({"a": "1"}, {"a": "2"}), ("a",))


def test_readme_documents_every_status_and_field() -> None:
    from pathlib import Path

    from transforms import addresses, citizen_id, codes, credit_code, dates, names, phones, plates

    readme = (Path(__file__).parents[2] / "transforms" / "README.md").read_text(encoding="utf-8")
    for module in (addresses, citizen_id, codes, credit_code, dates, names, phones, plates):
        for status in module.STATUSES:
            assert f"`{status}`" in readme, (module.__name__, status)
        for fld in module.FIELDS:
            assert f"`{fld}`" in readme, (module.__name__, fld)


def test_status_counts(con: duckdb.DuckDBPyConnection) -> None:
    standardize(con, "jc_rk", {"id": citizen_id_sql("gmsfhm"), "sex": sex_sql("xb")}).create("std")
    got = con.execute(status_counts_sql("std", ["id", "sex"])).fetchall()
    assert got == [("id", "ok", 1), ("id", "upgraded_15_to_18", 1), ("sex", "mapped_legacy", 2)]
