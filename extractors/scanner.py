"""DuckDB's database scanners (postgres / mysql / sqlite), for bulk full reads much faster than a Python driver.

Extensions load from their PyPI packages (nothing is downloaded at run time). SQLAlchemy stays the general path
(every dialect, server-side cursors, typed binds); this path copies whole tables, e.g. for the benchmark.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb
import sqlalchemy as sa

from grassroots import duck
from grassroots.errors import FatalError

# SQLAlchemy backend -> (DuckDB attach type, extension, package shipping it for this DuckDB version)
SCANNERS: dict[str, tuple[str, str, str]] = {
    "postgresql": ("postgres", "postgres_scanner", "duckdb_extension_postgres_scanner"),
    "mysql": ("mysql", "mysql_scanner", "duckdb_extension_mysql_scanner"),
    "mariadb": ("mysql", "mysql_scanner", "duckdb_extension_mysql_scanner"),
    "sqlite": ("sqlite", "sqlite_scanner", "duckdb_extension_sqlite_scanner"),
}


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def extension_file(package: str) -> Path:
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise FatalError(f"install {package.replace('_', '-')} (uv sync) to use the DuckDB scanner") from exc
    found = sorted(Path(module.__path__[0]).rglob("*.duckdb_extension"))
    if not found:
        raise FatalError(f"package {package} ships no .duckdb_extension file; reinstall it with uv sync")
    return found[0]


def attach_sql(url: str, alias: str = "src") -> str:
    """DuckDB ``ATTACH`` (read-only) for a SQLAlchemy URL of PostgreSQL, MySQL/MariaDB or SQLite."""
    parsed = sa.engine.make_url(url)
    backend = parsed.get_backend_name()
    if backend not in SCANNERS:
        raise FatalError(f"no DuckDB scanner for {backend} sources; use the SQLAlchemy path")
    kind = SCANNERS[backend][0]
    if kind == "sqlite":
        target = str(parsed.database)
    else:
        parts = {
            "host": parsed.host, "port": parsed.port, "user": parsed.username, "password": parsed.password,
            ("dbname" if kind == "postgres" else "database"): parsed.database,
        }  # fmt: skip
        target = " ".join(f"{k}={v}" for k, v in parts.items() if v not in (None, ""))
    return f"ATTACH {_literal(target)} AS {alias} (TYPE {kind}, READ_ONLY)"


def connect(url: str, alias: str = "src") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the source attached as ``alias``."""
    backend = sa.engine.make_url(url).get_backend_name()
    _, _, package = SCANNERS.get(backend, ("", "", ""))
    if not package:
        raise FatalError(f"no DuckDB scanner for {backend} sources; use the SQLAlchemy path")
    con = duck.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute(f"LOAD {_literal(str(extension_file(package)))}")
    if backend == "sqlite":
        con.execute("SET sqlite_all_varchar = true")  # SQLite's own text, like the landing zone keeps it
    con.execute(attach_sql(url, alias))
    return con


def copy_table_sql(alias: str, table: str, path: Path) -> str:
    """Copy one source table to a Parquet file."""
    quoted = '"' + table.replace('"', '""') + '"'
    return (
        f"COPY (SELECT * FROM {alias}.{quoted}) TO {_literal(str(path))} (FORMAT parquet, COMPRESSION zstd)"
    )
