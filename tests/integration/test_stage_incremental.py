"""Incremental staging gives exactly what staging everything gives, on a small simulated city moved on a day."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from grassroots.cli import main
from grassroots.config import Settings, load_settings
from grassroots.pipeline import build, stage_state, workdb
from grassroots.pipeline.sync import sync

pytestmark = pytest.mark.slow

KEY = "stage-test-key"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """A city built and published once (its stage kept), then a day later and synced again, not yet built."""
    home = tmp_path_factory.mktemp("stage") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GRASSROOTS_PRIVACY_KEY", KEY)
        assert main(["-q", "--home", str(home), "simulate", "--people", "400", "--seed", "7"]) == 0
        s = load_settings(home)
        assert all(r.status == "ok" for r in sync(s))
        build.build(s)
        assert main(["-q", "--home", str(home), "simulate", "advance", "--days", "1"]) == 0
        _edit_civil(s.paths.civil_db)
        assert all(r.status == "ok" for r in sync(s))
        yield s


def _edit_civil(db: Path) -> None:
    """Changes whose effect reaches beyond their own row: an assistance case moved to another person, a person
    with an elderly-care row deleted (the row becomes an orphan), a damaged value (a new warning)."""
    con = sqlite3.connect(db)
    try:
        (later,) = con.execute("SELECT max(update_time) FROM mz_person").fetchone()
        later = later[:10] + " 23:59:00"
        welfare_id, owner = con.execute(
            "SELECT welfare_id, person_id FROM mz_welfare ORDER BY welfare_id"
        ).fetchone()
        (other,) = con.execute(
            "SELECT min(person_id) FROM mz_person WHERE person_id NOT IN (SELECT person_id FROM mz_welfare)"
        ).fetchone()
        con.execute(
            "UPDATE mz_welfare SET person_id = ?, update_time = ? WHERE welfare_id = ?",
            (other, later, welfare_id),
        )
        (gone,) = con.execute(
            "SELECT min(person_id) FROM mz_person WHERE person_id IN (SELECT person_id FROM mz_elderly) "
            "AND person_id <> ?",
            (owner,),
        ).fetchone()
        con.execute("DELETE FROM mz_person WHERE person_id = ?", (gone,))
        con.execute(
            "UPDATE mz_person SET birth_date = '19xx-01-01', update_time = ? "
            "WHERE person_id = (SELECT max(person_id) FROM mz_person)",
            (later,),
        )
        con.commit()
    finally:
        con.close()


def _tables(con: duckdb.DuckDBPyConnection, db: str) -> set[str]:
    rows = con.execute(f"SELECT table_name FROM duckdb_tables() WHERE database_name = '{db}'").fetchall()
    return {r[0] for r in rows}


def _differences(kept_a: Path, kept_b: Path) -> dict[str, int]:
    """Rows of each kept table found in one database and not the other (run id and time of warnings aside)."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{kept_a}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{kept_b}' AS b (READ_ONLY)")
    tables = _tables(con, "a")
    assert tables == _tables(con, "b")
    out = {}
    for t in sorted(tables):
        cols = [r[0] for r in con.execute(f'DESCRIBE b."{t}"').fetchall()]
        assert [r[0] for r in con.execute(f'DESCRIBE a."{t}"').fetchall()] == cols, t
        kept = ", ".join(f'"{c}"' for c in cols if c not in ("run_id", "occurred_at"))
        a, b = f'SELECT {kept} FROM a."{t}"', f'SELECT {kept} FROM b."{t}"'
        row = con.execute(
            f"SELECT (SELECT count(*) FROM ({a} EXCEPT ALL {b})) + (SELECT count(*) FROM ({b} EXCEPT ALL {a}))"
        ).fetchone()
        out[t] = int(row[0]) if row else -1
    return out


def test_incremental_stage_equals_a_full_stage(settings: Settings) -> None:
    published = stage_state.previous(settings.paths, build.stage_plans())[0]
    assert published is not None
    incremental = build.stage(settings, "b_incremental")
    full = build.stage(settings, "b_full", full=True)
    assert incremental.data["mode"] == "incremental" and full.data["mode"] == "full"
    # The moved assistance case restages its old and new person; the deleted person leaves an orphan.
    assert 0 < incremental.data["restaged"] < full.data["restaged"]
    assert full.data["orphans"] >= 1
    for key in ("tables", "rows", "sources", "relations", "flagged", "orphans", "legacy_sex", "skipped"):
        assert incremental.data[key] == full.data[key], key
    kept = [workdb.build_dir(settings, run) / stage_state.DATABASE for run in ("b_incremental", "b_full")]
    differences = _differences(*kept)
    assert {"stg_person", "stg_person_residence", "_stage_warnings"} <= set(differences)
    assert all(n == 0 for n in differences.values()), differences
    # Neither build was published: the next one still starts from the published build's stage.
    again = stage_state.previous(settings.paths, build.stage_plans())[0]
    assert again is not None and again.meta["run_id"] == published.meta["run_id"]


def test_changed_staging_code_stages_everything(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stage_state, "fingerprint", lambda plans: "another")
    result = build.stage(settings, "b_changed_code")
    assert result.data["mode"] == "full" and "code" in result.data["fallback"]
