"""File-drop extraction on real files: encodings, formats by content, flags, duplicates, truncation, bad rows."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import openpyxl
import pytest

from extractors.context import SyncContext
from extractors.declare import FileKind, FileSource
from extractors.landing import current_sql
from extractors.run import sync_source
from extractors.state import StateDB, state_path
from extractors.summary import SyncSummary
from grassroots import quarantine
from grassroots.config import Settings

HEADER = "公民身份号码,姓名,现住址,变更类型"
KINDS = (
    FileKind("HJRK", "HJRK_*.csv", ("公民身份号码",), formats=("csv",), encodings=("utf-8-sig", "gb18030")),
    FileKind("LDRK", "LDRK_*.xlsx", ("证件号码",)),
)


def source(home: Path) -> FileSource:
    return FileSource("p", "test drop", KINDS, locate=lambda s: home / "drop", settle_seconds=0)


def drop(home: Path, name: str, data: bytes, rows: int | None = None, md5: str | None = None) -> Path:
    folder = home / "drop"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    count = rows if rows is not None else data.count(b"\n") - 1
    (folder / f"{name}.ok").write_text(f"{count}\n{md5 or hashlib.md5(data).hexdigest()}\n")
    return path


def csv_bytes(lines: list[str], codec: str = "gb18030") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(codec)


def run(home: Path) -> list[SyncSummary]:
    state = StateDB(state_path(home))
    out: list[SyncSummary] = []
    try:
        sync_source(SyncContext(home, state, "test"), source(home), Settings(home=home), out)
    finally:
        state.close()
    return out


def quarantined(home: Path) -> list[tuple[object, ...]]:
    sql = f"SELECT table_or_file, line, rule FROM read_parquet('{quarantine.glob(home)}') ORDER BY 1, 2, 3"
    return duckdb.sql(sql).fetchall() if list((home / "quarantine").rglob("*.parquet")) else []


def test_gb18030_csv_lands_with_codec_and_lines(home: Path) -> None:
    drop(
        home,
        "HJRK_429004_20260101_001.csv",
        csv_bytes([HEADER, "429004198503051239,张𠮷,沙嘴,", "2,䶮,长埫口,"]),
    )
    [got] = run(home)
    assert (got.status, got.inserts, got.codec) == ("ok", 2, "gb18030")
    rows = duckdb.sql(
        f"SELECT 姓名, 现住址, _file, _line FROM ({current_sql(home, 'p', 'HJRK')}) ORDER BY _line"
    )
    assert rows.fetchall() == [
        ("张𠮷", "沙嘴", "HJRK_429004_20260101_001.csv", 2),
        ("䶮", "长埫口", "HJRK_429004_20260101_001.csv", 3),
    ]
    assert run(home) == []  # nothing new


def test_utf8_with_bom_and_same_file_renamed_lands_once(home: Path) -> None:
    data = b"\xef\xbb\xbf" + csv_bytes([HEADER, "1,甲,沙嘴,"], "utf-8")
    drop(home, "HJRK_429004_20260101_001.csv", data)
    [got] = run(home)
    assert got.codec == "utf-8-sig" and got.inserts == 1
    drop(home, "HJRK_429004_20260101_009.csv", data)
    [again] = run(home)
    assert again.status == "skipped" and "HJRK_429004_20260101_001.csv" in (again.message or "")


def test_undecodable_file_is_quarantined_whole(home: Path) -> None:
    drop(home, "HJRK_429004_20260101_001.csv", csv_bytes([HEADER, "1,甲,沙嘴,"]) + b"2,\xff\x80,x,\r\n")
    [got] = run(home)
    assert got.status == "quarantined" and "utf-8" in (got.message or "") and "gb18030" in (got.message or "")
    assert quarantined(home) == [("HJRK_429004_20260101_001.csv", None, "file_encoding")]
    with pytest.raises(Exception, match="never been synced"):
        current_sql(home, "p", "HJRK")


def test_unflagged_and_truncated_files(home: Path) -> None:
    folder = home / "drop"
    folder.mkdir()
    (folder / "HJRK_429004_20260101_001.csv").write_bytes(csv_bytes([HEADER, "1,甲,沙嘴,"]))  # no flag yet
    [waiting] = run(home)
    assert waiting.status == "skipped" and "flag" in (waiting.message or "")
    full = csv_bytes([HEADER, "1,甲,沙嘴,", "2,乙,干河,"])
    drop(home, "HJRK_429004_20260102_001.csv", full[:-9], rows=2, md5=hashlib.md5(full).hexdigest())
    results = {r.file: r for r in run(home)}
    assert results["HJRK_429004_20260102_001.csv"].status == "quarantined"
    assert "MD5" in (results["HJRK_429004_20260102_001.csv"].message or "")


def test_cut_last_line_without_md5_is_truncation(home: Path) -> None:
    data = csv_bytes([HEADER, "1,甲,沙嘴,", "2,乙,干河,"])[:-7]
    path = drop(home, "HJRK_429004_20260101_001.csv", data)
    (path.parent / f"{path.name}.ok").write_text("2")  # a flag with a row count only
    [got] = run(home)
    assert got.status == "quarantined" and "cut" in (got.message or "")


def test_bad_rows_quarantined_good_rows_land(home: Path) -> None:
    lines = [HEADER, "1,甲,沙嘴,", "2,乙", '3,"丙,干河,', "4,丁,杜湖,,多余", "5,戊,郑场,", ",无号,毛嘴,"]
    drop(home, "HJRK_429004_20260101_001.csv", csv_bytes(lines), rows=6)
    [got] = run(home)
    assert (got.status, got.inserts) == ("ok", 2)
    assert [r[1:] for r in quarantined(home)] == [
        (3, "row_missing_columns"), (4, "row_broken_quoting"), (5, "row_too_many_columns"), (7, "row_key_missing"),
    ]  # fmt: skip
    rows = duckdb.sql(f"SELECT 公民身份号码, _line FROM ({current_sql(home, 'p', 'HJRK')}) ORDER BY 1")
    assert rows.fetchall() == [("1", 2), ("5", 6)]


def test_change_files_apply_in_order_and_header_drift_evolves(home: Path) -> None:
    drop(
        home,
        "HJRK_429004_20260101_001.csv",
        csv_bytes(["公民身份号码,姓名,现住址", "1,甲,沙嘴", "2,乙,干河"]),
    )
    drop(
        home,
        "HJRK_429004_20260102_001.csv",
        csv_bytes([HEADER, "2,乙,杜湖,修改", "3,丙,郑场,新增", "3,丙,毛嘴,修改", "1,甲,沙嘴,注销"]),
    )
    first, second = run(home)
    assert first.inserts == 2 and second.drift["added"] == ["变更类型"]
    assert (second.inserts, second.updates) == (1, 3)
    rows = duckdb.sql(
        f"SELECT 公民身份号码, 现住址, 变更类型 FROM ({current_sql(home, 'p', 'HJRK')}) ORDER BY 1"
    )
    assert rows.fetchall() == [("1", "沙嘴", "注销"), ("2", "杜湖", "修改"), ("3", "毛嘴", "修改")]


def test_excel_by_content_even_with_a_csv_name(home: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["证件号码", "姓名", "登记日期"])
    sheet.append(["A1", "甲", "2026-01-01"])
    sheet.append([None, None, None])
    sheet.append(["A2", "乙", None, "多余"])
    sheet.append([4.29004198503051e17, "丙", None])
    path = home / "book.xlsx"
    book.save(path)
    drop(home, "LDRK_429004_20260101_001.xlsx", path.read_bytes(), rows=3)
    [got] = run(home)
    assert (got.status, got.inserts, got.quarantined) == ("ok", 2, 1)
    rows = duckdb.sql(
        f"SELECT 证件号码, _line FROM ({current_sql(home, 'p', 'LDRK')}) ORDER BY _line"
    ).fetchall()
    assert rows == [("A1", 2), ("4.29004198503051e+17", 5)]  # raw as it came, not repaired here
    sheet.append(["A3", "丁", None])
    book.save(path)
    drop(home, "HJRK_429004_20260101_001.csv", path.read_bytes(), rows=4)
    [wrong] = run(home)
    assert wrong.status == "quarantined" and "xlsx" in (wrong.message or "")
