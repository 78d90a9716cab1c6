"""The build's working database, reference date, pruning and the human summary of a build."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from grassroots import duck
from grassroots.commands.build import render
from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.pipeline import workdb
from grassroots.pipeline.build import BuildSummary


def test_reference_date_is_the_simulated_day_when_recorded(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    assert workdb.reference_date(settings) == dt.date.today()
    settings.paths.sources.mkdir(parents=True)
    settings.paths.systems_file.write_text(json.dumps({"today": "2026-01-05"}), encoding="utf-8")
    assert workdb.reference_date(settings) == dt.date(2026, 1, 5)


def test_working_database_settings_and_missing_build(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, build_memory_limit="1GB")
    with pytest.raises(FatalError, match="run its stage step first"):
        workdb.connect(settings, "b_none")
    con = workdb.connect(settings, "b_1", fresh=True)
    try:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()
        assert limit is not None and limit[0].replace(" ", "") in ("1GB", "953.6MiB", "1000.0MB", "0.9GiB")
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    finally:
        con.close()
    assert workdb.db_path(settings, "b_1").exists() and (workdb.build_dir(settings, "b_1") / "spill").is_dir()
    assert duck.memory_limit(Settings(home=tmp_path)).endswith("MB")


def test_prune_keeps_the_current_build_and_the_newest_other(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    for i, name in enumerate(["b_1", "b_2", "b_3", "b_4"]):
        folder = workdb.build_dir(settings, name)
        folder.mkdir(parents=True)
        os.utime(folder, (1_000_000 + i, 1_000_000 + i))
    workdb.prune(settings, keep="b_2")
    assert sorted(p.name for p in workdb.builds_root(settings).iterdir()) == ["b_2", "b_4"]


def test_the_human_summary_names_counts_quarantine_and_times() -> None:
    summary = BuildSummary(
        "b_x", dt.date(2026, 1, 5), staged={"person": 30}, entities={"person": 15}, relations={"event_party": 3},
        flagged=4, refused=1, warned=2, snapshot=7, seconds={"stage": 1.0, "publish": 2.5},
    )  # fmt: skip
    text = render(summary)
    assert "snapshot 7" in text and "person" in text and "30" in text and "15" in text
    assert "event_party 3" in text and "4 values flagged" in text and "1 rows refused" in text
    assert "publish 2.5 s" in text
    assert summary.to_json()["quarantined"] == {"standardize": 4, "refused": 1, "warned": 2}
