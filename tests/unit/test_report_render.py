"""Rendering: images by Content-ID or data URI, strict templates, worklist files Excel can open, font fallback."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from grassroots.report import fonts
from grassroots.report.build import masked
from grassroots.report.files import csv_bytes, write_worklists
from grassroots.report.render import cid_sources, data_uri_sources, render_html, render_text


def _context() -> dict[str, object]:
    return {
        "title": "基层数据质量报告",
        "run_id": "20261125T000000Z",
        "generated_at": "2026-11-25 00:00",
        "summary": [{"zh": "拒收记录", "en": "refused records", "colour": "#c23b3b", "value": 3}],
        "missing_inputs": ["grid_freshness"],
        "scorecard": [
            {
                "source": "grid",
                "entity_kind": "person",
                "completeness": 0.9,
                "validity": None,
                "uniqueness": 1.0,
                "consistency": 0.5,
                "records": 4,
                "refused": 1,
                "warned": 0,
                "last_checked": datetime(2026, 10, 1),
            },
        ],
        "freshness": [],
        "freshness_more": False,
        "freshness_summary": {"grids": 0},
        "quarantine": [],
        "matches": [],
        "validation_trend": [],
        "finding_trend": [],
        "problems": [],
        "followup": [{"source": "grid", "new": 1, "open": 2, "fixed": 3, "unchecked": 0}],
        "stale_days": 30,
        "stale_before": datetime(2026, 10, 26),
        "worklists": {"grid": "worklist-grid.csv"},
        "worklist_format": "csv",
        "role_note_zh": "姓名仅保留姓氏。",
        "role_note_en": "names keep the surname only.",
    }


def test_mail_html_references_charts_by_content_id() -> None:
    html = render_html(_context(), cid_sources({"scorecard": "scorecard.r1@grassroots"}))
    assert 'src="cid:scorecard.r1@grassroots"' in html
    assert "<script" not in html and "<style" not in html  # mail clients strip both
    assert html.index("质量评分") < html.index("Quality by source")  # Chinese first
    assert "网格化服务管理平台 grid-management platform" in html
    assert "90.0%" in html and "worklist-grid.csv" in html
    assert 'background:#ffd8d3;">2026-10-01' in html  # validated before the stale limit


def test_browser_html_embeds_charts_as_data_uris() -> None:
    html = render_html(_context(), data_uri_sources({"scorecard": b"\x89PNG\r\n"}))
    assert 'src="data:image/png;base64,iVBORw0K"' in html


def test_a_missing_context_value_fails_loudly() -> None:
    context = _context()
    del context["scorecard"]
    with pytest.raises(Exception, match="scorecard"):
        render_html(context, {})


def test_text_part_lists_the_summary() -> None:
    text = render_text(_context())
    assert "拒收记录 refused records: 3" in text and "worklist-grid.csv" in text


def test_masked_masks_nested_text_but_not_grid_codes() -> None:
    value = {"a": ["身份证 429004198503051239", ("13972801234",)], "grid_code": "429004001001001"}
    assert masked(value) == {
        "a": ["身份证 429004********1239", ["139****1234"]],
        "grid_code": "429004001001001",
    }


def test_csv_starts_with_a_bom_and_xlsx_opens(tmp_path: Path) -> None:
    con = duckdb.connect()
    con.execute("""CREATE TABLE wl AS SELECT * FROM (VALUES
        ('grid', 'JC_RK', 'R1', 'id_checksum', '', 1, NULL, NULL, '校验位错误', '4290****', NULL, NULL, 'error',
         'new', 'r1'),
        ('police', 'HJRK', 'K1', 'sex_code', '', 3, NULL, NULL, '性别不符', '9', '1', 'golden', 'error', 'fixed', 'r0'))
        AS t(source, table_name, record_key, rule, field, records, entity_kind, entity_id, problem, current_value,
             suggested_value, suggested_from, severity, status, first_reported)""")
    csvs = write_worklists(con, "wl", tmp_path, "csv")
    assert sorted(csvs) == ["grid", "police"]
    raw = csvs["grid"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "状态 status" in text.splitlines()[0] and "新增 new" in text and "校验位错误" in text
    xlsx = write_worklists(con, "wl", tmp_path, "xlsx")
    sheet = load_workbook(io.BytesIO(xlsx["police"].read_bytes())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "已整改 fixed" and rows[1][6] == 3 and rows[1][10] == "1"
    assert csv_bytes(con.execute("SELECT 1 AS x").fetch_arrow_table()).startswith(b"\xef\xbb\xbf")
    (tmp_path / "z").mkdir()
    zipped = write_worklists(con, "wl", tmp_path / "z", "csv", zip_above=10)
    assert zipped["grid"].name == "worklist-grid.csv.zip"
    with zipfile.ZipFile(zipped["grid"]) as archive:
        assert archive.read("worklist-grid.csv") == raw


def test_charts_fall_back_to_english_labels_without_a_cjk_font(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fonts.cjk_family.cache_clear()
    monkeypatch.setattr(fonts, "CJK_FAMILIES", ("No Such Font",))
    monkeypatch.setattr(fonts.font_manager, "findSystemFonts", lambda: [])
    with caplog.at_level(logging.WARNING):
        assert fonts.label("得分", "score") == "score"
    assert "no font with Chinese glyphs" in caplog.text
    fonts.cjk_family.cache_clear()
