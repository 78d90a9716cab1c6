"""The tables resolution hands to publishing: names and columns from schemas/."""

from __future__ import annotations

import duckdb

import schemas
from schemas.model import Table
from schemas.relations import EVENT_REPORT

__all__ = ["EVENT_REPORT", "create_empty", "select_as_sql"]


def select_as_sql(table: Table, source: str) -> str:
    """The model's columns of ``table``, in order and cast, from a source query with those names."""
    cols = ", ".join(f'CAST("{f.name}" AS {f.type}) AS "{f.name}"' for f in table.fields)
    return f"SELECT {cols} FROM ({source})"


def create_empty(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    con.execute(f'DROP TABLE IF EXISTS "{table.name}"')
    con.execute(schemas.create_table_sql(table, primary_key=False))


def write_union(con: duckdb.DuckDBPyConnection, table: Table, parts: list[str]) -> None:
    """Create ``table`` as the union of the temp tables ``parts`` (an empty table when there is none)."""
    if not parts:
        create_empty(con, table)
        return
    union = " UNION ALL BY NAME ".join(f"SELECT * FROM {p}" for p in parts)
    con.execute(f'CREATE OR REPLACE TABLE "{table.name}" AS {select_as_sql(table, union)}')


def event_report_sql() -> str:
    return """
        SELECT m.entity_id AS event_id, m.source_system, m.source_table, m.record_key, m.occurred_at, m.type,
               m.status, s.match_rule
        FROM _members_event m JOIN _src_event s ON s.source_system = m.source_system
             AND s.source_table = m.source_table AND s.record_key = m.record_key
    """
