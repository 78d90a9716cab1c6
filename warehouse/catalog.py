"""Questions asked of an attached lake's catalog: which tables and columns exist, which snapshots were taken."""

from __future__ import annotations

import duckdb


def table_columns(
    con: duckdb.DuckDBPyConnection, alias: str, schema: str, table: str
) -> list[tuple[str, str]]:
    """(name, type) of a table's columns in order; empty when the table does not exist."""
    rows = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = ? AND table_name = ? ORDER BY column_index",
        [alias, schema, table],
    ).fetchall()
    return [(str(name), str(type_)) for name, type_ in rows]


def relation_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    """(name, type) of any relation's columns."""
    return [(str(d[0]), str(d[1])) for d in con.sql(f"SELECT * FROM {relation} LIMIT 0").description]


def tables(con: duckdb.DuckDBPyConnection, alias: str, schema: str) -> list[str]:
    """Names of the tables and views of one schema of an attached lake."""
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
        "UNION SELECT view_name FROM duckdb_views() WHERE database_name = ? AND schema_name = ? ORDER BY 1",
        [alias, schema, alias, schema],
    ).fetchall()
    return [str(r[0]) for r in rows]


def last_snapshot(con: duckdb.DuckDBPyConnection, alias: str) -> int:
    """The id of the newest committed snapshot of a lake."""
    row = con.execute(f"SELECT max(snapshot_id) FROM {alias}.snapshots()").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def snapshots_sql(alias: str) -> str:
    """Snapshots with the run that made each, timestamps as text (no pytz needed to fetch them)."""
    return (
        f"SELECT snapshot_id, strftime(snapshot_time AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%fZ') AS snapshot_time, "
        f"commit_message, json_extract_string(commit_extra_info, '$.run_id') AS run_id "
        f"FROM {alias}.snapshots() ORDER BY snapshot_id"
    )
