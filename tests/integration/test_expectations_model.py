"""Every rule declared for every canonical table compiles and runs, in GX and in DuckDB, and the two agree."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import duckdb
import pytest

import schemas
from expectations import suites
from grassroots.pipeline.validate import validate_tables
from schemas.model import Table, create_table_sql

REF = dt.date(2026, 11, 25)
_VALUES = {
    "VARCHAR": "'x'",
    "DATE": "DATE '2000-01-01'",
    "TIMESTAMP": "TIMESTAMP '2026-01-01 08:00:00'",
    "TIMESTAMPTZ": "TIMESTAMPTZ '2026-01-01 00:00:00+00'",
    "BOOLEAN": "true",
    "INTEGER": "1",
    "BIGINT": "1",
    "DOUBLE": "1.0",
    "VARCHAR[]": "['x']",
}


def _row_sql(table: Table, key: str) -> str:
    # Every key column gets the same id, so references between the tables resolve.
    values = [f"'{key}'" if f.name.endswith("_id") else _VALUES[f.type] for f in table.fields]
    return f"INSERT INTO {table.name} VALUES ({', '.join(values)})"


@pytest.mark.slow  # eleven tables in four dependency phases, each a GX checkpoint run
def test_every_declared_rule_runs_and_gx_agrees_with_sql(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    con = duckdb.connect(str(tmp_path / "model.duckdb"))
    for name in suites.DECLARATIONS:
        table = schemas.get(name)
        con.execute(create_table_sql(table, primary_key=False))
        con.execute(_row_sql(table, "k1"))
        con.execute(_row_sql(table, "k1"))  # a duplicate: the key rules must catch it
    tables = {name: name for name in suites.DECLARATIONS}
    with caplog.at_level(logging.INFO):
        outcome = validate_tables(con, tmp_path / "home", "run-1", tables, REF)
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    ran = {(r["suite"], r["expectation"]) for r in outcome.results.to_pylist()}
    for name in suites.DECLARATIONS:
        assert outcome.tables[name].skipped_rules == (), name
        declared = suites.all_rules(suites.declaration(name), frozenset(), REF)
        assert {(name, r.name) for r in declared} <= ran
    # Duplicated keys refuse both rows of every entity; relations to refused entities follow them.
    assert all(outcome.tables[name].refused == 2 for name in suites.DECLARATIONS)
