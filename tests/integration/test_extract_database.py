"""Database extraction on a real SQLite file: cursor with look-back, snapshots, deletes, drift, crash recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from extractors.context import SyncContext
from extractors.declare import Cursor, DatabaseSource, Snapshot, Table
from extractors.landing import changes_sql, current_sql, last_load_id
from extractors.run import sync_source
from extractors.state import StateDB, state_path
from extractors.summary import SyncSummary
from grassroots.config import Settings
from grassroots.errors import FatalError


def declare(reader: str = "duckdb", **table_options: object) -> DatabaseSource:
    rk = Table("RK", ("RYBH",), Cursor("XGSJ", timedelta(hours=1)), **table_options)  # type: ignore[arg-type]
    tables = (rk, Table("WG", ("WGBM",), Snapshot()))
    return DatabaseSource("t", "test", "grid", tables, chunk_rows=2, bulk_reader=reader)  # type: ignore[arg-type]


@pytest.fixture
def source_db(home: Path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{home}/src.sqlite")
    with engine.begin() as c:
        c.execute(sa.text("CREATE TABLE RK (RYBH TEXT PRIMARY KEY, XM TEXT, ZXBS TEXT, XGSJ TEXT)"))
        c.execute(sa.text("CREATE TABLE WG (WGBM TEXT PRIMARY KEY, WGMC TEXT)"))
        c.execute(
            sa.text(
                "INSERT INTO RK VALUES ('1','甲','0','2024-01-01 10:00:00'), ('2','乙','0','2024-01-01 11:00:00'),"
                " ('3','丙','0',NULL), ('4','丁','0','2024-01-01 09:00:00'), ('5','戊','0','2024-01-01 11:00:00')"
            )
        )
        c.execute(sa.text("INSERT INTO WG VALUES ('g1','一'), ('g2','二')"))
    return engine


def run_sync(home: Path, engine: sa.Engine, source: DatabaseSource, **ctx: object) -> dict[str, SyncSummary]:
    settings = Settings(home=home, grid_url=engine.url.render_as_string(hide_password=False))
    state = StateDB(state_path(home))
    out: list[SyncSummary] = []
    try:
        sync_source(SyncContext(home, state, "test", **ctx), source, settings, out)  # type: ignore[arg-type]
    finally:
        state.close()
    return {s.table: s for s in out}


def current(home: Path, table: str, columns: str = "*") -> list[tuple[object, ...]]:
    sql = f"SELECT {columns} FROM ({current_sql(home, 't', table)}) ORDER BY 1"
    return duckdb.sql(sql).fetchall()


def test_second_sync_lands_nothing(home: Path, source_db: sa.Engine) -> None:
    first = run_sync(home, source_db, declare())
    assert (first["RK"].inserts, first["WG"].inserts) == (5, 2)
    assert first["RK"].watermark == "2024-01-01 11:00:00"
    second = run_sync(home, source_db, declare())
    assert (second["RK"].rows, second["WG"].rows) == (0, 0)
    assert current(home, "RK", "RYBH, XM, ZXBS, _op") == [
        ("1", "甲", "0", "insert"), ("2", "乙", "0", "insert"), ("3", "丙", "0", "insert"),
        ("4", "丁", "0", "insert"), ("5", "戊", "0", "insert"),
    ]  # fmt: skip


def test_late_rows_inside_lookback_are_caught_once(home: Path, source_db: sa.Engine) -> None:
    run_sync(home, source_db, declare())
    with source_db.begin() as c:
        # committed late with a timestamp older than the watermark but inside the look-back hour
        c.execute(sa.text("UPDATE RK SET XM='乙2' WHERE RYBH='2'"))
        c.execute(sa.text("INSERT INTO RK VALUES ('6','己','0','2024-01-01 10:30:00')"))
        c.execute(
            sa.text("UPDATE RK SET ZXBS='1', XGSJ='2024-01-01 11:00:00' WHERE RYBH='5'")
        )  # boundary value
        c.execute(sa.text("UPDATE RK SET XM='丙2' WHERE RYBH='3'"))  # NULL cursor
    third = run_sync(home, source_db, declare())["RK"]
    assert (third.inserts, third.updates, third.deletes) == (1, 3, 0)
    assert dict(current(home, "RK", "RYBH, ZXBS"))["5"] == "1"  # the logical delete flag is data
    assert run_sync(home, source_db, declare())["RK"].rows == 0


@pytest.mark.parametrize("reader", ["duckdb", "sqlalchemy"])
def test_hard_deletes_found_by_key_set_and_snapshot(home: Path, source_db: sa.Engine, reader: str) -> None:
    run_sync(home, source_db, declare(reader))
    after_first = last_load_id(home, "t", "WG")
    with source_db.begin() as c:
        c.execute(sa.text("DELETE FROM RK WHERE RYBH='4'"))
        c.execute(sa.text("DELETE FROM WG WHERE WGBM='g1'"))
        c.execute(sa.text("UPDATE WG SET WGMC='二二' WHERE WGBM='g2'"))
        c.execute(sa.text("INSERT INTO WG VALUES ('g3','三')"))
    got = run_sync(home, source_db, declare(reader))
    assert (got["RK"].deletes, got["WG"].inserts, got["WG"].updates, got["WG"].deletes) == (1, 1, 1, 1)
    assert [r[0] for r in current(home, "RK", "RYBH")] == ["1", "2", "3", "5"]
    assert current(home, "WG", "WGBM, WGMC") == [("g2", "二二"), ("g3", "三")]
    changes = duckdb.sql(f"SELECT WGBM, _op FROM ({changes_sql(home, 't', 'WG', after_first)}) ORDER BY 1")
    assert changes.fetchall() == [("g1", "delete"), ("g2", "update"), ("g3", "insert")]
    # deleted then re-inserted: an insert again
    with source_db.begin() as c:
        c.execute(sa.text("INSERT INTO WG VALUES ('g1','一')"))
    assert run_sync(home, source_db, declare(reader))["WG"].inserts == 1


def test_failure_midway_loses_and_doubles_nothing(home: Path, source_db: sa.Engine) -> None:
    def explode(table: str, number: int) -> None:
        if table == "RK" and number == 1:
            raise RuntimeError("injected failure after two chunks")

    with pytest.raises(RuntimeError):
        run_sync(home, source_db, declare(), on_chunk=explode)
    assert list((home / "landing" / "t" / "RK").iterdir())  # parts of the dead load are on disk
    with pytest.raises(FatalError):
        current_sql(home, "t", "RK")  # but nothing is committed
    again = run_sync(home, source_db, declare())
    assert again["RK"].inserts == 5
    assert len(list((home / "landing" / "t" / "RK").iterdir())) == 1  # the orphan was cleaned
    assert len(current(home, "RK", "RYBH")) == 5


def test_killed_subprocess_then_rerun(home: Path, source_db: sa.Engine, tmp_path: Path) -> None:
    with source_db.begin() as c:
        rows = [{"k": f"x{i}"} for i in range(40)]
        c.execute(sa.text("INSERT INTO RK VALUES (:k, 'n', '0', '2024-01-02 00:00:00')"), rows)
    script = tmp_path / "slow_sync.py"
    script.write_text(
        textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_extract_database import declare, run_sync
        import sqlalchemy as sa
        from pathlib import Path
        def slow(table, number):
            print(f"chunk {{number}}", flush=True)
            time.sleep(0.2)
        run_sync(Path({str(home)!r}), sa.create_engine({source_db.url.render_as_string()!r}), declare(), on_chunk=slow)
        """)
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("chunk 3"):
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.1)
    state = StateDB(state_path(home))
    assert state.committed("t", "RK") == []
    state.close()
    again = run_sync(home, source_db, declare())
    assert again["RK"].inserts == 45
    rows = current(home, "RK", "RYBH")
    assert len(rows) == len(set(rows)) == 45


def test_schema_drift_policies(home: Path, source_db: sa.Engine) -> None:
    run_sync(home, source_db, declare(drift="freeze"))
    with source_db.begin() as c:
        c.execute(sa.text("ALTER TABLE RK ADD COLUMN LXDH TEXT"))
        c.execute(sa.text("UPDATE RK SET LXDH='13972800000', XGSJ='2024-01-01 12:00:00' WHERE RYBH='1'"))
    with pytest.raises(FatalError, match=r"added LXDH.*--accept-drift t\.RK"):
        run_sync(home, source_db, declare(drift="freeze"))
    discarded = run_sync(home, source_db, declare(drift="discard"))["RK"]
    assert discarded.drift["action"] == "discarded" and discarded.drift["added"] == ["LXDH"]
    assert "LXDH" not in duckdb.sql(current_sql(home, "t", "RK")).columns
    accepted = run_sync(home, source_db, declare(drift="freeze"), accept_drift=frozenset({"t.RK"}))["RK"]
    assert accepted.drift["action"] == "accepted"
    assert ("1", "13972800000") in current(home, "RK", "RYBH, LXDH")
    assert run_sync(home, source_db, declare(drift="freeze"))["RK"].drift == {}
