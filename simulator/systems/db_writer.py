"""Bulk writing into the legacy databases: SQLite executemany, PostgreSQL COPY, MariaDB multi-row INSERT."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pandas as pd
import sqlalchemy as sa

from grassroots.errors import FatalError, TransientError

log = logging.getLogger(__name__)
BATCH = 50_000


def engine_for(url: str) -> sa.Engine:
    try:
        return sa.create_engine(url)
    except (sa.exc.ArgumentError, ModuleNotFoundError) as exc:
        raise FatalError(
            f"cannot use database URL for the simulated system ({exc}); pass a SQLAlchemy URL"
        ) from exc


def create_tables(engine: sa.Engine, metadata: sa.MetaData) -> None:
    """Drop and recreate the tables (a new city replaces the old one)."""
    try:
        metadata.drop_all(engine)
        metadata.create_all(engine)
    except sa.exc.OperationalError as exc:
        raise TransientError(f"cannot create the simulated tables at {engine.url!r}: {exc.orig}") from exc


def _tuples(frame: pd.DataFrame) -> Iterator[list[tuple[object, ...]]]:
    for start in range(0, len(frame), BATCH):
        part = frame.iloc[start : start + BATCH].astype(object)
        part = part.where(part.notna(), None)
        yield list(part.itertuples(index=False, name=None))


def insert_frame(conn: sa.Connection, table: sa.Table, frame: pd.DataFrame) -> None:
    """Append ``frame`` (columns named as the table's) to ``table`` with the fastest path of the dialect."""
    if frame.empty:
        return
    dialect = conn.dialect.name
    if dialect == "postgresql":
        _copy_postgres(conn, table, frame)
        return
    cols = ", ".join(_quote(conn, c) for c in frame.columns)
    marks = ", ".join(["?" if dialect == "sqlite" else "%s"] * len(frame.columns))
    sql = f"INSERT INTO {_quote(conn, table.name)} ({cols}) VALUES ({marks})"
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cur = raw.cursor()
    for batch in _tuples(frame):
        # pymysql folds executemany of a plain INSERT into multi-row statements.
        cur.executemany(sql, batch)
    cur.close()


def _quote(conn: sa.Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _copy_postgres(conn: sa.Connection, table: sa.Table, frame: pd.DataFrame) -> None:
    cols = ", ".join(_quote(conn, c) for c in frame.columns)
    raw = conn.connection.dbapi_connection
    assert raw is not None
    cur: Any = raw.cursor()
    with cur:
        for start in range(0, len(frame), BATCH):
            buf = io.StringIO()
            frame.iloc[start : start + BATCH].to_csv(buf, index=False, header=False, na_rep="\\N")
            with cur.copy(
                f"COPY {_quote(conn, table.name)} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            ) as cp:
                cp.write(buf.getvalue())


def prepare_session(conn: sa.Connection) -> None:
    """Session settings for bulk loading: SQLite without journal, MariaDB accepting zero dates."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA journal_mode=OFF")
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
    elif conn.dialect.name in ("mysql", "mariadb"):
        # The 2012 platform ran without strict mode: zero dates are stored as they come.
        conn.exec_driver_sql("SET SESSION sql_mode='NO_ENGINE_SUBSTITUTION'")


def write_tables(url: str, metadata: sa.MetaData, frames: dict[str, pd.DataFrame]) -> None:
    """Create every table of ``metadata`` and load ``frames`` (table name -> rows) in one transaction."""
    engine = engine_for(url)
    try:
        create_tables(engine, metadata)
        with engine.begin() as conn:
            prepare_session(conn)
            for name, frame in frames.items():
                log.info("writing %s rows into %s", len(frame), name)
                insert_frame(conn, metadata.tables[name], frame)
    except sa.exc.OperationalError as exc:
        raise TransientError(f"writing the simulated system failed: {exc.orig}; is the database up?") from exc
    finally:
        engine.dispose()


def update_rows(conn: sa.Connection, table: sa.Table, key: str, frame: pd.DataFrame) -> None:
    """UPDATE the columns of ``frame`` (other than ``key``) for each row, matched by ``key``."""
    if frame.empty:
        return
    cols = [c for c in frame.columns if c != key]
    # Values come as text on the simulated clock; PostgreSQL wants them cast to DATE/TIMESTAMP explicitly.
    cast = conn.dialect.name == "postgresql"
    values = {
        c: sa.cast(sa.bindparam(f"v_{i}", type_=sa.String), table.c[c].type)
        if cast
        else sa.bindparam(f"v_{i}", type_=sa.String)
        for i, c in enumerate(cols)
    }
    stmt = sa.update(table).where(table.c[key] == sa.bindparam("k_")).values(values)
    clean = frame.astype(object).where(frame.notna(), None)
    params = [
        {"k_": row[0], **{f"v_{i}": v for i, v in enumerate(row[1:])}}
        for row in clean[[key, *cols]].itertuples(index=False, name=None)
    ]
    conn.execute(stmt, params)


def delete_rows(conn: sa.Connection, table: sa.Table, key: str, keys: list[object]) -> None:
    for start in range(0, len(keys), 1000):
        conn.execute(sa.delete(table).where(table.c[key].in_(keys[start : start + 1000])))


def max_key(conn: sa.Connection, table: sa.Table, key: str) -> object:
    return conn.execute(sa.select(sa.func.max(table.c[key]))).scalar()
