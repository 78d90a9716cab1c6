"""Which dropped files are ready: matching a declared kind, flagged, and no longer growing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from extractors.declare import FileKind, FileSource
from extractors.filedrop import Candidate, list_candidates, settled

KIND = FileKind("HJRK", "HJRK_*.csv", ("公民身份号码",))


def source(folder: Path) -> FileSource:
    return FileSource("p", "t", (KIND,), locate=lambda s: folder, settle_seconds=0)


def test_only_flagged_files_of_declared_kinds_are_candidates(tmp_path: Path) -> None:
    for name in ["HJRK_1.csv", "HJRK_1.csv.ok", "HJRK_2.csv", "OTHER_1.csv", "OTHER_1.csv.ok", ".HJRK_3.csv"]:
        (tmp_path / name).write_text("x")
    ready, waiting = list_candidates(source(tmp_path), tmp_path)
    assert [c.path.name for c in ready] == ["HJRK_1.csv"] and [p.name for p in waiting] == ["HJRK_2.csv"]


def test_a_file_whose_size_changed_between_two_looks_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "HJRK_1.csv"
    path.write_text("header\r\n")
    looked = Candidate(path, KIND, path.stat().st_size)
    path.write_text("header\r\nmore rows\r\n")  # the exporter is still writing
    stable, moving = settled([looked], 0)
    assert stable == [] and moving == [path]
    stable, moving = settled([Candidate(path, KIND, path.stat().st_size)], 0.01)
    assert [c.path for c in stable] == [path] and moving == []


def test_only_a_recently_modified_file_makes_the_look_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []
    monkeypatch.setattr(time, "sleep", pauses.append)
    path = tmp_path / "HJRK_1.csv"
    path.write_text("header\r\n")
    stat = path.stat()
    stable, _ = settled([Candidate(path, KIND, stat.st_size, stat.st_mtime_ns - 3_600 * 10**9)], 30)
    assert [c.path for c in stable] == [path] and pauses == [0.0]  # modified an hour ago: no pause
    stable, _ = settled([Candidate(path, KIND, stat.st_size, time.time_ns())], 30)
    assert [c.path for c in stable] == [path] and 29 < pauses[-1] <= 30  # just written: waits the whole time
