"""Every DuckDB connection a run opens gets the same resource settings: a memory limit, a folder to spill to, threads.

DuckDB's own default is 80 % of the RAM for each database instance, and a run opens several (the build's working
database, the sync's scanners, the warehouse's publish, report and query connections): together they could ask for
far more than the machine has. Here every one gets ``GRASSROOTS_MEMORY_LIMIT`` (default 4 GB, at most 60 % of the
RAM) and spills what does not fit to a folder on disk. See docs/deployment.md.

Connections opened where no settings are at hand (the extractors') take the settings :func:`use` registered for the
process (load_settings does), else the environment's limit and a folder under the system's temporary directory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    from grassroots.config import Settings

DEFAULT_MEMORY_LIMIT_MB = 4096
RAM_SHARE = 0.6  # the cap on small machines: the OS, Python and Arrow buffers need the rest

_process: Settings | None = None


def use(settings: Settings) -> None:
    """Register the run's settings for the connections opened without them (called by load_settings)."""
    global _process
    _process = settings


def _settings(settings: Settings | None) -> Settings:
    if settings is not None:
        return settings
    if _process is not None:
        return _process
    from grassroots.config import Settings  # the environment's settings, when nothing was registered

    return Settings()


def _ram_mb() -> int:
    return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")) // 2**20


def memory_limit(settings: Settings | None = None) -> str:
    """The configured limit (``GRASSROOTS_MEMORY_LIMIT``, or the older ``GRASSROOTS_BUILD_MEMORY_LIMIT``), else
    4 GB or 60 % of the RAM, whichever is less."""
    s = _settings(settings)
    configured = s.memory_limit or s.build_memory_limit
    if configured:
        return configured
    return f"{min(DEFAULT_MEMORY_LIMIT_MB, int(_ram_mb() * RAM_SHARE))}MB"


def spill_dir(settings: Settings | None = None) -> Path:
    """Where connections without a folder of their own spill: ``<home>/state/tmp/duckdb``."""
    known = settings or _process
    if known is None:  # not the default ./var of whatever folder this runs in
        return Path(tempfile.gettempdir()) / "grassroots-duckdb"
    return known.paths.state / "tmp" / "duckdb"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def settings_sql(settings: Settings | None = None, spill: Path | None = None) -> list[str]:
    """The ``SET`` statements every connection runs: memory limit, spill folder, threads when configured."""
    s = _settings(settings)
    statements = [
        f"SET memory_limit = {_literal(memory_limit(s))}",
        f"SET temp_directory = {_literal(str(spill or spill_dir(settings)))}",
    ]
    if s.duckdb_threads:
        statements.append(f"SET threads = {int(s.duckdb_threads)}")
    return statements


def configure(
    con: duckdb.DuckDBPyConnection, settings: Settings | None = None, spill: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """Apply :func:`settings_sql` to an open connection (creating the spill folder); returns ``con``."""
    folder = spill or spill_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    for statement in settings_sql(settings, folder):
        con.execute(statement)
    return con


def connect(
    database: str | Path = ":memory:",
    settings: Settings | None = None,
    *,
    spill: Path | None = None,
    read_only: bool = False,
    config: Mapping[str, Any] | None = None,
) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect`` with the run's memory limit, spill folder and threads applied."""
    con = duckdb.connect(str(database), read_only=read_only, config=dict(config or {}))
    try:
        return configure(con, settings, spill)
    except BaseException:
        con.close()
        raise
