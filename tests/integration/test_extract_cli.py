"""``grassroots sync`` end to end: summary table, --json lines, one failing source does not stop the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from grassroots.cli import main


@pytest.fixture
def systems(home: Path) -> Path:
    """A civil-affairs database (SQLite) and an empty police drop folder; the grid is unreachable."""
    engine = sa.create_engine(f"sqlite:///{home}/civil.sqlite")
    with engine.begin() as c:
        for table, key in [("mz_person", "person_id"), ("mz_welfare", "welfare_id"), ("mz_disability", "person_id"),
                           ("mz_social_org", "org_id")]:  # fmt: skip
            c.execute(sa.text(f"CREATE TABLE {table} ({key} INTEGER PRIMARY KEY, update_time TIMESTAMP)"))
        c.execute(sa.text("CREATE TABLE mz_elderly (person_id INTEGER PRIMARY KEY, living_alone BOOLEAN)"))
        c.execute(
            sa.text("INSERT INTO mz_person VALUES (1, '2026-01-05 10:00:00'), (2, '2026-01-05 11:00:00')")
        )
    (home / "drop").mkdir()
    return home


def test_sync_reports_each_table_and_fails_only_the_broken_source(
    systems: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GRASSROOTS_CIVIL_URL", f"sqlite:///{systems}/civil.sqlite")
    monkeypatch.setenv("GRASSROOTS_GRID_URL", "mysql+pymysql://nobody:secret@127.0.0.1:1/none")
    monkeypatch.setenv("GRASSROOTS_POLICE_DIR", str(systems / "drop"))
    assert main(["--home", str(systems), "sync", "--json"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    by_table = {(x["source"], x["table"]): x for x in lines}
    assert by_table[("civil", "mz_person")]["rows"] == 2
    assert by_table[("civil", "mz_person")]["watermark"] == "2026-01-05 11:00:00"
    failed = by_table[("grid", "*")]
    assert (
        failed["status"] == "failed" and failed["error"] == "transient" and "secret" not in failed["message"]
    )
    assert main(["--home", str(systems), "sync", "civil"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split()[:5] == ["source", "table", "file", "status", "rows"]
    assert "mz_person" in table and " 0 " in table


def test_unknown_source_is_a_clear_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(home), "sync", "nosuch"]) == 2
    assert "unknown source(s) nosuch; declared sources: civil, grid, police" in capsys.readouterr().err
