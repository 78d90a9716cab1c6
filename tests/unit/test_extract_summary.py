"""Sync summaries: JSON lines, the human table, and the error a scheduler sees."""

from __future__ import annotations

import json

import pytest

from extractors.summary import SyncSummary
from grassroots.commands.sync import render_table
from grassroots.errors import FatalError, TransientError
from grassroots.pipeline.sync import raise_for_failures


def test_json_line_and_op_counts() -> None:
    s = SyncSummary("grid", "JC_RK", load_id="L000000001", watermark="2026-01-05 10:00:00")
    s.count_ops(["insert", "insert", "update", "delete"])
    body = json.loads(s.to_json())
    assert (body["rows"], body["inserts"], body["updates"], body["deletes"]) == (4, 2, 1, 1)
    assert body["watermark"] == "2026-01-05 10:00:00" and body["status"] == "ok"


def test_table_lists_every_line_and_the_messages() -> None:
    lines = [
        SyncSummary("grid", "JC_RK", rows=3, inserts=3, load_id="L1", drift={"action": "evolved"}),
        SyncSummary(
            "police", "HJRK", file="HJRK_1.csv", status="quarantined", message="MD5 differs", quarantined=1
        ),
    ]
    text = render_table(lines)
    header, rule, first, second, _, note = text.splitlines()
    assert header.split() == ["source", "table", "file", "status", "rows", "ins", "upd", "del", "quar", "watermark",
                              "load", "drift"]  # fmt: skip
    assert set(rule.replace(" ", "")) == {"-"}
    assert first.split() == ["grid", "JC_RK", "ok", "3", "3", "0", "0", "0", "L1", "evolved"]
    assert "quarantined" in second and note == "police HJRK_1.csv: MD5 differs"


def test_failures_raise_the_right_kind() -> None:
    raise_for_failures([SyncSummary("grid", "JC_RK")])
    transient = SyncSummary("grid", "*", status="failed", message="down", error="transient")
    with pytest.raises(TransientError, match="grid: down"):
        raise_for_failures([transient])
    fatal = SyncSummary("civil", "*", status="failed", message="frozen", error="fatal")
    with pytest.raises(FatalError):
        raise_for_failures([transient, fatal])
