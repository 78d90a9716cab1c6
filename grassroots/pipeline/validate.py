"""Validate the build's DuckDB tables against the declared expectations (expectations/), on every build.

GX evaluates each suite as SQL over the live connection and writes results and Data Docs; the same predicates find
the failing rows in DuckDB. Rows failing a blocking (``error``) rule are written to the quarantine and removed from
their table; rows failing a ``warning`` rule are quarantined as warnings and kept. Nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

import schemas
from expectations import failures, gx_run, results, suites
from expectations.gx_run import GxResult
from expectations.suites import Suite
from grassroots import quarantine
from grassroots.errors import FatalError
from grassroots.home import Home
from schemas import codes

logger = logging.getLogger(__name__)

_FAILURES = "_validate_failures"


@dataclass(frozen=True)
class TableOutcome:
    """What validation did to one table."""

    table: str
    suite: str
    rows_checked: int
    refused: int  # rows that failed a blocking rule: quarantined and removed
    warned: int  # rows kept that failed at least one warning rule
    skipped_rules: tuple[str, ...]


@dataclass(frozen=True)
class ValidationOutcome:
    """The run's verdict: per table, per rule (schemas' validation_result rows), and where it was written."""

    run_id: str
    tables: dict[str, TableOutcome]
    results: pa.Table
    results_file: Path | None
    quarantine_files: tuple[Path, ...]
    data_docs: Path

    @property
    def refused(self) -> int:
        return sum(t.refused for t in self.tables.values())

    @property
    def failed_rules(self) -> list[dict[str, Any]]:
        """Rules that found at least one bad row, as GX's whole-table result rows (the per-source rows left out)."""
        return [r for r in self.results.to_pylist() if not r["success"] and r["source"] is None]


def validate_tables(
    con: duckdb.DuckDBPyConnection,
    home: Home | Path,
    run_id: str,
    tables: Mapping[str, str],
    reference_date: dt.date,
) -> ValidationOutcome:
    """Validate ``tables`` (canonical name -> DuckDB table, e.g. ``{"person": "stg_person"}``) in place.

    Tables another one references (entities before the relations that point to them) are validated first, so
    a relation to a refused entity is refused too. ``reference_date`` is "today" for age and not-in-future rules.
    """
    home = home if isinstance(home, Home) else Home(Path(home))
    context = gx_run.open_context(home)
    outcomes: dict[str, TableOutcome] = {}
    rows: list[dict[str, Any]] = []
    written: list[Path] = []
    for phase in phases(tables, reference_date):
        built = [_suite(con, canonical, tables, reference_date) for canonical in phase]
        batches = {s.name: failures.batch_sql(s) for s in built}
        started = time.perf_counter()
        verdicts = gx_run.run(context, con, run_id, built, batches, tables)
        logger.info("GX validated %s in %.1f s", [s.table for s in built], time.perf_counter() - started)
        for suite in built:
            mine = [v for v in verdicts if v.suite == suite.name]
            outcome, path, by_source = _apply(con, home, run_id, suite, tables, mine)
            outcomes[suite.canonical] = outcome
            written.extend([path] if path else [])
            rows.extend(results.rows(run_id, suite, mine, outcome.rows_checked, by_source))
    table = results.table(rows)
    results_file = results.write(home, run_id, table)
    logger.info(
        "validated %d tables: %d rows refused, %d rules failed; results in %s",
        len(outcomes),
        sum(o.refused for o in outcomes.values()),
        sum(1 for r in rows if not r["success"] and r["source"] is None),
        results_file,
    )
    return ValidationOutcome(run_id, outcomes, table, results_file, tuple(written), gx_run.index_html(home))


def phases(tables: Mapping[str, str], reference_date: dt.date) -> list[list[str]]:
    """Canonical tables in the order to validate them: each after every other table its rules read."""
    needs = {c: _references(c, reference_date) & set(tables) - {c} for c in tables}
    done: set[str] = set()
    order: list[list[str]] = []
    while len(done) < len(needs):
        ready = sorted(c for c, n in needs.items() if c not in done and n <= done)
        if not ready:
            raise ValueError(f"tables reference each other in a cycle: {sorted(set(needs) - done)}")
        order.append(ready)
        done.update(ready)
    return order


def _references(canonical: str, reference_date: dt.date) -> set[str]:
    decl = suites.declaration(canonical)
    everything = frozenset(f.name for f in decl.table.fields) | {
        "source_system",
        "source_table",
        "source_key",
    }
    return {ref for rule in suites.all_rules(decl, everything, reference_date) for ref in rule.references}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> frozenset[str]:
    return frozenset(row[0] for row in con.execute(f"DESCRIBE {table}").fetchall())


def _suite(
    con: duckdb.DuckDBPyConnection, canonical: str, tables: Mapping[str, str], reference_date: dt.date
) -> Suite:
    # Only a table holding an entity's key can be pointed to: a staging table (no person_id yet) cannot.
    referable = {c: t for c, t in tables.items() if set(schemas.get(c).primary_key) <= _columns(con, t)}
    return suites.build(
        canonical, tables[canonical], _columns(con, tables[canonical]), reference_date, referable
    )


def _apply(
    con: duckdb.DuckDBPyConnection,
    home: Home,
    run_id: str,
    suite: Suite,
    tables: Mapping[str, str],
    verdicts: Sequence[GxResult],
) -> tuple[TableOutcome, Path | None, dict[str, results.SourceCounts]]:
    """Find the failing rows, quarantine them all, then remove the refused ones from the table."""
    started = time.perf_counter()
    columns = _columns(con, suite.table)
    base_table = _is_base_table(con, suite.table)
    found = failures.failures_sql(suite, columns, tables, base_table=base_table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_FAILURES} AS {found}")
    _check_agreement(con, suite, verdicts)
    (rows_checked,) = _one(con, f"SELECT count(*) FROM {suite.table}")
    refused, warned = _one(
        con,
        f"SELECT count(DISTINCT row_id) FILTER (severity = 'error'), "
        f"count(DISTINCT row_id) FILTER (severity = 'warning' AND row_id NOT IN "
        f"(SELECT row_id FROM {_FAILURES} WHERE severity = 'error')) FROM {_FAILURES}",
    )
    by_source = _source_counts(con, suite.table, columns)
    rows = con.execute(failures.quarantine_sql(_FAILURES, run_id, suite.table)).fetch_arrow_table()
    # Quarantine first: if the delete fails, a row is in both places, never in neither.
    path = quarantine.write(home.root, "validate", rows)
    if refused:
        _delete_refused(con, suite.table, base_table)
    con.execute(f"DROP TABLE {_FAILURES}")
    logger.info(
        "%s: %d rows checked, %d refused, %d kept with warnings (%.1f s)",
        suite.table,
        rows_checked,
        refused,
        warned,
        time.perf_counter() - started,
    )
    return (
        TableOutcome(suite.table, suite.name, rows_checked, refused, warned, suite.skipped),
        path,
        by_source,
    )


def _is_base_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Only a base table has a rowid to delete refused rows by."""
    try:
        con.execute(f"SELECT rowid FROM {table} LIMIT 0")
    except duckdb.BinderException:
        return False
    return True


def _delete_refused(con: duckdb.DuckDBPyConnection, table: str, base_table: bool) -> None:
    if not base_table:
        con.execute(f"DROP TABLE {_FAILURES}")
        raise FatalError(
            f"cannot remove the refused rows from {table}: it is a view or an external file. Validate a base "
            "table (CREATE TABLE ... AS SELECT ...); the refused rows are already in the quarantine"
        )
    con.execute(failures.delete_refused_sql(table, _FAILURES))


def _source_counts(
    con: duckdb.DuckDBPyConnection, table: str, columns: frozenset[str]
) -> dict[str, results.SourceCounts]:
    """Rows and failing rows per rule for each known source system of a staging table (before the delete)."""
    if "source_system" not in columns:
        return {}
    known = ", ".join(f"'{s}'" for s in codes.names("source_system"))
    totals = con.execute(
        f"SELECT source_system, count(*) FROM {table} WHERE source_system IN ({known}) GROUP BY ALL"
    ).fetchall()
    out = {system: results.SourceCounts(rows, {}) for system, rows in totals}
    for system, rule, n in con.execute(
        f"SELECT source, rule, count(*) FROM {_FAILURES} WHERE source IN ({known}) GROUP BY ALL"
    ).fetchall():
        out[system].failing[rule] = n
    return out


def _check_agreement(con: duckdb.DuckDBPyConnection, suite: Suite, verdicts: Sequence[GxResult]) -> None:
    """GX's count and the rows found in SQL come from one declaration; a difference is a bug in a rule."""
    found = dict(con.execute(f"SELECT rule, count(*) FROM {_FAILURES} GROUP BY rule").fetchall())
    for v in verdicts:
        if v.unexpected_count is not None and v.unexpected_count != found.get(v.rule, 0):
            logger.error(
                "%s: rule %s: GX counts %d failing rows, the quarantine query finds %d; the quarantine follows "
                "the query, report this rule as a defect",
                suite.table,
                v.rule,
                v.unexpected_count,
                found.get(v.rule, 0),
            )


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[Any, ...]:
    row = con.execute(sql).fetchone()
    assert row is not None
    return tuple(row)
