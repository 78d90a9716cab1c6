"""Bulk full reads through DuckDB's scanners: the same text, chunked as Arrow, much faster than a Python driver.

Used where a sync reads a whole table (snapshots, the first load of a cursor table, the key sets of the deletion
check). Values are rendered exactly as the SQLAlchemy path renders them (extractors/database.py), so row hashes do
not depend on the reader; tests/integration/test_extract_bulk.py holds the two paths to that.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import sqlalchemy as sa

from extractors import scanner
from extractors.landing import quote


def supports(url: str) -> bool:
    return sa.engine.make_url(url).get_backend_name() in scanner.SCANNERS


def _generic(column_type: Any) -> Any:
    try:
        return column_type.as_generic()
    except NotImplementedError:
        return column_type


def _postgres_text_sql(column: sa.Column[Any]) -> str:
    """PostgreSQL values as the SQLAlchemy path renders them (timestamps without a zero fraction, timestamptz in
    UTC with +0000)."""
    name, generic = quote(column.name), _generic(column.type)
    if isinstance(generic, sa.DateTime) and generic.timezone:
        return f"replace(strftime(timezone('UTC', {name}), '%Y-%m-%d %H:%M:%S.%f'), '.000000', '') || '+0000'"
    if isinstance(generic, sa.DateTime):
        return f"replace(strftime({name}, '%Y-%m-%d %H:%M:%S.%f'), '.000000', '')"
    if isinstance(generic, sa.Float):  # Arrow writes an integral double without ".0"
        return (
            f"CASE WHEN {name} = trunc({name}) AND abs({name}) < 1e15 THEN CAST(CAST({name} AS BIGINT) AS VARCHAR) "
            f"ELSE CAST({name} AS VARCHAR) END"
        )
    return f"CAST({name} AS VARCHAR)"


def _mysql_quote(identifier: str) -> str:
    return "`" + identifier.replace("`", "``") + "`"


def read_sql(backend: str, table: sa.Table, columns: list[str], alias: str = "src") -> str:
    """DuckDB SQL reading ``columns`` of ``table`` as text."""
    if backend == "sqlite":  # read with sqlite_all_varchar: SQLite's own text
        return f"SELECT {', '.join(quote(c) for c in columns)} FROM {alias}.{quote(table.name)}"
    if backend in ("mysql", "mariadb"):
        # MariaDB renders its own text (zero dates included) and the scanner passes it through
        inner = ", ".join(f"CAST({_mysql_quote(c)} AS CHAR) AS {_mysql_quote(c)}" for c in columns)
        pushed = f"SELECT {inner} FROM {_mysql_quote(table.name)}".replace("'", "''")
        return f"SELECT * FROM mysql_query('{alias}', '{pushed}')"
    cols = ", ".join(f"{_postgres_text_sql(table.c[c])} AS {quote(c)}" for c in columns)
    return f"SELECT {cols} FROM {alias}.public.{quote(table.name)}"


class BulkReader:
    """One DuckDB connection with the source attached, reused for every whole-table read of a sync (attaching
    loads the extension and reads the catalog: too slow to repeat per table)."""

    def __init__(self, url: str) -> None:
        self.backend = sa.engine.make_url(url).get_backend_name()
        self.con = scanner.connect(url)

    def close(self) -> None:
        self.con.close()

    def stream(self, table: sa.Table, columns: list[str], chunk_rows: int) -> Iterator[pa.Table]:
        """Whole-table chunks of text columns."""
        schema = pa.schema([pa.field(c, pa.string()) for c in columns])
        # One read at a time on the connection: its session holds the scanner settings (sqlite_all_varchar).
        reader = self.con.execute(read_sql(self.backend, table, columns)).fetch_record_batch(chunk_rows)
        for batch in reader:
            yield pa.Table.from_batches([batch]).cast(schema)
