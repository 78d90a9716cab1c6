"""The canonical model is well formed: types, descriptions, code tables, keys, privacy rules, DDL and Arrow agree."""

import re

import duckdb
import pyarrow as pa
import pytest

import schemas
from grassroots import quarantine
from schemas import codes
from schemas.model import ARROW_TYPES, MODULES, Field, Table, arrow_schema, columns, create_table_sql

ALL_FIELDS = [(t, f) for t in schemas.TABLES for f in t.fields]
IDS = [f"{t.name}.{f.name}" for t, f in ALL_FIELDS]


def test_registry_lists_every_table_once_and_finds_them():
    names = [t.name for t in schemas.TABLES]
    assert len(names) == len(set(names))
    assert {"person", "place", "thing", "event", "organization"} <= set(names)
    assert schemas.get("person") is schemas.PERSON
    with pytest.raises(KeyError, match="known tables: person"):
        schemas.get("people")


@pytest.mark.parametrize(("table", "field"), ALL_FIELDS, ids=IDS)
def test_every_field_is_typed_described_and_coded(table: Table, field: Field):
    assert field.type in ARROW_TYPES
    assert re.fullmatch(r"[a-z][a-z0-9_]*", field.name)
    assert field.description_zh.strip() and field.description_en.strip()
    assert re.search(r"[\u4e00-\u9fff]", field.description_zh), "description_zh must be Chinese"
    if field.code_table is not None:
        assert field.code_table in codes.tables()
    assert field.privacy in ("public", "personal", "sensitive")
    assert field.mask in ("id", "phone", "name", "address", "none")
    if field.privacy == "public":
        assert field.mask == "none", "a public field has nothing to mask"


@pytest.mark.parametrize("table", schemas.TABLES, ids=lambda t: t.name)
def test_every_table_has_grain_description_module_and_a_sound_key(table: Table):
    assert table.grain_zh and table.grain_en.startswith("one row per")
    assert table.description_zh and table.description_en
    assert table.module in MODULES
    assert table.kind in ("entity", "relation", "lineage", "quality")
    names = columns(table)
    assert len(names) == len(set(names))
    for key in table.primary_key:
        assert table.field(key).required, f"{table.name}.{key} is in the key so it must be required"
    if table.kind == "entity":
        assert table.primary_key == (names[0],) and names[0].endswith("_id")


@pytest.mark.parametrize(("table", "field"), ALL_FIELDS, ids=IDS)
def test_citizen_ids_and_phones_are_personal_and_masked(table: Table, field: Field):
    if "citizen_id" in field.name:
        assert (field.privacy, field.mask) == ("personal", "id")
    if "phone" in field.name:
        assert (field.privacy, field.mask) == ("personal", "phone")


def test_special_groups_and_religion_are_sensitive():
    assert schemas.PERSON.field("special_group").privacy == "sensitive"
    assert schemas.PERSON.field("religion").privacy == "sensitive"


@pytest.mark.parametrize("table", schemas.TABLES, ids=lambda t: t.name)
def test_ddl_runs_in_duckdb_and_matches_the_arrow_schema(table: Table):
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(create_table_sql(table))
    got = con.execute(f'SELECT * FROM "{table.name}"').fetch_arrow_table().schema
    want = arrow_schema(table)
    assert got.names == want.names
    assert [f.type for f in got] == [f.type for f in want]
    # Arrow data written with the declared schema loads back into the DDL table.
    empty = pa.Table.from_pylist([], schema=want)  # noqa: F841 - read by DuckDB's replacement scan
    con.execute(f'INSERT INTO "{table.name}" SELECT * FROM empty')


def test_ddl_enforces_required_fields_and_the_key():
    con = duckdb.connect()
    con.execute(create_table_sql(schemas.PERSON, name="p"))
    con.execute("INSERT INTO p (person_id) VALUES ('P1')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO p (person_id) VALUES ('P1')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO p (name) VALUES ('张三')")
    assert "PRIMARY KEY" not in create_table_sql(schemas.PERSON, primary_key=False)


def test_quarantine_table_is_the_schema_every_stage_writes():
    assert arrow_schema(schemas.get("quarantine")) == quarantine.SCHEMA


def test_comments_reach_the_duckdb_catalog():
    con = duckdb.connect()
    con.execute(create_table_sql(schemas.PERSON))
    for statement in schemas.comment_sql(schemas.PERSON):
        con.execute(statement)
    (table_comment,) = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = 'person'"
    ).fetchone()
    assert table_comment.startswith("one row per resolved person / 每个已消歧的人员一行")
    got = dict(
        con.execute(
            "SELECT column_name, comment FROM duckdb_columns() WHERE table_name = 'person'"
        ).fetchall()
    )
    assert got["citizen_id"].startswith("citizen ID number") and "公民身份号码" in got["citizen_id"]
    assert all(got[c] for c in columns(schemas.PERSON))


@pytest.mark.parametrize("name", codes.tables())
def test_code_tables_have_unique_codes_and_names(name):
    rows = codes.load(name)
    assert rows, f"code table {name} is empty"
    assert all(r["code"] and r["name"] for r in rows)
    assert len({r["code"] for r in rows}) == len(rows), f"duplicate codes in {name}"
