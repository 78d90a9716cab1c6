"""mail_report sends what a report manifest lists: HTML body, inline charts by Content-ID, attachments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.orchestration.report_mail import mail_report

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452")


def test_manifest_becomes_one_message(home: Path, smtp_inbox: tuple[Any, int]) -> None:
    inbox, port = smtp_inbox
    report = home / "reports" / "2026-11-25"
    report.mkdir(parents=True)
    (report / "report.html").write_text('<h1>数据质量</h1><img src="cid:trend">', encoding="utf-8")
    (report / "trend.png").write_bytes(PNG)
    (report / "issues.csv").write_text("source,rule,count\ngrid,id_checksum,3\n", encoding="utf-8")
    settings = Settings(home=home, smtp_host="127.0.0.1", smtp_port=port, report_to=["bdc@example.org"])
    manifest = {
        "subject": "数据质量报告 2026-11-25",
        "html": "reports/2026-11-25/report.html",
        "images": {"trend": str(report / "trend.png")},
        "attachments": ["reports/2026-11-25/issues.csv"],
    }

    sent = mail_report(settings, manifest)

    [msg] = inbox.messages
    assert sent["message_id"] == msg["Message-ID"] and sent["recipients"] == 1
    assert msg["To"] == "bdc@example.org"
    assert "数据质量" in msg.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    image = next(p for p in msg.walk() if p.get_content_type() == "image/png")
    assert image["Content-ID"] == "<trend>" and image.get_content() == PNG
    assert [a.get_filename() for a in msg.iter_attachments()] == ["issues.csv"]


def test_missing_report_file_is_fatal(home: Path) -> None:
    manifest = {"subject": "s", "html": "reports/none.html"}
    with pytest.raises(FatalError, match="rebuild the report"):
        mail_report(Settings(home=home, report_to=["a@example.org"]), manifest)
