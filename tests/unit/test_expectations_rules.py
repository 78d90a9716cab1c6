"""Each kind of rule catches its bad rows and passes the good ones, and GX counts exactly the rows the SQL finds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from expectations import checks, failures, gx_run
from expectations.rules import Between, InSet, Matches, NotInSet, NotNull, PairEqual, Predicate, Rule, Unique
from expectations.suites import Suite
from grassroots.home import Home

REF = dt.date(2026, 11, 25)

ROWS = """
    ('k1', '1', '429004198503051239', '13972800000', DATE '1985-03-05', 40, 'x', 'x', 'u1', 'a', 'b'),
    ('k2', NULL, '429004198503051238', '13800000000', DATE '2030-01-01', 121, 'x', 'y', 'u2', 'a', 'c'),
    ('k3', '7', NULL, '12345', NULL, NULL, NULL, 'z', 'u2', 'a', 'b'),
    ('k4', '2', '11010519491231002X', NULL, DATE '1899-12-31', -1, 'q', 'q', NULL, 'a', NULL),
    ('k5', '1', NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'a', NULL)
"""
COLUMNS = "source_key, code, id, phone, d, n, a, b, uq, x1, x2"

RULES: tuple[Rule, ...] = (
    NotNull("code_not_null", "error", "code is empty", ("code",)),
    InSet("code_in_set", "warning", "code unknown", ("code",), values=("1", "2")),
    NotInSet("phone_not_placeholder", "warning", "placeholder", ("phone",), values=("13800000000",)),
    Matches("phone_format", "warning", "not a mobile", ("phone",), regex=checks.MOBILE),
    Between("d_range", "error", "bad date", ("d",), min_value=dt.date(1900, 1, 1), max_value=REF),
    Between("n_range", "warning", "bad age", ("n",), min_value=0, max_value=120),
    Unique("uq_unique", "error", "duplicate", ("uq",)),
    Unique("pair_unique", "error", "duplicate pair", ("x1", "x2")),
    PairEqual("a_equals_b", "warning", "a and b differ", ("a", "b")),
    Predicate(
        "id_check_char", "error", "bad check", ("id",), predicate=checks.citizen_id_bad_check_sql("id")
    ),
)

EXPECTED = {
    "code_not_null": {"k2"},
    "code_in_set": {"k3"},
    "phone_not_placeholder": {"k2"},
    "phone_format": {"k3"},
    "d_range": {"k2", "k4"},
    "n_range": {"k2", "k4"},
    "uq_unique": {"k2", "k3"},
    "pair_unique": {"k1", "k3"},
    "a_equals_b": {"k2"},
    "id_check_char": {"k2"},
}


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE t AS SELECT * FROM (VALUES {ROWS}) v({COLUMNS})")
    return con


@pytest.fixture
def suite() -> Suite:
    return Suite(name="t", canonical="t", table="t", rules=RULES, derived={}, skipped=())


def test_sql_predicates_find_exactly_the_bad_rows(con: duckdb.DuckDBPyConnection, suite: Suite) -> None:
    sql = failures.failures_sql(suite, frozenset(COLUMNS.split(", ")), {})
    found: dict[str, set[str]] = {}
    for rule, key in con.execute(f"SELECT rule, record_key FROM ({sql})").fetchall():
        found.setdefault(rule, set()).add(key)
    assert found == EXPECTED


def test_gx_counts_the_same_rows_as_sql(con: duckdb.DuckDBPyConnection, suite: Suite, tmp_path: Path) -> None:
    home = Home(tmp_path)
    verdicts = gx_run.run(gx_run.open_context(home), con, "r1", [suite], {"t": failures.batch_sql(suite)}, {})
    counts = {v.rule: v.unexpected_count for v in verdicts}
    assert counts == {rule: len(keys) for rule, keys in EXPECTED.items()}
    assert all(not v.success for v in verdicts)
    by_rule = {v.rule: v for v in verdicts}
    assert by_rule["code_not_null"].element_count == 5
    assert by_rule["code_not_null"].column == "code"
    assert by_rule["pair_unique"].expectation_type == "expect_compound_columns_to_be_unique"


def test_good_rows_pass_every_rule(con: duckdb.DuckDBPyConnection, suite: Suite, tmp_path: Path) -> None:
    con.execute("DELETE FROM t WHERE source_key <> 'k1'")
    verdicts = gx_run.run(
        gx_run.open_context(Home(tmp_path)), con, "r1", [suite], {"t": failures.batch_sql(suite)}, {}
    )
    assert {v.rule for v in verdicts if not v.success} == set()
    assert con.execute(
        f"SELECT count(*) FROM ({failures.failures_sql(suite, frozenset(COLUMNS.split(', ')), {})})"
    ).fetchone() == (0,)
