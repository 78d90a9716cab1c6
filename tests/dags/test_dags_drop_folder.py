"""The cheap drop-folder check: only flagged exports count, and only those new since the last successful sync."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from extractors.declare import FileKind, FileSource
from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.orchestration import drop_folder


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


def test_only_flagged_matching_exports_are_listed(tmp_path: Path) -> None:
    drop(tmp_path, "HJRK_429004_20261125_1.csv")
    drop(tmp_path, "JQ_429004_20261125_1.xlsx", flag=False)  # still being written
    drop(tmp_path, "notes.txt")  # no kind matches
    listing = drop_folder.flagged_exports(Settings(home=tmp_path), police(tmp_path))
    assert list(listing) == ["HJRK_429004_20261125_1.csv"]


def test_new_until_remembered_then_again_when_changed(tmp_path: Path) -> None:
    settings, source = Settings(home=tmp_path / "home"), police(tmp_path)
    drop(tmp_path, "HJRK_429004_20261125_1.csv")
    listing = drop_folder.flagged_exports(settings, source)
    assert drop_folder.new_exports(listing, drop_folder.read_seen(settings, "police")) == [
        "HJRK_429004_20261125_1.csv"
    ]

    drop_folder.remember(settings, "police", listing)
    again = drop_folder.flagged_exports(settings, source)
    assert drop_folder.new_exports(again, drop_folder.read_seen(settings, "police")) == []

    drop(tmp_path, "HJRK_429004_20261125_1.csv", b"rewritten")
    os.utime(tmp_path / "HJRK_429004_20261125_1.csv", ns=(1, 1))
    drop(tmp_path, "JQ_429004_20261126_1.xlsx")
    changed = drop_folder.flagged_exports(settings, source)
    assert drop_folder.new_exports(changed, drop_folder.read_seen(settings, "police")) == [
        "HJRK_429004_20261125_1.csv",
        "JQ_429004_20261126_1.xlsx",
    ]


def test_missing_folder_is_fatal_and_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(FatalError, match="GRASSROOTS_POLICE_DIR"):
        drop_folder.flagged_exports(Settings(home=tmp_path), police(tmp_path / "absent"))
