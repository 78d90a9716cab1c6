"""Bring what the build hands to publish (DuckDB relation, SQL, Arrow, pandas, Parquet path) into one DuckDB.

Each input is staged once with exactly the declared columns, in declared order and types, so both lakes and the marts
read the same rows, and an undeclared column (one without privacy metadata) never slips into the analyst lake.
Parquet files and tables of a DuckDB database file are staged as views over them (a build's outputs are tens of
millions of lineage rows at city scale: copying them into memory cost more time and RAM than reading them again);
every other input, which can be read only once, is copied into an in-memory table.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from grassroots.errors import FatalError
from schemas.model import Table
from warehouse.analyst import quote

# What publish accepts for one table: a table of a DuckDB database file (DatabaseTable), a DuckDB relation (of any
# connection: it is streamed over as Arrow), SQL text (run in the warehouse's own DuckDB, so it can read files but
# not the tables of the caller's connection), a Parquet path or glob, an Arrow table or RecordBatchReader, or a
# pandas DataFrame.
TableInput = Any

STAGE_PREFIX = "_in_"


@dataclass(frozen=True)
class DatabaseTable:
    """A table of a DuckDB database file (a build's resolved database): attached read-only and read in place."""

    path: Path
    table: str

    def alias(self) -> str:
        """One alias per file, whatever the table."""
        return "_src_db_" + hashlib.sha1(str(self.path).encode()).hexdigest()[:12]


def staged_name(table: str) -> str:
    """The in-memory table holding the full-value input of ``table``."""
    return quote(STAGE_PREFIX + table)


def _is_parquet_path(value: str | Path) -> bool:
    if isinstance(value, Path):
        return True
    text = value.strip()
    return "\n" not in text and (text.endswith(".parquet") or ("*" in text and " " not in text))


def source_database(con: duckdb.DuckDBPyConnection, value: DatabaseTable) -> str:
    """Attach the file of ``value`` read-only (once); returns its alias."""
    alias = value.alias()
    attached = {r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    if alias not in attached:
        if not value.path.exists():
            raise FatalError(f"publish: no database at {value.path}; run the build's resolve step again")
        path = str(value.path).replace("'", "''")
        con.execute(f"ATTACH '{path}' AS {alias} (READ_ONLY)")
    return alias


def _source_sql(con: duckdb.DuckDBPyConnection, name: str, value: TableInput) -> str:
    """A FROM-clause for ``value``; Arrow-like values are registered on ``con`` under a scratch name."""
    if isinstance(value, DatabaseTable):
        return f"{source_database(con, value)}.main.{quote(value.table)}"
    if isinstance(value, str | Path) and _is_parquet_path(value):
        path = str(value).replace("'", "''")
        return f"read_parquet('{path}', union_by_name = true)"
    if isinstance(value, str):
        return f"({value})"
    if isinstance(value, duckdb.DuckDBPyRelation):
        value = value.fetch_arrow_reader()
    arrow_like = isinstance(value, pa.Table | pa.RecordBatchReader) or hasattr(value, "__arrow_c_stream__")
    if not arrow_like and not hasattr(value, "columns"):
        raise FatalError(
            f"publish: the input for table {name!r} is a {type(value).__name__}; give a DuckDB relation, "
            "SQL text, a Parquet path, an Arrow table or a pandas DataFrame"
        )
    scratch = f"_src_{name}"
    con.register(scratch, value)
    return quote(scratch)


def _check_columns(table: Table, found: list[str]) -> None:
    declared = [f.name for f in table.fields]
    missing = [c for c in declared if c not in found]
    extra = [c for c in found if c not in declared]
    if missing or extra:
        raise FatalError(
            f"publish: table {table.name!r} does not match its declaration in schemas/: "
            f"missing {missing or 'none'}, undeclared {extra or 'none'}. Declare new columns (with their privacy "
            "class) in schemas/ or drop them before publishing."
        )


def stage_sql(table: Table, source: str, *, view: bool = False) -> str:
    """Declared columns in order, cast to their declared types (as a view over ``source`` when ``view``)."""
    cols = ", ".join(f"CAST({quote(f.name)} AS {f.type}) AS {quote(f.name)}" for f in table.fields)
    kind = "VIEW" if view else "TABLE"
    return f"CREATE OR REPLACE {kind} memory.main.{staged_name(table.name)} AS SELECT {cols} FROM {source}"


def check_sql(table: Table, relation: str, *, hashed: bool = False) -> str:
    """One row: NULLs in each required column, then the number of duplicate primary keys.

    ``hashed`` counts distinct 64-bit hashes of the keys instead of the keys: several times cheaper on wide keys, it
    can only over-count duplicates (a collision), so a non-zero result is confirmed by the exact query.
    """
    nulls = [f"count(*) - count({quote(f.name)})" for f in table.fields if f.required]
    key = ", ".join(quote(k) for k in table.primary_key)
    complete = " AND ".join(f"{quote(k)} IS NOT NULL" for k in table.primary_key)
    distinct = f"hash({key})" if hashed else f"({key})"
    dupes = (
        f"count(*) FILTER (WHERE {complete}) - count(DISTINCT {distinct}) FILTER (WHERE {complete})"
        if table.primary_key
        else "0"
    )
    return f"SELECT {', '.join([*nulls, dupes])} FROM {relation}"


def _check_rows(con: duckdb.DuckDBPyConnection, table: Table, relation: str) -> None:
    counts = con.sql(check_sql(table, relation, hashed=True)).fetchone() or ()
    if counts and counts[-1]:  # maybe a hash collision: count the keys themselves
        counts = con.sql(check_sql(table, relation)).fetchone() or ()
    required = [f.name for f in table.fields if f.required]
    problems = [f"{n} rows without {c}" for c, n in zip(required, counts, strict=False) if n]
    if counts and counts[-1]:
        problems.append(f"{counts[-1]} duplicate keys ({', '.join(table.primary_key)})")
    if problems:
        raise FatalError(
            f"publish: table {table.name!r} breaks its declaration: {'; '.join(problems)}. Fix the stage that "
            "built it; nothing was published."
        )


def stage(con: duckdb.DuckDBPyConnection, table: Table, value: TableInput, scope: str | None = None) -> int:
    """Stage one input under :func:`staged_name`; returns its row count.

    ``scope``: only these rows can differ from what the warehouse holds (and checked when it was published), so
    only they are checked for missing required values and duplicate keys."""
    source = _source_sql(con, table.name, value)
    found = [d[0] for d in con.sql(f"SELECT * FROM {source} LIMIT 0").description]
    _check_columns(table, found)
    con.execute(stage_sql(table, source, view=source.startswith(("read_parquet(", "_src_db_"))))
    staged = f"memory.main.{staged_name(table.name)}"
    _check_rows(con, table, staged if scope is None else f"(SELECT * FROM {staged} WHERE {scope})")
    if source.startswith('"_src_'):
        con.unregister(source.strip('"'))
    count = con.sql(f"SELECT count(*) FROM memory.main.{staged_name(table.name)}").fetchone()
    return int(count[0]) if count else 0
