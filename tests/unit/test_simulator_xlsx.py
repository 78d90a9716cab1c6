"""The column-wise .xlsx writer of the police exports: what openpyxl and pandas read back."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl import load_workbook

from simulator.systems import xlsx

WHEN = dt.datetime(2026, 1, 5, 2, 0)


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "姓名": ["𠮷伟", "A&B <C>", None],
            "出生日期": [dt.date(1985, 3, 5), "1985-03-05", None],
            "报警时间": [dt.datetime(2025, 12, 18, 16, 18, 52), None, "2025-12-18 16:18:52"],
            "证件号码": ["429004198503051239", "  leading spaces", "0001"],
        }
    )


def test_values_types_and_properties_read_back() -> None:
    data = xlsx.workbook_bytes(_frame(), "LDRK", WHEN, creator="公安人口信息系统")
    wb = load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "LDRK"
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["姓名", "出生日期", "报警时间", "证件号码"]
    assert rows[1] == [
        "𠮷伟",
        dt.datetime(1985, 3, 5),
        dt.datetime(2025, 12, 18, 16, 18, 52),
        "429004198503051239",
    ]
    assert rows[2] == ["A&B <C>", "1985-03-05", None, "  leading spaces"]
    assert rows[3] == [None, None, "2025-12-18 16:18:52", "0001"]
    assert ws.cell(2, 2).number_format == "mm-dd-yy" and ws.cell(2, 3).is_date
    assert wb.properties.created == WHEN and wb.properties.modified == WHEN
    assert wb.properties.creator == "公安人口信息系统"


def test_pandas_reads_text_as_text_and_bytes_are_reproducible() -> None:
    data = xlsx.workbook_bytes(_frame(), "JQ", WHEN, creator="x")
    df = pd.read_excel(io.BytesIO(data), dtype=str)
    assert df["证件号码"].tolist() == ["429004198503051239", "  leading spaces", "0001"]
    assert data == xlsx.workbook_bytes(_frame(), "JQ", WHEN, creator="x")
    assert data != xlsx.workbook_bytes(_frame(), "JQ", WHEN + dt.timedelta(days=1), creator="x")
