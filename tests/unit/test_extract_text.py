"""Values land as text exactly as the source held them; CSV and Excel exports parse into rows and rejects."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

from extractors.database import chunk_table, text_array
from extractors.tabular import read_csv

CST = dt.timezone(dt.timedelta(hours=8))


def test_typed_values_render_as_source_text() -> None:
    assert text_array([dt.datetime(2026, 1, 5, 8, 0), dt.datetime(2026, 1, 5, 8, 0, 0, 500)]).to_pylist() == [
        "2026-01-05 08:00:00", "2026-01-05 08:00:00.000500",
    ]  # fmt: skip
    assert text_array([dt.datetime(2026, 1, 5, 8, 0, tzinfo=CST)]).to_pylist() == ["2026-01-05 00:00:00+0000"]
    assert text_array([dt.date(1985, 3, 5), None]).to_pylist() == ["1985-03-05", None]
    assert text_array([decimal.Decimal("12.50"), True, 7]).to_pylist() == ["12.50", "true", "7"]


def test_mixed_values_fall_back_to_the_same_rendering() -> None:
    mixed = [dt.datetime(2026, 1, 5, 8, 0), "0000-00-00 00:00:00", None, b"\x00\xff"]
    assert text_array(mixed).to_pylist() == ["2026-01-05 08:00:00", "0000-00-00 00:00:00", None, "0x00ff"]


def test_chunk_is_all_text() -> None:
    table = chunk_table(["id", "born"], [(1, dt.date(1985, 3, 5)), (2, None)])
    assert table.to_pylist() == [{"id": "1", "born": "1985-03-05"}, {"id": "2", "born": None}]
    assert chunk_table(["id"], []).schema.field("id").type == "string"


def test_csv_lines_parse_independently(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    lines = ["号码,名称,备注", '1,"甲,乙","说""好"""', '2,"丙', "3,丁,", "4,戊", "5,己,x,y", "", '6,"",z']
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    parsed = read_csv(path)
    assert parsed.rows.to_pylist() == [
        {"号码": "1", "名称": "甲,乙", "备注": '说"好"', "_line": 2},
        {"号码": "3", "名称": "丁", "备注": None, "_line": 4},
        {"号码": "6", "名称": "", "备注": "z", "_line": 8},
    ]
    assert [(r.line, r.rule) for r in parsed.rejects] == [
        (3, "broken_quoting"), (5, "missing_columns"), (6, "too_many_columns"),
    ]  # fmt: skip
    assert parsed.records == 6 and not parsed.cut_last_line


def test_cut_last_line_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("号码,名称\r\n1,甲\r\n2", encoding="utf-8")
    assert read_csv(path).cut_last_line
    path.write_text("号码,名称\r\n1,甲\r\n2,乙", encoding="utf-8")  # no final line end but complete
    assert not read_csv(path).cut_last_line
