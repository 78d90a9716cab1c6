"""send_mail against a real SMTP server (aiosmtpd) on localhost: plain, STARTTLS with login, implicit TLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import SecretStr

from grassroots.config import Settings
from grassroots.errors import FatalError, TransientError
from grassroots.notify import Attachment, InlineImage, send_mail

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check_login(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"clerk",
        b"s3cret",
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for localhost; the client trusts it through SSL_CERT_FILE."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_file, key_file


def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


def serve(inbox: Inbox, **kwargs: Any) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller


def settings_for(controller: Controller, **smtp: Any) -> Settings:
    return Settings(smtp_host="localhost", smtp_port=controller.port, mail_from="center@example.org", **smtp)


@pytest.fixture
def plain_server() -> Iterator[tuple[Inbox, Controller]]:
    inbox = Inbox()
    controller = serve(inbox)
    yield inbox, controller
    controller.stop()


def test_message_arrives_with_html_inline_image_and_attachment(
    plain_server: tuple[Inbox, Controller],
) -> None:
    inbox, controller = plain_server
    html = '<h1>质量报告</h1><img src="cid:chart1">'
    message_id = send_mail(
        settings_for(controller),
        ["bdc@example.org", "grid@example.org"],
        "数据质量报告 2026-11-25",
        html,
        text="质量报告",
        attachments=[Attachment("issues.csv", "来源,问题\ngrid,3\n".encode())],
        inline_images=[InlineImage("chart1", PNG)],
    )

    assert inbox.envelopes == [("center@example.org", ["bdc@example.org", "grid@example.org"])]
    msg = inbox.messages[0]
    assert msg["Message-ID"] == message_id
    assert str(msg["Subject"]) == "数据质量报告 2026-11-25"
    body = msg.get_body(preferencelist=("html",))
    assert body is not None and "质量报告" in body.get_content()
    assert msg.get_body(preferencelist=("plain",)).get_content().strip() == "质量报告"  # type: ignore[union-attr]
    parts = list(msg.walk())
    image = next(p for p in parts if p.get_content_type() == "image/png")
    assert image["Content-ID"] == "<chart1>"
    assert image.get_content() == PNG
    attachment = next(msg.iter_attachments())
    assert attachment.get_filename() == "issues.csv"
    assert attachment.get_content_type() == "text/csv"
    assert attachment.get_payload(decode=True) == "来源,问题\ngrid,3\n".encode()


def test_attachment_from_path(plain_server: tuple[Inbox, Controller], tmp_path: Path) -> None:
    inbox, controller = plain_server
    report = tmp_path / "report.html"
    report.write_text("<p>ok</p>", encoding="utf-8")
    send_mail(settings_for(controller), ["a@example.org"], "s", "<p>see attachment</p>", attachments=[report])
    attachment = next(inbox.messages[0].iter_attachments())
    assert attachment.get_filename() == "report.html"


def test_starttls_with_login(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    inbox = Inbox()
    controller = serve(
        inbox,
        tls_context=server_context(certificate),
        require_starttls=True,
        authenticator=check_login,
        auth_required=True,
    )
    try:
        settings = settings_for(
            controller, smtp_starttls=True, smtp_user="clerk", smtp_password=SecretStr("s3cret")
        )
        send_mail(settings, ["a@example.org"], "over starttls", "<p>hi</p>")
        assert len(inbox.messages) == 1

        wrong = settings.model_copy(update={"smtp_password": SecretStr("wrong")})
        with pytest.raises(FatalError, match="refused the login") as caught:
            send_mail(wrong, ["a@example.org"], "s", "<p>x</p>")
        assert "wrong" not in str(caught.value)
    finally:
        controller.stop()


def test_implicit_tls(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    inbox = Inbox()
    controller = serve(inbox, ssl_context=server_context(certificate))
    try:
        send_mail(settings_for(controller, smtp_ssl=True), ["a@example.org"], "over tls", "<p>hi</p>")
        assert inbox.messages[0]["Subject"] == "over tls"
    finally:
        controller.stop()


def test_untrusted_certificate_is_fatal(
    certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    controller = serve(Inbox(), ssl_context=server_context(certificate))
    try:
        with pytest.raises(FatalError, match="not trusted"):
            send_mail(settings_for(controller, smtp_ssl=True), ["a@example.org"], "s", "<p>x</p>")
    finally:
        controller.stop()


def test_unreachable_server_is_transient() -> None:
    settings = Settings(smtp_host="127.0.0.1", smtp_port=free_port())
    with pytest.raises(TransientError, match="retry when the server is reachable"):
        send_mail(settings, ["a@example.org"], "s", "<p>x</p>")
