"""The .xlsx reader of the sync gives, row for row, the values openpyxl's read-only mode gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from extractors.tabular import read_xlsx
from extractors.xlsx import sheet_rows
from simulator.systems import xlsx as simulated

WHEN = dt.datetime(2026, 1, 5, 2, 0)


def openpyxl_rows(path: Path) -> list[tuple[int, tuple[Any, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = enumerate(book.worksheets[0].iter_rows(values_only=True), start=1)
        return [(n, tuple(r)) for n, r in rows if any(v is not None for v in r)]
    finally:
        book.close()


def ours(path: Path) -> list[tuple[int, tuple[Any, ...]]]:
    return [(n, r) for n, r in sheet_rows(path) if any(v is not None for v in r)]


def test_simulated_export_reads_the_same(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "姓名": ["𠮷伟", "A&B <C>", None, "  空格  "],
            "出生日期": [dt.date(1985, 3, 5), "1985-03-05", None, dt.date(1900, 1, 1)],
            "报警时间": [dt.datetime(2025, 12, 18, 16, 18, 52), None, "2025-12-18 16:18:52", None],
            "证件号码": ["429004198503051239", "  leading spaces", "0001", None],
        }
    )
    path = tmp_path / "LDRK.xlsx"
    path.write_bytes(simulated.workbook_bytes(frame, "LDRK", WHEN, creator="x"))
    assert ours(path) == openpyxl_rows(path)
    assert ours(path)[1][1][1] == dt.datetime(1985, 3, 5)


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_typed_cells_shared_strings_and_gaps_read_the_same(tmp_path: Path, epoch_1904: bool) -> None:
    book = openpyxl.Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.append(["号码", "名称", "金额", "日期", "标志"])
    sheet.append([1, "甲", 1.5, dt.datetime(2026, 1, 5, 8, 30), True])
    sheet.append([2, "甲", 1e20, dt.date(1985, 3, 5), False])
    sheet.append([3, "#N/A", 0.1, dt.time(12, 30), None])
    sheet.append([13393684604, None, -7, dt.timedelta(hours=30), "=1+1"])
    sheet.cell(8, 2, CellRichText(["前", TextBlock(InlineFont(b=True), "粗"), "后"]))
    sheet.cell(9, 7, "beyond the header")
    sheet.cell(10, 1, "")
    book.create_sheet("second").append(["not", "read"])
    path = tmp_path / "typed.xlsx"
    book.save(path)
    assert ours(path) == openpyxl_rows(path)


def test_a_sheet_without_header_row_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.cell(2, 1, "号码")
    path = tmp_path / "no_header.xlsx"
    book.save(path)
    with pytest.raises(ValueError, match="no header row"):
        read_xlsx(path)
