"""Every DuckDB connection of a run gets the configured memory limit, spill folder and threads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from grassroots import duck
from grassroots.config import Settings


def _setting(con: duckdb.DuckDBPyConnection, name: str) -> str:
    row = con.execute(f"SELECT current_setting('{name}')").fetchone()
    assert row is not None
    return str(row[0]).replace(" ", "")


# DuckDB reports a limit in its own units.
_TWO_GB = ("2GB", "1.8GiB", "1907.3MiB")


def test_default_limit_is_4gb_or_less_on_small_machines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GRASSROOTS_MEMORY_LIMIT", raising=False)
    monkeypatch.delenv("GRASSROOTS_BUILD_MEMORY_LIMIT", raising=False)
    assert duck.memory_limit(Settings(home=tmp_path)) == f"{min(4096, int(duck._ram_mb() * 0.6))}MB"
    assert duck.memory_limit(Settings(home=tmp_path, build_memory_limit="3GB")) == "3GB"  # the older name
    assert duck.memory_limit(Settings(home=tmp_path, memory_limit="2GB", build_memory_limit="3GB")) == "2GB"
    monkeypatch.setenv("GRASSROOTS_MEMORY_LIMIT", "5GB")
    assert Settings(home=tmp_path).memory_limit == "5GB"


def test_settings_are_applied_to_a_connection(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, memory_limit="2GB", duckdb_threads=1)
    con = duck.connect(settings=settings)
    try:
        assert _setting(con, "memory_limit") in _TWO_GB
        assert _setting(con, "threads") == "1"
        assert Path(_setting(con, "temp_directory")) == tmp_path / "state" / "tmp" / "duckdb"
    finally:
        con.close()
    assert duck.settings_sql(settings, tmp_path / "x") == [
        "SET memory_limit = '2GB'",
        f"SET temp_directory = '{tmp_path / 'x'}'",
        "SET threads = 1",
    ]


def test_the_run_connections_take_the_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors.delta import Delta
    from grassroots.pipeline import workdb
    from warehouse import extensions

    settings = Settings(home=tmp_path, memory_limit="2GB")
    monkeypatch.setattr(duck, "_process", None)
    duck.use(settings)  # what load_settings does for the extractors, which are given no settings
    work = workdb.connect(settings, "b_1", fresh=True)
    lake = extensions.connect("ducklake", settings=settings)
    delta = Delta(("id",), [], by_line=False)
    try:
        for con in (work, lake, delta.db):
            assert _setting(con, "memory_limit") in _TWO_GB
        assert Path(_setting(work, "temp_directory")) == workdb.build_dir(settings, "b_1") / "spill"
        assert Path(_setting(delta.db, "temp_directory")) == duck.spill_dir(settings)
    finally:
        for con in (work, lake, delta.db):
            con.close()
