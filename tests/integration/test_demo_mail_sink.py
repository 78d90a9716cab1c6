"""The demo's local mail sink: it stands in only when no server listens, and keeps what it receives as .eml."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from grassroots.config import Settings
from grassroots.demo.mail_sink import Outbox, free_port, mail_sink, needs_sink
from grassroots.demo.summary import read_eml
from grassroots.notify import InlineImage, send_mail


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield int(server.getsockname()[1])


def test_a_listening_local_server_is_used(tmp_path: Path, listening_port: int) -> None:
    settings = Settings(home=tmp_path, smtp_host="127.0.0.1", smtp_port=listening_port)
    assert not needs_sink(settings)


def test_nothing_listening_on_localhost_needs_the_sink(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, smtp_host="localhost", smtp_port=free_port())
    assert needs_sink(settings)


def test_a_remote_server_counts_as_configured_even_when_unreachable(tmp_path: Path) -> None:
    # 192.0.2.0/24 is TEST-NET-1: never routed, so this also proves no connection is attempted.
    settings = Settings(home=tmp_path, smtp_host="192.0.2.1", smtp_port=25)
    assert not needs_sink(settings)


def test_the_sink_keeps_each_message_as_received(tmp_path: Path) -> None:
    outbox_dir = tmp_path / "outbox"
    worklist = tmp_path / "worklist-grid.csv"
    worklist.write_text("\ufeffsystem,table\ngrid,JC_RK\n", encoding="utf-8")
    with mail_sink(outbox_dir) as (outbox, port):
        settings = Settings(home=tmp_path, smtp_host="127.0.0.1", smtp_port=port)
        for n in (1, 2):
            send_mail(
                settings,
                ["bdc@example.org"],
                f"报告 {n}",
                "<p>质量 <img src='cid:c1@x'></p>",
                text="quality",
                attachments=[worklist],
                inline_images=[InlineImage("c1@x", b"\x89PNG fake")],
            )
    assert [p.parent for p in outbox.saved] == [outbox_dir, outbox_dir]
    assert sorted(outbox_dir.glob("*.eml")) == sorted(outbox.saved)
    first = read_eml(outbox.saved[0])
    assert first["Subject"] == "报告 1" and first["To"] == "bdc@example.org"
    html = first.get_body(preferencelist=("html",))
    assert html is not None and "质量" in html.get_content()
    [attached] = list(first.iter_attachments())
    assert attached.get_filename() == "worklist-grid.csv"
    assert attached.get_payload(decode=True) == worklist.read_bytes()
    assert read_eml(outbox.saved[1])["Subject"] == "报告 2"


def test_an_earlier_runs_message_is_never_overwritten(tmp_path: Path) -> None:
    # Each demo run has its own sink counting from 1; two runs' messages in the same second must both survive.
    first, second = Outbox(tmp_path), Outbox(tmp_path)
    paths = [first._write(b"one"), second._write(b"two")]
    assert paths[0] != paths[1]
    assert [p.read_bytes() for p in paths] == [b"one", b"two"]
