"""Read access to the topic library, by role: analysts see the masked lake, engineers the full values (with the key).

``connect`` returns a DuckDB connection with the chosen lake attached read-only as ``lake`` and in use, so
``SELECT * FROM person`` and ``FROM marts.grid_population`` just work, optionally as of an earlier snapshot.
Engineers also get the analyst lake as ``analyst``, the landing zone as views ``landing.<source>_<table>`` (current
version of each record) and the staging zone's Parquet folders as views ``staging.<folder>``.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from grassroots.config import Settings
from grassroots.errors import FatalError, GrassrootsError, TransientError
from warehouse import extensions
from warehouse.lake import AsOf, Role, attach_analyst_sql, attach_restricted_sql, layout, privacy_key

log = logging.getLogger(__name__)

ALIAS = "lake"
EXTENSIONS = ("ducklake", "sqlite_scanner", "postgres_scanner", "httpfs")


def parse_as_of(text: str | None) -> AsOf:
    """``3`` -> snapshot 3; ``2026-11-20T10:00`` (UTC unless an offset is given, e.g. +08:00) -> a time."""
    if text is None or text == "":
        return None
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise FatalError(
            f"--as-of {text!r} is neither a snapshot id (e.g. 3) nor a time (e.g. 2026-11-20T10:00 or "
            "2026-11-20T18:00+08:00)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _first_line(exc: BaseException) -> str:
    return str(exc).split("\n")[0][:300]


def _attach(con: duckdb.DuckDBPyConnection, settings: Settings, role: Role, as_of: AsOf) -> None:
    lay = layout(settings)
    if settings.catalog_url is None and not lay.analyst_catalog.exists():
        raise FatalError(f"no warehouse under {lay.root} yet: run 'grassroots build' (or run) to publish one")
    try:
        if role == "engineer":
            key = privacy_key(settings, "engineer access to full values")
            if not lay.restricted_catalog.exists():
                raise FatalError(
                    f"no restricted lake under {lay.restricted_dir}: publish once with the key set"
                )
            con.execute(attach_restricted_sql(settings, ALIAS, key, read_only=True, as_of=as_of))
            con.execute(attach_analyst_sql(settings, "analyst", read_only=True, as_of=None))
        else:
            con.execute(attach_analyst_sql(settings, ALIAS, read_only=True, as_of=as_of))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise TransientError(
                "the warehouse is being published right now; retry in a few seconds"
            ) from None
        raise FatalError(f"cannot open the warehouse: {_first_line(exc)}") from None
    except duckdb.Error as exc:
        # Never echo the statement: it may carry a derived key.
        raise FatalError(f"cannot open the warehouse as {role}: {_first_line(exc)}") from None


def _parquet_views(con: duckdb.DuckDBPyConnection, schema: str, root: Path) -> None:
    """One view per folder of Parquet files under ``root`` (engineers only: these hold full values)."""
    if not root.is_dir():
        return
    for folder in sorted(p for p in root.rglob("*") if p.is_dir() and any(p.glob("*.parquet"))):
        if any(part.startswith((".", "_")) for part in folder.relative_to(root).parts):
            continue
        name = re.sub(r"\W+", "_", "_".join(folder.relative_to(root).parts)).strip("_")
        path = str(folder / "*.parquet").replace("'", "''")
        con.execute(
            f'CREATE OR REPLACE VIEW memory.{schema}."{name}" AS '
            f"SELECT * FROM read_parquet('{path}', union_by_name = true)"
        )


def _staging_views(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """``staging.<table>``: the staged tables of the last published build, read in place from its working
    database; homes published before that was kept export them as Parquet instead."""
    from grassroots.pipeline.workdb import published_staging  # the build owns its working folders

    found = published_staging(settings.paths.root)
    if found is None:
        _parquet_views(con, "staging", settings.paths.staging)
        return
    database, tables = found
    con.execute(f"ATTACH '{str(database).replace(chr(39), chr(39) * 2)}' AS staged_build (READ_ONLY)")
    for table in tables:
        con.execute(
            f'CREATE OR REPLACE VIEW memory.staging."{table}" AS SELECT * FROM staged_build.main."{table}"'
        )


def _landing_views(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """``landing.<source>_<table>``: the current version of every record synced from each source table."""
    from extractors.landing import current_sql  # the extraction stage owns the landing zone's layout

    root = settings.paths.landing
    if not root.is_dir():
        return
    for folder in sorted(p for p in root.glob("*/*") if p.is_dir()):
        source, table = folder.parent.name, folder.name
        try:
            sql = current_sql(settings.paths.root, source, table)
        except GrassrootsError as exc:
            log.debug("no landing view for %s.%s: %s", source, table, exc)
            continue
        name = re.sub(r"\W+", "_", f"{source}_{table}").strip("_")
        con.execute(f'CREATE OR REPLACE VIEW memory.landing."{name}" AS {sql}')


def connect(settings: Settings, role: Role = "analyst", as_of: AsOf = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection on the topic library as ``role`` sees it, as of now or of an earlier snapshot."""
    if role not in ("analyst", "engineer"):
        raise FatalError(f"unknown role {role!r}: use analyst or engineer")
    con = extensions.connect(*EXTENSIONS, settings=settings)
    try:
        _attach(con, settings, role, as_of)
        if role == "engineer":
            con.execute("CREATE SCHEMA memory.landing; CREATE SCHEMA memory.staging")
            _landing_views(con, settings)
            _staging_views(con, settings)
        con.execute(f"USE {ALIAS}")
        if role == "engineer":  # so that landing.<view> and staging.<view> resolve next to the lake's schemas
            con.execute(f"SET search_path = '{ALIAS}.main,memory.landing,memory.staging'")
    except BaseException:
        con.close()
        raise
    return con


def query(settings: Settings, sql: str, role: Role = "analyst", as_of: AsOf = None) -> pa.Table:
    """Run one SQL statement on the topic library; its result as Arrow (empty for statements like COPY)."""
    con = connect(settings, role, as_of)
    try:
        relation = con.sql(sql)
        return relation.fetch_arrow_table() if relation is not None else pa.table({})
    except duckdb.Error as exc:
        raise FatalError(f"query failed: {_first_line(exc)}") from None
    finally:
        con.close()
