"""The cheap drop-folder check: flagged exports of a declared kind that the extractor's manifest does not know."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.declare import FileKind, FileSource
from extractors.state import StateDB, state_path
from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.orchestration.drop_folder import pending_exports


def police(folder: Path) -> FileSource:
    kinds = (
        FileKind("hjrk", "HJRK_*.csv", ("公民身份号码",)),
        FileKind("jq", "JQ_*.xlsx", ("警情编号",)),
    )
    return FileSource("police", "exports", kinds, locate=lambda settings: folder)


def drop(folder: Path, name: str, content: bytes = b"x", flag: bool = True) -> None:
    (folder / name).write_bytes(content)
    if flag:
        (folder / f"{name}.ok").write_text("1 md5", encoding="utf-8")


def handled(home: Path, folder: Path, name: str) -> None:
    stat = (folder / name).stat()
    state = StateDB(state_path(home))
    entry = {
        "sha256": name,
        "file_name": name,
        "kind": "hjrk",
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "status": "landed",
    }
    state.record_file("police", entry)
    state.close()


def test_only_flagged_exports_of_a_declared_kind_are_pending(tmp_path: Path) -> None:
    folder, home = tmp_path / "drop", tmp_path / "home"
    folder.mkdir()
    drop(folder, "HJRK_429004_20261125_1.csv")
    drop(folder, "JQ_429004_20261125_1.xlsx", flag=False)  # still being written
    drop(folder, "notes.txt")  # no kind matches
    assert pending_exports(Settings(home=home), police(folder)) == ["HJRK_429004_20261125_1.csv"]
    assert not state_path(home).exists(), "a check must not create the state database"


def test_handled_exports_are_not_pending_until_rewritten(tmp_path: Path) -> None:
    folder, home = tmp_path / "drop", tmp_path / "home"
    folder.mkdir()
    drop(folder, "HJRK_429004_20261125_1.csv", b"abc")
    drop(folder, "HJRK_429004_20261126_1.csv", b"abcd")
    handled(home, folder, "HJRK_429004_20261125_1.csv")
    settings = Settings(home=home)
    assert pending_exports(settings, police(folder)) == ["HJRK_429004_20261126_1.csv"]

    handled(home, folder, "HJRK_429004_20261126_1.csv")
    assert pending_exports(settings, police(folder)) == []

    drop(folder, "HJRK_429004_20261126_1.csv", b"abcdef")  # re-exported under the same name
    assert pending_exports(settings, police(folder)) == ["HJRK_429004_20261126_1.csv"]


def test_missing_folder_is_fatal_and_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(FatalError, match="GRASSROOTS_POLICE_DIR"):
        pending_exports(Settings(home=tmp_path), police(tmp_path / "absent"))
