"""A Great Expectations SQL data source over the pipeline's own DuckDB connection, so expectations compile to SQL.

GX 1.x ships no DuckDB data source. Through duckdb-engine, SQLAlchemy reaches DuckDB, but three things need help:
- the tables live in the caller's connection (often in memory): the engine opens cursors on that connection
  rather than opening the database again (DuckDB refuses a second open with another configuration);
- GX closes its SQLAlchemy connection before it fetches, which discards a DuckDB result: the connection is
  kept open for the whole validation, as GX does itself for SQLite;
- GX picks its regex operator by dialect: DuckDB's dialect derives from PostgreSQL's, whose ``~`` DuckDB has
  (as a full match, so our patterns are anchored).
Importing this module registers the data source type ``duckdb`` with GX (a file context needs it to load).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import duckdb
import sqlalchemy as sa
import sqlalchemy.dialects.postgresql as postgresql_dialect
from duckdb_engine import ConnectionWrapper
from great_expectations.compatibility import pydantic
from great_expectations.datasource.fluent.sql_datasource import SQLDatasource
from great_expectations.execution_engine import SqlAlchemyExecutionEngine

from grassroots.errors import FatalError

IN_MEMORY = "duckdb:///:memory:"


class DuckDBExecutionEngine(SqlAlchemyExecutionEngine):
    """SQLAlchemy execution engine that keeps one connection open and compiles regexes the PostgreSQL way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dialect_module = postgresql_dialect

    @contextmanager
    def get_connection(self) -> Iterator[sa.Connection]:
        if self._connection is None:
            self._connection = self.engine.connect()
        yield self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.engine.dispose()


class DuckDBDatasource(SQLDatasource):
    """The ``duckdb`` data source: its assets are tables and queries of the connection it is bound to."""

    type: Literal["duckdb"] = "duckdb"  # type: ignore[assignment]
    connection_string: str = IN_MEMORY  # type: ignore[assignment]

    _bound: Any = pydantic.PrivateAttr(None)

    def bind(self, con: duckdb.DuckDBPyConnection) -> None:
        """Validate the tables of ``con`` from now on (until :meth:`unbind`)."""
        self.unbind()
        # Each SQLAlchemy connection is a cursor of con: same database, same catalog, own transaction.
        engine = sa.create_engine(IN_MEMORY, creator=lambda: ConnectionWrapper(con.cursor()))
        self._bound = DuckDBExecutionEngine(engine=engine, create_temp_table=False)

    def unbind(self) -> None:
        if self._bound is not None:
            self._bound.close()
            self._bound = None

    def get_engine(self) -> sa.Engine:
        if self._bound is None:
            # Adding the data source to a context tests a connection: an empty in-memory database does.
            return super().get_engine()
        engine: sa.Engine = self._bound.engine
        return engine

    def get_execution_engine(self) -> SqlAlchemyExecutionEngine:
        if self._bound is None:
            raise FatalError("the duckdb data source is not bound to a connection; call bind(con) first")
        bound: DuckDBExecutionEngine = self._bound
        return bound
