"""After ``simulate advance`` a sync lands exactly the changes the simulator logged in its ground truth."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from extractors.landing import scan_sql
from extractors.registry import registry
from extractors.state import StateDB, state_path
from grassroots.cli import main
from grassroots.config import Settings
from grassroots.pipeline.sync import sync

# A police 注销 row carries the record's last state and lands as data (like the grid's ZXBS flag); the simulator
# logs it as a delete.
POLICE_DELETE = "注销"


@pytest.fixture(scope="module")
def advanced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    home = tmp_path_factory.mktemp("advance") / "home"
    assert main(["--home", str(home), "-q", "simulate", "--people", "600", "--seed", "2"]) == 0
    first = sync(Settings(home=home))
    assert all(s.status == "ok" for s in first)
    state = StateDB(state_path(home))
    boundary = max(
        load["load_id"]
        for src in registry().values()
        for u in src.units
        for load in state.committed(src.name, u)
    )
    state.close()
    today = Settings(home=home).paths.read_systems()["today"]
    assert main(["--home", str(home), "-q", "simulate", "advance", "--days", "4"]) == 0
    return home, boundary, today


def landed_changes(home: Path, after: str) -> set[tuple[str, str, str, str]]:
    """(system, table, record key, net op) of every record landed after the first sync."""
    state = StateDB(state_path(home))
    found: set[tuple[str, str, str, str]] = set()
    for source in registry().values():
        for unit in source.units:
            loads = [x for x in state.committed(source.name, unit) if x["load_id"] > after and x["path"]]
            if not loads:
                continue
            key = loads[-1]["key_json"]
            cols = [f'"{k}"' for k in json.loads(key)]
            is_file = bool(loads[-1]["file_name"])
            op = (
                f"CASE WHEN \"变更类型\" = '{POLICE_DELETE}' THEN 'delete' ELSE _op END" if is_file else "_op"
            )
            order = "_load_id, _line" if is_file else "_load_id"
            sql = f"""
                SELECT concat_ws('|', {", ".join(cols)}) AS k,
                       CASE WHEN last(op ORDER BY {order}) = 'delete' THEN 'delete'
                            WHEN first(op ORDER BY {order}) = 'insert' THEN 'insert' ELSE 'update' END
                FROM (SELECT *, {op} AS op FROM {scan_sql([str(Path(x["path"]) / "part-*.parquet") for x in loads])})
                GROUP BY k"""
            found |= {(source.name, unit, k, net) for k, net in duckdb.sql(sql).fetchall()}
    state.close()
    return found


def truth_changes(home: Path, day_after: str) -> set[tuple[str, str, str, str]]:
    sql = f"""
        SELECT system, "table", record_key,
               CASE WHEN last(op ORDER BY day, rowid) = 'delete' THEN 'delete'
                    WHEN first(op ORDER BY day, rowid) = 'insert' THEN 'insert' ELSE 'update' END
        FROM (SELECT *, row_number() OVER () AS rowid FROM read_parquet('{home}/truth/changes.parquet'))
        WHERE day > DATE '{day_after}'
        GROUP BY ALL"""
    return {tuple(r) for r in duckdb.sql(sql).fetchall()}  # type: ignore[misc]


@pytest.mark.slow
def test_sync_after_advance_lands_exactly_the_logged_changes(advanced: tuple[Path, str, str]) -> None:
    home, boundary, today = advanced
    summaries = sync(Settings(home=home))
    assert all(s.status == "ok" for s in summaries), [s.message for s in summaries if s.status != "ok"]
    expected = truth_changes(home, today)
    assert len(expected) >= 3, "too few changes for the test to prove anything"
    assert landed_changes(home, boundary) == expected
    assert sum(s.rows for s in sync(Settings(home=home))) == 0
