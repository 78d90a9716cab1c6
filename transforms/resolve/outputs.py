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


def create_empty(con: duckdb.DuckDBPyConnection, table: Table, name: str | None = None) -> None:
    """An empty ``table`` under ``name`` (a qualified name; default the table's own)."""
    target = name or f'"{table.name}"'
    con.execute(f"DROP TABLE IF EXISTS {target}")
    con.execute(schemas.create_table_sql(table, target, primary_key=False))


def _union(table: Table, parts: list[str]) -> str:
    union = " UNION ALL BY NAME ".join(f"SELECT * FROM {p}" for p in parts)
    return select_as_sql(table, union)


def write_union(
    con: duckdb.DuckDBPyConnection, table: Table, parts: list[str], name: str | None = None
) -> None:
    """Create ``table`` (under ``name``) as the union of the temp tables ``parts`` (empty when there is none)."""
    if not parts:
        create_empty(con, table, name)
        return
    con.execute(f"CREATE OR REPLACE TABLE {name or chr(34) + table.name + chr(34)} AS {_union(table, parts)}")


def insert_union(con: duckdb.DuckDBPyConnection, table: Table, parts: list[str], name: str) -> None:
    """Append the union of the temp tables ``parts`` to the existing table ``name``."""
    if parts:
        con.execute(f"INSERT INTO {name} BY NAME {_union(table, parts)}")


def event_report_sql() -> str:
    return """
        SELECT m.entity_id AS event_id, m.source_system, m.source_table, m.record_key, m.occurred_at, m.type,
               m.status, s.match_rule
        FROM _members_event m JOIN _src_event s ON s.source_system = m.source_system
             AND s.source_table = m.source_table AND s.record_key = m.record_key
    """
