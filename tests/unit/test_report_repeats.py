"""Worklist identity: records whose masked keys coincide collapse into one item, and repeated reports stay stable."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from grassroots.errors import FatalError
from grassroots.privacy import mask_id
from grassroots.report import current, followup, worklist
from grassroots.report.build import items_sql
from grassroots.report.inputs import ReportInputs, bind

PEOPLE = 60
# 18-digit IDs of one county that share their last four digits three ways: masked, 60 people become 3 keys.
RAW_ID = "'4290041980' || lpad(CAST(i AS VARCHAR), 4, '0') || '123' || CAST(i % 3 AS VARCHAR)"

QUARANTINE = f"""
SELECT 'q1' AS run_id, stage, 'police' AS source, 'HJRK_429004_20261102_1.csv' AS table_or_file,
       {RAW_ID} AS record_key, i + 2 AS line, rule, 'unknown code; fix it at the source' AS reason,
       '妖' AS value_masked, 'warning' AS severity, TIMESTAMPTZ '2026-11-02 00:00:00+00' AS occurred_at
FROM range({PEOPLE}) r(i), (VALUES ('education_unknown_value'), ('marital_unknown_value')) AS u(rule),
     (VALUES ('standardize'), ('validate')) AS s(stage)
UNION ALL
SELECT 'q1', 'extract', 'grid', 'JC_RK.csv', NULL, line, 'row_too_short', 'too few columns', NULL, 'error',
       TIMESTAMPTZ '2026-11-02 00:00:00+00'
FROM range(5) r(line)
"""

ENTITY_SOURCE = f"""
SELECT 'person' AS entity_kind, 'P' || i AS entity_id, source_system, source_table,
       CASE source_system WHEN 'police' THEN {RAW_ID} ELSE 'G' || i END AS record_key, NULL AS load_id,
       NULL AS match_rule, NULL::DOUBLE AS match_weight, 'x' AS run_id
FROM range({PEOPLE}) r(i), (VALUES ('grid', 'JC_RK'), ('police', 'HJRK')) AS s(source_system, source_table)
"""

FINDING = f"""
SELECT 'f1' AS run_id, 'person' AS entity_kind, 'P' || i AS entity_id, 'name' AS field, 'conflict' AS kind,
       ['grid', 'police'] AS systems, ['李*', '黎*'] AS values_masked,
       TIMESTAMPTZ '2026-11-02 00:00:00+00' AS detected_at
FROM range({PEOPLE}) r(i)
"""

PROVENANCE = f"""
SELECT 'person' AS entity_kind, 'P' || i AS entity_id, 'name' AS field, 'grid' AS source_system,
       NULL AS source_table, NULL AS record_key, NULL AS load_id, 'trust' AS rule, 2 AS candidates, 'x' AS run_id
FROM range({PEOPLE}) r(i)
"""


def _expected_identities() -> set[tuple[str, str, str, str, str]]:
    """Worked out in Python, independently of the SQL: masked keys per rule, key-less rows by line."""
    ids = [f"4290041980{i:04d}123{i % 3}" for i in range(PEOPLE)]
    police = {
        ("police", "HJRK_429004_20261102_1.csv", mask_id(k) or "", rule, "")
        for k in ids
        for rule in ("education_unknown_value", "marital_unknown_value")
    }
    grid = {("grid", "JC_RK.csv", f"line:{line}", "row_too_short", "") for line in range(5)}
    findings = {("police", "HJRK", mask_id(k) or "", "finding:conflict:name", "name") for k in ids}
    return police | grid | findings


def _items_con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, sql in {"q": QUARANTINE, "es": ENTITY_SOURCE, "f": FINDING, "fp": PROVENANCE}.items():
        con.execute(f"CREATE TABLE {name} AS {sql}")
    bind(con, ReportInputs(quarantine="q", entity_source="es", finding="f", field_provenance="fp"))
    current.create(con)
    worklist.create_golden(con, [], "center")
    con.execute(f"CREATE TABLE report_items AS {items_sql()}")
    return con


def _report(tmp_path: Path, run_id: str) -> list[tuple[str, str, str, str, str, int, str]]:
    con = _items_con()
    out = tmp_path / run_id
    out.mkdir()
    table = followup.follow_up(con, "report_items", out, tmp_path, run_id, {"grid", "police"})
    return con.execute(
        f"SELECT source, table_name, record_key, rule, field, records, status FROM {table}"
    ).fetchall()


def test_masked_keys_that_coincide_make_one_item_with_the_count_of_records() -> None:
    rows = _items_con().execute(
        "SELECT source, table_name, record_key, rule, field, records FROM report_items"
    )
    items = {r[:5]: r[5] for r in rows.fetchall()}
    assert set(items) == _expected_identities()
    # 60 people over 3 masked keys; the two stages refusing one record for one rule count once.
    masked = ("police", "HJRK_429004_20261102_1.csv", "429004********1230", "education_unknown_value", "")
    assert items[masked] == PEOPLE // 3
    assert items[("police", "HJRK", "429004********1231", "finding:conflict:name", "name")] == PEOPLE // 3
    assert items[("grid", "JC_RK.csv", "line:3", "row_too_short", "")] == 1


def test_three_reports_over_repeated_keys_keep_one_row_per_item(tmp_path: Path) -> None:
    expected = _expected_identities()
    runs = [_report(tmp_path, f"2026110{day}T000000Z") for day in (1, 2, 3)]
    for rows in runs:
        assert len(rows) == len(expected)
        assert {r[:5] for r in rows} == expected
        assert sum(r[5] for r in rows) == 2 * PEOPLE + 5 + PEOPLE
    assert {r[6] for r in runs[0]} == {"new"}
    assert {r[6] for r in runs[2]} == {"open"}
    persisted = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{tmp_path}/20261103T000000Z/{followup.ITEMS_FILE}')"
    ).fetchone()
    assert persisted == (len(expected),)


def test_a_previous_file_with_repeated_identities_is_healed_not_multiplied(tmp_path: Path) -> None:
    """Items files of older versions: no field or records column, and an identity repeated per raw record."""
    old = tmp_path / "20261101T000000Z"
    old.mkdir()
    duckdb.sql(f"""
        COPY (SELECT 'police' AS source, 'HJRK_429004_20261102_1.csv' AS table_name,
                     '429004********1230' AS record_key, 'education_unknown_value' AS rule,
                     NULL AS entity_kind, NULL AS entity_id, 'unknown code' AS problem, '妖' AS current_value,
                     NULL AS suggested_value, NULL AS suggested_from, 'warning' AS severity, 'open' AS status,
                     '2026103' || (i % 2) || 'T000000Z' AS first_reported
              FROM range(50) r(i))
        TO '{old / followup.ITEMS_FILE}' (FORMAT parquet)""")
    rows = _report(tmp_path, "20261102T000000Z")
    assert len(rows) == len(_expected_identities())
    con = duckdb.connect()
    first = con.execute(
        f"SELECT status, first_reported FROM read_parquet('{tmp_path}/20261102T000000Z/{followup.ITEMS_FILE}') "
        "WHERE record_key = '429004********1230' AND rule = 'education_unknown_value'"
    ).fetchall()
    assert first == [("open", "20261030T000000Z")]


def test_a_worklist_repeating_an_identity_is_not_persisted(tmp_path: Path) -> None:
    con = _items_con()
    con.execute("INSERT INTO report_items SELECT * FROM report_items LIMIT 1")
    out = tmp_path / "20261101T000000Z"
    out.mkdir()
    with pytest.raises(FatalError, match="repeats 1 item identities"):
        followup.follow_up(con, "report_items", out, tmp_path, "20261101T000000Z", {"police"})
    assert not (out / followup.ITEMS_FILE).exists()
