"""The MIME tree build_message makes, and the settings send_mail refuses before touching the network."""

from __future__ import annotations

import pytest

from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.notify import Attachment, InlineImage, build_message, send_mail


def test_tree_is_mixed_alternative_related() -> None:
    msg = build_message(
        Settings(mail_from="center@example.org"),
        ["a@example.org"],
        "subject",
        '<img src="cid:c1">',
        text="plain",
        attachments=[Attachment("x.bin", b"\x00\x01")],
        inline_images=[InlineImage("c1", b"GIF89a", subtype="gif")],
    )
    types = [part.get_content_type() for part in msg.walk()]
    assert types == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/gif",
        "application/octet-stream",
    ]
    assert msg["Message-ID"].endswith("@example.org>")


def test_no_inline_images_or_attachments_keeps_it_alternative() -> None:
    msg = build_message(Settings(), ["a@example.org"], "s", "<p>x</p>")
    assert msg.get_content_type() == "multipart/alternative"
    assert "open it in a mail client" in msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


def test_no_recipient_is_fatal_and_says_what_to_set() -> None:
    with pytest.raises(FatalError, match="GRASSROOTS_REPORT_TO"):
        send_mail(Settings(), ["", " "], "s", "<p>x</p>")


def test_ssl_and_starttls_together_is_fatal() -> None:
    with pytest.raises(FatalError, match="only one of"):
        send_mail(Settings(smtp_ssl=True, smtp_starttls=True), ["a@example.org"], "s", "<p>x</p>")
