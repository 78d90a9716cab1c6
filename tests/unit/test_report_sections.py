"""The report's SQL on tiny inline tables: current rows, scorecard, match rates, problems and the empty-input case."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from grassroots.errors import FatalError
from grassroots.report import current, dimensions, matching, problems, trends
from grassroots.report.inputs import ReportInputs, bind

QUARANTINE = """
SELECT * FROM (VALUES
  ('r1', 'extract', 'grid', 'JC_RK', 'A', NULL, 'id_checksum', 'bad id', '4290****', 'error', TIMESTAMPTZ '2026-11-01 00:00:00+00'),
  ('r2', 'extract', 'grid', 'JC_RK', 'B', NULL, 'id_checksum', 'bad id', '4290****', 'error', TIMESTAMPTZ '2026-11-02 00:00:00+00'),
  ('r2', 'extract', 'grid', 'JC_RK', 'C', NULL, 'phone', 'bad phone', NULL, 'warning', TIMESTAMPTZ '2026-11-02 00:00:00+00'),
  ('r1', 'validate', 'civil', 'mz_person', '7', NULL, 'ethnicity', 'bad code', 'x', 'warning', TIMESTAMPTZ '2026-11-01 00:00:00+00')
) AS t(run_id, stage, source, table_or_file, record_key, line, rule, reason, value_masked, severity, occurred_at)
"""

VALIDATION = """
SELECT * FROM (VALUES
  ('v1', 's', 'nn', 'expect_column_values_to_not_be_null', 'grid', 'JC_RK', 'GMSFHM', false, 100, 50, 50.0, 'error', TIMESTAMPTZ '2026-11-01 00:00:00+00'),
  ('v2', 's', 'nn', 'expect_column_values_to_not_be_null', 'grid', 'JC_RK', 'GMSFHM', false, 100, 10, 10.0, 'error', TIMESTAMPTZ '2026-11-02 00:00:00+00'),
  ('v2', 's', 're', 'expect_column_values_to_match_regex', 'grid', 'JC_RK', 'GMSFHM', false, 100, 4, 4.0, 'warning', TIMESTAMPTZ '2026-11-02 00:00:00+00'),
  ('v2', 's', 'uq', 'expect_column_values_to_be_unique', 'grid', 'JC_RK', 'RYBH', true, 100, 0, 0.0, 'error', TIMESTAMPTZ '2026-11-02 00:00:00+00')
) AS t(run_id, suite, expectation, expectation_type, source, table_name, column_name, success, element_count,
       unexpected_count, unexpected_percent, severity, validated_at)
"""

ENTITY_SOURCE = """
SELECT entity_kind, entity_id, source_system, source_table, record_key, NULL AS load_id, NULL AS match_rule,
       NULL::DOUBLE AS match_weight, 'x' AS run_id
FROM (VALUES ('person', 'P1', 'grid', 'JC_RK', 'A'), ('person', 'P1', 'police', 'HJRK', 'k1'),
             ('person', 'P2', 'grid', 'JC_RK', 'B'), ('person', 'P2', 'police', 'HJRK', 'k2'),
             ('person', 'P3', 'grid', 'JC_RK', 'C'), ('person', 'P4', 'grid', 'JC_RK', 'D'))
     AS t(entity_kind, entity_id, source_system, source_table, record_key)
"""

FINDING = """
SELECT * FROM (VALUES
  ('f1', 'person', 'P1', 'sex', 'conflict', ['grid', 'police'], ['1', '2'], TIMESTAMPTZ '2026-11-01 00:00:00+00'),
  ('f1', 'person', 'P2', 'sex', 'conflict', ['grid', 'police'], ['1', '2'], TIMESTAMPTZ '2026-11-01 00:00:00+00'),
  ('f2', 'person', 'P1', 'sex', 'conflict', ['grid', 'police'], ['1', '2'], TIMESTAMPTZ '2026-11-02 00:00:00+00')
) AS t(run_id, entity_kind, entity_id, field, kind, systems, values_masked, detected_at)
"""


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, sql in {
        "q": QUARANTINE,
        "v": VALIDATION,
        "es": ENTITY_SOURCE,
        "f": FINDING,
    }.items():
        con.execute(f"CREATE TABLE {name} AS {sql}")
    bind(con, ReportInputs(quarantine="q", validation_result="v", entity_source="es", finding="f"))
    current.create(con)
    return con


def _dicts(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, object]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def test_current_rows_are_the_latest_run_per_stage_and_source(con: duckdb.DuckDBPyConnection) -> None:
    keys = sorted(
        r[0] for r in con.execute(f"SELECT record_key FROM {current.CURRENT_QUARANTINE}").fetchall()
    )
    # grid's latest extract run is r2 (B, C); civil's only validate run is r1 (7); A belongs to the older grid run.
    assert keys == ["7", "B", "C"]
    assert con.execute(f"SELECT DISTINCT run_id FROM {current.CURRENT_FINDING}").fetchall() == [("f2",)]


def test_scorecard_scores_each_dimension_from_the_latest_validation_run(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = {(r["source"], r["entity_kind"]): r for r in _dicts(con, dimensions.scorecard_sql())}
    grid = rows[("grid", "person")]
    assert grid["completeness"] == pytest.approx(0.90)  # v2: 10 of 100 null
    assert grid["validity"] == pytest.approx(0.96)
    assert grid["uniqueness"] == pytest.approx(1.0)
    # grid shares P1 and P2 with the police; the latest findings dispute P1 only.
    assert grid["consistency"] == pytest.approx(0.5)
    assert (grid["records"], grid["refused"], grid["warned"]) == (4, 1, 1)
    assert grid["last_checked"] == datetime(2026, 11, 2)  # the newest validation of any run, in UTC
    assert rows[("police", "person")]["consistency"] == pytest.approx(0.5)
    assert (
        rows[("civil", "person")]["warned"] == 1
    )  # mz_person: not in entity_source, but named after its kind


def test_dimension_of_expectation_types() -> None:
    con = duckdb.connect()
    cases = {
        "expect_column_values_to_not_be_null": "completeness",
        "expect_compound_columns_to_be_unique": "uniqueness",
        "expect_column_pair_values_to_be_equal": "consistency",
        "expect_column_values_to_match_regex": "validity",
    }
    for expectation_type, dimension in cases.items():
        got = con.execute(f"SELECT {dimensions.dimension_sql(repr(expectation_type))}").fetchone()
        assert got == (dimension,)


def test_match_rates_in_both_directions(con: duckdb.DuckDBPyConnection) -> None:
    rates = {(r["system"], r["other"]): r for r in _dicts(con, matching.match_rates_sql())}
    assert (rates[("grid", "police")]["entities"], rates[("grid", "police")]["both_known"]) == (4, 2)
    assert rates[("grid", "police")]["rate"] == pytest.approx(0.5)
    assert rates[("police", "grid")]["rate"] == pytest.approx(1.0)


def test_top_problems_merge_quarantine_and_findings(con: duckdb.DuckDBPyConnection) -> None:
    top = _dicts(con, problems.top_problems_sql(10))
    origins = {(r["origin"], r["rule"]) for r in top}
    assert ("quarantine", "id_checksum") in origins
    assert ("finding", "conflict") in origins
    finding = next(r for r in top if r["origin"] == "finding")
    assert finding["examples"] == ["grid=1; police=2"]
    assert finding["what"] == "取值冲突 conflicting values"


def test_trends_keep_the_last_runs_oldest_first(con: duckdb.DuckDBPyConnection) -> None:
    runs = [r["run_id"] for r in _dicts(con, trends.validation_trend_sql(1))]
    assert runs == ["v2"]
    shares = [r["failing_share"] for r in _dicts(con, trends.validation_trend_sql(10))]
    assert shares == pytest.approx([0.5, 14 / 300])
    assert [r["run_id"] for r in _dicts(con, trends.finding_trend_sql(10))] == ["f1", "f2"]


def test_missing_inputs_are_empty_views() -> None:
    con = duckdb.connect()
    present = bind(con, ReportInputs())
    assert not any(present.values())
    current.create(con)
    assert _dicts(con, dimensions.scorecard_sql()) == []
    assert _dicts(con, trends.freshness_summary_sql(30))[0]["grids"] == 0


def test_an_input_without_the_declared_columns_is_a_fatal_error() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE wrong AS SELECT 1 AS x")
    with pytest.raises(FatalError, match="does not have the declared columns"):
        bind(con, ReportInputs(finding="wrong"))
