"""Mail over SMTP for quality reports and failure notices: HTML with a text part, inline images, attachments.

The server comes from the ``smtp_*`` settings (plain, STARTTLS or implicit TLS, optional login); nothing secret is
ever logged. Connection faults are transient (retry later); refused logins and recipients are fatal (fix settings).
"""

from __future__ import annotations

import logging
import mimetypes
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from grassroots.config import Settings
from grassroots.errors import FatalError, TransientError

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Attachment:
    """A file carried by the message; ``mimetype`` is guessed from the name when not given."""

    filename: str
    content: bytes
    mimetype: str | None = None

    @classmethod
    def from_path(cls, path: Path) -> Attachment:
        return cls(filename=path.name, content=path.read_bytes())


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML shows with ``<img src="cid:{cid}">``, so mail clients display it without fetching."""

    cid: str
    content: bytes
    subtype: str = "png"


def build_message(
    settings: Settings,
    to: Sequence[str],
    subject: str,
    html: str,
    text: str | None = None,
    attachments: Sequence[Attachment | Path] = (),
    inline_images: Sequence[InlineImage] = (),
) -> EmailMessage:
    """The MIME tree: mixed(alternative(text, related(html, images...)), attachments...)."""
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    msg.set_content(text or "This message is HTML; open it in a mail client that shows HTML.")
    msg.add_alternative(html, subtype="html")
    html_part = msg.get_body(preferencelist=("html",))
    assert html_part is not None  # add_alternative just made it
    for image in inline_images:
        html_part.add_related(image.content, maintype="image", subtype=image.subtype, cid=f"<{image.cid}>")
    for item in attachments:
        _attach(msg, item if isinstance(item, Attachment) else Attachment.from_path(item))
    return msg


def _attach(msg: EmailMessage, attachment: Attachment) -> None:
    mimetype = (
        attachment.mimetype or mimetypes.guess_type(attachment.filename)[0] or "application/octet-stream"
    )
    maintype, _, subtype = mimetype.partition("/")
    msg.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)


def send_mail(
    settings: Settings,
    to: Sequence[str],
    subject: str,
    html: str,
    text: str | None = None,
    attachments: Sequence[Attachment | Path] = (),
    inline_images: Sequence[InlineImage] = (),
) -> str:
    """Send one message to ``to`` and return its Message-ID."""
    recipients = [address for address in to if address.strip()]
    if not recipients:
        raise FatalError(
            f"No recipient for mail {subject!r}: set GRASSROOTS_REPORT_TO (a JSON list) or pass recipients."
        )
    msg = build_message(settings, recipients, subject, html, text, attachments, inline_images)
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    try:
        with _connect(settings) as smtp:
            smtp.send_message(msg, from_addr=settings.mail_from, to_addrs=recipients)
    except smtplib.SMTPAuthenticationError as exc:
        raise FatalError(
            f"SMTP server {where} refused the login of GRASSROOTS_SMTP_USER (code {exc.smtp_code}): "
            "check the user name and GRASSROOTS_SMTP_PASSWORD."
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise FatalError(
            f"SMTP server {where} refused {len(exc.recipients)} recipient(s): check the addresses."
        ) from None
    except smtplib.SMTPNotSupportedError as exc:
        raise FatalError(f"SMTP server {where} does not support what the settings ask ({exc}).") from None
    except ssl.SSLCertVerificationError as exc:
        raise FatalError(
            f"TLS certificate of SMTP server {where} is not trusted ({exc.verify_message}): "
            "install its CA, or point SSL_CERT_FILE at it."
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise TransientError(
            f"Could not send mail through SMTP server {where} ({type(exc).__name__}: {exc}); "
            "retry when the server is reachable."
        ) from exc
    log.info("Sent mail %r to %d recipient(s) through %s", subject, len(recipients), where)
    return str(msg["Message-ID"])


def _connect(settings: Settings) -> smtplib.SMTP:
    """An open, greeted and (if configured) encrypted and logged-in SMTP session."""
    host, port = settings.smtp_host, settings.smtp_port
    if settings.smtp_ssl and settings.smtp_starttls:
        raise FatalError(
            "Set only one of GRASSROOTS_SMTP_SSL (implicit TLS, port 465) and GRASSROOTS_SMTP_STARTTLS."
        )
    context = ssl.create_default_context()
    smtp: smtplib.SMTP
    if settings.smtp_ssl:
        smtp = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)
    try:
        smtp.ehlo(socket.getfqdn())
        if settings.smtp_starttls:
            smtp.starttls(context=context)
            smtp.ehlo(socket.getfqdn())
        if settings.smtp_user:
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_user, password)
    except BaseException:
        smtp.close()
        raise
    return smtp
