"""The report mailed to a real SMTP server (aiosmtpd on a free port): HTML, inline charts, worklists, no personal data."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from grassroots.config import Settings
from grassroots.pipeline.report import build_report, send_report
from grassroots.report import ReportOptions, synthetic

# An 18-digit citizen ID or an 11-digit mobile standing alone: what must never leave unmasked.
PERSONAL_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_report_arrives_with_inline_charts_and_worklists(
    home: Path, tmp_path: Path, smtp_inbox: tuple[Any, int], fmt: str
) -> None:
    inbox, port = smtp_inbox
    settings = Settings(home=home, smtp_host="127.0.0.1", smtp_port=port, mail_from="report@xiantao.test")
    inputs = synthetic.write(tmp_path / "inputs")
    result = build_report(settings, inputs, options=ReportOptions(worklist_format=fmt))  # type: ignore[arg-type]
    send_report(settings, result, ["center@xiantao.test"])

    (msg,) = inbox.messages
    assert msg["To"] == "center@xiantao.test"
    assert "基层数据质量报告" in str(msg["Subject"])
    html_part = msg.get_body(preferencelist=("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "质量评分" in html and "系统间匹配率" in html

    images = {
        p["Content-ID"].strip("<>"): p.get_content()
        for p in msg.walk()
        if p.get_content_maintype() == "image"
    }
    cids = set(re.findall(r'src="cid:([^"]+)"', html))
    assert cids and cids == set(images)  # every reference resolves, no orphan image
    assert all(png.startswith(b"\x89PNG") for png in images.values())
    assert "data:image" not in html  # the mail carries images as parts, not inline data

    attachments = {p.get_filename(): p.get_payload(decode=True) for p in msg.iter_attachments()}
    assert sorted(attachments) == [f"worklist-{s}.{fmt}" for s in ("civil", "grid", "police")]
    texts = [html, *(_attachment_text(name, data) for name, data in attachments.items())]
    grid = _attachment_text(f"worklist-grid.{fmt}", attachments[f"worklist-grid.{fmt}"])
    assert "finding:conflict:sex" in grid and "R011" in grid

    for text in texts:
        assert PERSONAL_RE.findall(text) == []
    assert PERSONAL_RE.findall(result.html_path.read_text(encoding="utf-8")) == []


def _attachment_text(name: str, data: bytes) -> str:
    if name.endswith(".csv"):
        assert data.startswith(b"\xef\xbb\xbf")
        return data.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row) for row in sheet.iter_rows(values_only=True)
    )


def test_the_synthetic_inputs_do_hold_personal_data(tmp_path: Path) -> None:
    """Guards the test above: the masking is exercised only if the inputs carry full IDs and mobiles."""
    import duckdb

    inputs = synthetic.write(tmp_path / "inputs")
    con = duckdb.connect()
    person = con.execute(
        f"SELECT citizen_id, phone FROM read_parquet('{inputs.entities['person']}')"
    ).fetchall()
    quarantine = con.execute(f"SELECT record_key, reason FROM read_parquet('{inputs.quarantine}')").fetchall()
    assert PERSONAL_RE.findall(str(person)) and PERSONAL_RE.findall(str(quarantine))
