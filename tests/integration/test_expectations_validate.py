"""validate_tables on a real DuckDB file: blocking rows leave for the quarantine, warnings stay, results accumulate
across runs, Data Docs are built, and no full ID or mobile number reaches any of it."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import duckdb
import pytest

from expectations import results
from grassroots import quarantine
from grassroots.errors import FatalError
from grassroots.home import Home
from grassroots.pipeline.validate import validate_tables

REF = dt.date(2026, 11, 25)
GOOD_ID = "429004198503051239"
BAD_CHECK_ID = "429004198503051238"
MOBILE = "13972800000"
FULL_ID_RE = re.compile(r"\d{17}[\dXx]")
FULL_MOBILE_RE = re.compile(r"1[3-9]\d{9}")

STG = f"""
    ('grid', 'persons', 'g1', '{GOOD_ID}', '1', DATE '1985-03-05', '{MOBILE}', '429004001'),
    ('grid', 'persons', 'g2', '{BAD_CHECK_ID}', '1', DATE '1985-03-05', '{MOBILE}', '429004001'),
    ('civil', 'people', 'c1', '{GOOD_ID}', '2', DATE '1985-03-05', '139-7280-0000', '429004999'),
    ('police', 'export', 'p1', '11010519491231002X', '2', DATE '2031-01-01', NULL, '429004002'),
    ('fax', 'sheet', 'f1', '{GOOD_ID}', '1', DATE '1985-03-05', '{MOBILE}', '429004001'),
    ('grid', 'persons', NULL, '{GOOD_ID}', '1', DATE '1985-03-05', '{MOBILE}', '429004001')
"""


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp_path / "build.duckdb"))
    con.execute(
        f"CREATE TABLE stg_person AS SELECT * FROM (VALUES {STG}) "
        "v(source_system, source_table, record_key, citizen_id, sex, birth_date, phone, township_code)"
    )
    con.execute(
        "CREATE TABLE golden_person AS SELECT * FROM (VALUES "
        f"('P1', '{GOOD_ID}', DATE '1985-03-05'), ('P2', '{BAD_CHECK_ID}', DATE '1985-03-05')) "
        "v(person_id, citizen_id, birth_date)"
    )
    con.execute(
        "CREATE TABLE residence AS SELECT * FROM (VALUES ('P1', 'H1', 'current', 'grid'), "
        "('P2', 'H1', 'current', 'grid'), ('P3', 'H1', 'current', 'civil')) "
        "v(person_id, place_id, residence_type, source)"
    )
    return con


def _keys(con: duckdb.DuckDBPyConnection, table: str, key: str) -> set[str]:
    return {row[0] for row in con.execute(f"SELECT {key} FROM {table}").fetchall()}


def test_blocking_rows_are_quarantined_and_removed_warnings_kept(
    con: duckdb.DuckDBPyConnection, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    home = Home(tmp_path / "home")
    with caplog.at_level(logging.INFO):
        outcome = validate_tables(con, home, "run-1", {"person": "stg_person"}, REF)
    # f1: unknown source system, and the row without a record key -> refused. g2: bad check character,
    # p1: born in the future, c1: bad phone and township -> kept with warnings (staging only warns on those).
    assert _keys(con, "stg_person", "coalesce(record_key, 'none')") == {"g1", "g2", "c1", "p1"}
    person = outcome.tables["person"]
    assert (person.rows_checked, person.refused, person.warned) == (6, 2, 3)
    failed = {r["expectation"]: r for r in outcome.failed_rules}
    assert all(r["source"] is None for r in outcome.failed_rules)
    assert failed["source_system_known"]["severity"] == "error"
    assert failed["record_key_not_null"]["severity"] == "error"
    assert failed["citizen_id_check_char"]["severity"] == "warning"
    assert failed["citizen_id_check_char"]["unexpected_count"] == 1
    assert failed["birth_date_age_0_to_120"]["severity"] == "warning"
    assert failed["phone_format"]["severity"] == "warning"
    # township_code is how stg_person names the current township.
    assert failed["township_code_in_code_table"]["severity"] == "warning"
    # The same rule per known source system: grid has the bad check character, civil and police do not.
    per_source = {
        r["source"]: r for r in outcome.results.to_pylist() if r["expectation"] == "citizen_id_check_char"
    }
    assert set(per_source) == {None, "grid", "civil", "police"}
    assert (per_source["grid"]["element_count"], per_source["grid"]["unexpected_count"]) == (3, 1)
    assert not per_source["grid"]["success"] and per_source["civil"]["success"]
    assert per_source["civil"]["unexpected_percent"] == 0.0
    # GX and the quarantine query agree on every rule.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    found = (
        duckdb.execute(f"SELECT * EXCLUDE (occurred_at) FROM read_parquet('{quarantine.glob(home.root)}')")
        .fetch_arrow_table()
        .to_pylist()
    )
    by_rule = {r["rule"]: r for r in found}
    assert by_rule["source_system_known"]["severity"] == "error"
    assert by_rule["source_system_known"]["record_key"] == "f1"
    check = by_rule["citizen_id_check_char"]
    assert check["severity"] == "warning" and check["stage"] == "validate" and check["source"] == "grid"
    assert check["record_key"] == "g2" and check["table_or_file"] == "stg_person"
    assert check["value_masked"] == "429004********1238"
    assert "check character" in check["reason"]
    assert by_rule["phone_format"]["severity"] == "warning"
    assert by_rule["phone_format"]["value_masked"].endswith("0000")
    for row in found:
        for value in row.values():
            if isinstance(value, str):
                assert not FULL_ID_RE.search(value) and not FULL_MOBILE_RE.search(value), row


def test_relations_to_refused_entities_are_refused(con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    outcome = validate_tables(
        con, tmp_path / "home", "run-1", {"person": "golden_person", "person_residence": "residence"}, REF
    )
    # P2 fails its check character and leaves; the residence of P2 and of the unknown P3 then point nowhere.
    assert _keys(con, "golden_person", "person_id") == {"P1"}
    assert _keys(con, "residence", "person_id") == {"P1"}
    assert outcome.tables["person_residence"].refused == 2
    assert "place_id_exists" in outcome.tables["person_residence"].skipped_rules


def test_results_accumulate_across_runs_and_data_docs_are_built(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    home = Home(tmp_path / "home")
    first = validate_tables(con, home, "run-1", {"person": "stg_person"}, REF)
    second = validate_tables(con, home, "run-2", {"person": "stg_person"}, REF)
    assert first.tables["person"].refused == 2
    assert second.tables["person"].refused == 0  # the refused rows left in the first run
    stored = duckdb.execute(
        f"SELECT run_id, count(*), count(*) FILTER (NOT success AND source IS NULL) "
        f"FROM read_parquet('{results.glob(home)}') GROUP BY run_id ORDER BY run_id"
    ).fetchall()
    assert [r[0] for r in stored] == ["run-1", "run-2"]
    assert stored[0][1] == len(first.results) and stored[0][2] > stored[1][2]
    assert first.results.schema.equals(results.SCHEMA)

    index = home.reports / "data_docs" / "index.html"
    assert first.data_docs == index and index.exists()
    pages = list((home.reports / "data_docs").rglob("*.html"))
    assert len(pages) > 2
    for path in [*pages, *(home.root / "gx").rglob("*.json")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert GOOD_ID not in text and BAD_CHECK_ID not in text and MOBILE not in text, path


def test_table_no_rule_applies_to_is_left_alone(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "b.duckdb"))
    con.execute("CREATE TABLE hm AS SELECT 1 AS whatever")
    outcome = validate_tables(con, tmp_path / "home", "run-1", {"household_member": "hm"}, REF)
    assert outcome.tables["household_member"].rows_checked == 1
    assert outcome.tables["household_member"].refused == 0
    assert outcome.results_file is None and outcome.quarantine_files == ()
    assert con.execute("SELECT count(*) FROM hm").fetchone() == (1,)


def test_a_view_with_refused_rows_fails_clearly(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT NULL::VARCHAR AS person_id, 'x' AS citizen_id")
    con.execute("CREATE VIEW v AS SELECT * FROM t")
    with pytest.raises(FatalError, match="Validate a base table"):
        validate_tables(con, tmp_path / "home", "run-1", {"person": "v"}, REF)
    assert duckdb.execute(
        f"SELECT rule FROM read_parquet('{quarantine.glob(tmp_path / 'home')}') ORDER BY rule"
    ).fetchall() == [("citizen_id_format",), ("person_id_not_null",)]
