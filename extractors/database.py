"""Reading a relational source through SQLAlchemy: reflect a table, stream it in chunks, render values as text.

Values land as text exactly as the source holds them: SQLite and MariaDB values as the database's own text (zero
dates kept verbatim), PostgreSQL values rendered from their types (dates ISO, timestamptz as the UTC instant with
+0000); typing belongs to the staging stage. Chunks come from a server-side cursor and never hold the table.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import sqlalchemy as sa

from grassroots.errors import FatalError, TransientError


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "<unparseable URL>"


def _require_sqlite_file(url: str) -> None:
    """SQLite would silently create an empty file: a missing source must fail instead."""
    parsed = sa.engine.make_url(url) if "://" in url else None
    if parsed is None or parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return
    if not Path(parsed.database).exists():
        raise FatalError(
            f"the SQLite source {parsed.database} does not exist; run `grassroots simulate` or set the *_URL setting"
        )


def connect(url: str) -> sa.Engine:
    """An engine for a source; an unreachable source is a TransientError (retry), a bad URL a FatalError."""
    _require_sqlite_file(url)
    try:
        engine = sa.create_engine(url, pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise FatalError(f"cannot use the source URL {safe_url(url)}: {exc}. Fix the *_URL setting.") from exc
    try:
        with engine.connect():
            pass
    except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
        engine.dispose()
        raise TransientError(
            f"source {safe_url(url)} is not reachable ({type(exc.orig).__name__}); retry"
        ) from exc
    return engine


def _generic(column_type: Any) -> Any:
    try:
        return column_type.as_generic()
    except NotImplementedError:  # a dialect-only type (e.g. PostgreSQL INTERVAL variants)
        return column_type


def _type_name(column_type: Any) -> str:
    """A dialect-neutral type family, so VARCHAR(50) -> VARCHAR(100) is not drift but VARCHAR -> DATE is."""
    generic = _generic(column_type)
    name = type(generic).__name__
    if isinstance(generic, sa.DateTime) and generic.timezone:
        name += "(tz)"
    return name


def reflect(engine: sa.Engine, name: str) -> sa.Table:
    try:
        return sa.Table(name, sa.MetaData(), autoload_with=engine)
    except sa.exc.NoSuchTableError as exc:
        raise FatalError(
            f"table {name} does not exist in {safe_url(engine.url.render_as_string())}; "
            "fix the table name in the source declaration"
        ) from exc


def schema_of(table: sa.Table) -> list[tuple[str, str]]:
    return [(c.name, _type_name(c.type)) for c in table.columns]


def _render(value: Any) -> str | None:
    """Python-side rendering for columns Arrow cannot type (mixed values such as MariaDB zero dates)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            text = value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f%z")
        else:
            text = value.strftime("%Y-%m-%d %H:%M:%S.%f")
        return text.replace(".000000", "")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "0x" + bytes(value).hex()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return str(value)


def text_array(values: Sequence[Any]) -> pa.Array:
    """One column of a chunk as text, vectorized through Arrow whenever the values have one type."""
    try:
        arr = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.array([_render(v) for v in values], pa.string())
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        return arr.cast(pa.string())
    if pa.types.is_binary(arr.type) or pa.types.is_large_binary(arr.type):
        return pa.array([_render(v) for v in values], pa.string())
    if pa.types.is_timestamp(arr.type):
        if arr.type.tz is not None:
            arr = arr.cast(pa.timestamp("us", tz="UTC"))
            text = pc.strftime(arr, format="%Y-%m-%d %H:%M:%S%z")
        else:
            text = arr.cast(pa.timestamp("us")).cast(pa.string())
        return pc.replace_substring(text, ".000000", "")
    return arr.cast(pa.string())


def chunk_table(columns: list[str], rows: Sequence[Sequence[Any]]) -> pa.Table:
    """Rows of one fetch as an all-text Arrow table."""
    if not rows:
        return pa.table({c: pa.array([], pa.string()) for c in columns})
    transposed = list(zip(*rows, strict=True))
    return pa.table({c: text_array(transposed[i]) for i, c in enumerate(columns)})


def stream(engine: sa.Engine, stmt: sa.Select[Any], chunk_rows: int) -> Iterator[pa.Table]:
    """Execute with a server-side cursor and yield text chunks of at most ``chunk_rows`` rows."""
    columns = [c.name for c in stmt.selected_columns]
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk_rows).execute(stmt)
        for partition in result.partitions(chunk_rows):
            yield chunk_table(columns, partition)


def cursor_bound(table: sa.Table, column: str, watermark: str, lookback: dt.timedelta, dialect: str) -> Any:
    """The lower bound ``watermark - lookback`` in the column's own type (text cursors, and every SQLite column,
    compare as text)."""
    try:
        moment = dt.datetime.fromisoformat(watermark) - lookback
    except ValueError as exc:
        raise FatalError(
            f"cursor {table.name}.{column} holds {watermark!r}, not an ISO timestamp; "
            "declare the table with Snapshot() instead of Cursor()"
        ) from exc
    if dialect != "sqlite" and isinstance(_generic(table.c[column].type), sa.DateTime | sa.Date):
        if moment.tzinfo is not None and not getattr(table.c[column].type, "timezone", False):
            moment = moment.replace(tzinfo=None)
        return moment
    return moment.strftime("%Y-%m-%d %H:%M:%S")


# Dialects whose values land as the database's own text (every column cast in SQL): SQLite stores text the driver
# may fail to parse (0000-00-00 in a DATETIME column), pymysql turns MariaDB's zero dates into NULL. The DuckDB bulk
# reader (extractors/bulk.py) renders them the same way, so both paths give identical row hashes.
TEXT_DIALECTS = ("sqlite", "mysql", "mariadb")


def _selected(column: sa.Column[Any], dialect: str) -> sa.ColumnElement[Any]:
    if dialect in TEXT_DIALECTS:
        return sa.cast(column, sa.String).label(column.name)
    return column


def select_rows(
    table: sa.Table, columns: list[str], cursor: str | None, lower: Any | None, dialect: str
) -> sa.Select[Any]:
    stmt = sa.select(*(_selected(table.c[c], dialect) for c in columns))
    if cursor is not None and lower is not None:
        col = table.c[cursor]
        stmt = stmt.where(sa.or_(col >= lower, col.is_(None)))
    return stmt


def select_keys(table: sa.Table, key: tuple[str, ...]) -> sa.Select[Any]:
    return sa.select(*(table.c[k] for k in key))
