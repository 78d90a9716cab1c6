"""`grassroots report` end to end on a home holding only quarantine files (nothing published yet)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from grassroots import quarantine
from grassroots.cli import main
from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.pipeline.report import build_report
from grassroots.report import ReportInputs


def _quarantine(home: Path) -> None:
    rows = [
        quarantine.record(
            run_id="r1",
            stage="extract",
            source="grid",
            table_or_file="JC_RK",
            rule="id_checksum",
            reason="公民身份号码校验位错误",
            record_key="R1",
            value="429004198503051238",
        ),
        quarantine.record(
            run_id="r1",
            stage="extract",
            source="police",
            table_or_file="HJRK_429004_20261101_1.csv",
            rule="phone_format",
            reason="bad phone",
            line=3,
            value="1397280123",
            severity="warning",
        ),
    ]
    quarantine.write(home, "extract", rows)


def test_no_send_writes_the_report_and_worklists(home: Path, tmp_path: Path) -> None:
    _quarantine(home)
    out = tmp_path / "copy" / "report.html"
    assert main(["--home", str(home), "report", "--no-send", "--out", str(out), "--format", "xlsx"]) == 0
    (run,) = (home / "reports").iterdir()
    assert (run / "report.html").read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    assert sorted(p.name for p in run.glob("worklist-*")) == ["worklist-grid.xlsx", "worklist-police.xlsx"]
    html = out.read_text(encoding="utf-8")
    assert "id_checksum" in html and "429004198503051238" not in html
    assert "validation_result" in html  # listed among the inputs not available yet


def test_sending_without_a_recipient_says_how_to_set_one(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GRASSROOTS_REPORT_TO", raising=False)
    assert main(["--home", str(home), "report"]) == 2
    assert "GRASSROOTS_REPORT_TO" in capsys.readouterr().err
    assert not (home / "reports").exists()


def test_a_failed_build_leaves_no_half_written_report(home: Path, tmp_path: Path) -> None:
    duckdb.execute(f"COPY (SELECT 1 AS x) TO '{tmp_path / 'wrong.parquet'}' (FORMAT parquet)")
    with pytest.raises(FatalError, match="declared columns"):
        build_report(Settings(home=home), ReportInputs(finding=str(tmp_path / "wrong.parquet")), run_id="r1")
    assert list((home / "reports").iterdir()) == []
