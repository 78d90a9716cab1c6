"""The failing rows of a suite, found in DuckDB with the same predicates GX evaluates, masked for the quarantine.

GX gives the official counts; these builders find *which* rows fail, in one vectorized statement per table, so that
blocking failures can leave the table and every failure can be written to the quarantine without a row loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import schemas
from expectations import staging
from expectations.rules import Rule, literal, quote
from expectations.suites import Suite
from schemas.masking import mask_sql
from schemas.model import Field

ROW_ID = "__row_id"
BATCH = "_batch"
# A twin of grassroots.privacy.mask_text: 18/15-digit IDs keep 6 + 4, mobiles keep 3 + 4. RE2 has no look-behind,
# so a digit run longer than an ID or a mobile is masked too: erring towards masking is the safe side.
_ID_18 = r"([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])"
_ID_15 = r"([0-9]{6})[0-9]{5}([0-9]{4})"
_MOBILE = r"(1[3-9][0-9])[0-9]{4}([0-9]{4})"


def mask_text_sql(expr: str) -> str:
    """Mask every citizen ID and mobile number inside a text expression."""
    ids = f"regexp_replace(regexp_replace({expr}, '{_ID_18}', '\\1********\\2', 'g'), '{_ID_15}', '\\1*****\\2', 'g')"
    return f"regexp_replace({ids}, '{_MOBILE}', '\\1****\\2', 'g')"


def batch_sql(suite: Suite, *, row_id: str | None = None, columns: Iterable[str] | None = None) -> str:
    """The relation the rules read: the table (or only ``columns`` of it) with the derived columns, and a row id
    (``rowid`` of a base table, to delete by)."""
    cols = [f"{row_id} AS {ROW_ID}"] if row_id else []
    cols.extend(["*"] if columns is None else [quote(c) for c in sorted(columns)])
    cols.extend(f"{d.sql} AS {quote(name)}" for name, d in suite.derived.items())
    return f"SELECT {', '.join(cols)} FROM {suite.table}"


def _read_columns(suite: Suite, columns: frozenset[str]) -> set[str]:
    """The table's columns the failure query needs: the rules', the derived columns' inputs, key and source."""
    wanted = {c for r in suite.rules for c in r.columns} | {
        c for d in suite.derived.values() for c in d.inputs
    }
    wanted |= {"source_system", *staging.KEY_COLUMNS, *_primary_key(suite.canonical)}
    return (wanted - set(suite.derived)) & columns


def _field(suite: Suite, column: str) -> Field | None:
    try:
        return schemas.get(suite.canonical).field(suite.aliases.get(column, column))
    except KeyError:
        return None


def _primary_key(canonical: str) -> tuple[str, ...]:
    try:
        return schemas.get(canonical).primary_key
    except KeyError:
        return ()


def value_sql(suite: Suite, rule: Rule) -> str:
    """The offending value(s) of a rule, masked as analysts would see them, then scrubbed of IDs and mobiles."""
    parts = []
    for column in rule.columns:
        f = _field(suite, column)
        expr = quote(column)
        shown = mask_sql(f, expr) if f is not None else expr
        parts.append(
            f"CAST({shown} AS VARCHAR)"
            if len(rule.columns) == 1
            else f"'{column}=' || coalesce(CAST({shown} AS VARCHAR), 'NULL')"
        )
    joined = parts[0] if len(parts) == 1 else " || '; ' || ".join(parts)
    return mask_text_sql(joined)


def record_key_sql(suite: Suite, columns: frozenset[str]) -> str:
    """What identifies the record to the people who fix it: the source key in staging, else the primary key."""
    source_key = next((c for c in staging.KEY_COLUMNS if c in columns), None)
    if source_key is not None:
        key = [source_key]
    else:
        key = [c for c in _primary_key(suite.canonical) if c in columns]
    if not key:
        return "NULL"
    joined = " || '|' || ".join(f"coalesce(CAST({quote(c)} AS VARCHAR), '')" for c in key)
    return mask_text_sql(joined)


def failures_sql(
    suite: Suite, columns: frozenset[str], tables: Mapping[str, str], *, base_table: bool = True
) -> str:
    """One row per failing (row, rule): row id, rule, severity, reason, masked value, record key, source.

    A view has no rowid: its rows are numbered instead, enough to count them (nothing can be deleted from it).
    """
    source = "CAST(source_system AS VARCHAR)" if "source_system" in columns else "NULL"
    key = record_key_sql(suite, columns)
    branches = [
        f"SELECT {ROW_ID} AS row_id, {literal(rule.name)} AS rule, {literal(rule.severity)} AS severity, "
        f"{literal(rule.reason)} AS reason, CAST({value_sql(suite, rule)} AS VARCHAR) AS value_masked, "
        f"CAST({key} AS VARCHAR) AS record_key, CAST({source} AS VARCHAR) AS source "
        f"FROM {BATCH} WHERE {rule.failing_sql(BATCH, tables)}"
        for rule in suite.rules
    ]
    if not branches:
        branches = [
            "SELECT NULL::UBIGINT AS row_id, NULL::VARCHAR AS rule, NULL::VARCHAR AS severity, "
            "NULL::VARCHAR AS reason, NULL::VARCHAR AS value_masked, NULL::VARCHAR AS record_key, "
            "NULL::VARCHAR AS source WHERE FALSE"
        ]
    union = "\nUNION ALL\n".join(branches)
    # Materialized once, with only the columns read: every rule's branch scans the narrow copy.
    row_id = "rowid" if base_table else "row_number() OVER ()"
    narrow = batch_sql(suite, row_id=row_id, columns=_read_columns(suite, columns))
    return f"WITH {BATCH} AS MATERIALIZED ({narrow})\n{union}"


def quarantine_sql(failures: str, run_id: str, table: str) -> str:
    """The failures as quarantine rows (grassroots.quarantine.SCHEMA), already masked."""
    return (
        f"SELECT {literal(run_id)} AS run_id, 'validate' AS stage, coalesce(source, 'canonical') AS source, "
        f"{literal(table)} AS table_or_file, record_key, CAST(NULL AS BIGINT) AS line, rule, reason, "
        f"value_masked, severity, now() AS occurred_at FROM {failures}"
    )


def delete_refused_sql(table: str, failures: str) -> str:
    """Remove from the table every row that failed a blocking rule."""
    return f"DELETE FROM {table} WHERE rowid IN (SELECT row_id FROM {failures} WHERE severity = 'error')"
