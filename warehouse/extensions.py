"""DuckDB extensions the warehouse needs, loaded from their PyPI packages: nothing is downloaded at run time."""

from __future__ import annotations

import functools
import importlib
from pathlib import Path

import duckdb

from grassroots import duck
from grassroots.config import Settings
from grassroots.errors import FatalError

# extension name -> Python package that ships its binary for this DuckDB version.
PACKAGES: dict[str, str] = {
    "ducklake": "duckdb_extension_ducklake",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    # OpenSSL crypto: without it DuckDB refuses to write encrypted files (the full-value lake).
    "httpfs": "duckdb_extension_httpfs",
}


@functools.cache
def extension_path(name: str) -> Path:
    """The ``.duckdb_extension`` file of ``name`` inside its package."""
    package = PACKAGES[name]
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise FatalError(
            f"the DuckDB extension {name!r} is missing: install the package {package.replace('_', '-')} "
            "(uv sync installs it from pyproject.toml)"
        ) from exc
    found = sorted(Path(module.__path__[0]).rglob("*.duckdb_extension"))
    if not found:
        raise FatalError(f"package {package} ships no .duckdb_extension file; reinstall it with uv sync")
    return found[0]


def load(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    """LOAD each named extension into ``con`` from its package path."""
    for name in names:
        path = str(extension_path(name)).replace("'", "''")
        con.execute(f"LOAD '{path}'")


def connect(*names: str, settings: Settings | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory DuckDB with the named extensions loaded, auto-install switched off and the run's memory
    limit and spill folder (grassroots.duck)."""
    con = duck.connect(
        settings=settings,
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        },
    )
    con.execute("SET enable_progress_bar = false")  # stderr belongs to the log
    load(con, *names)
    return con
