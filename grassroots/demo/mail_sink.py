"""A local SMTP server that keeps every message it receives as an .eml file, for machines without a mail server.

The demo mails its report through the same SMTP code as production; when nothing listens on the configured
server, this sink stands in for it on a free localhost port and the messages land in ``<home>/reports/outbox``.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from grassroots.config import Settings

log = logging.getLogger(__name__)

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
PROBE_TIMEOUT_SECONDS = 1.0


def outbox_dir(settings: Settings) -> Path:
    return settings.paths.reports / "outbox"


def smtp_server_answers(host: str, port: int, timeout: float = PROBE_TIMEOUT_SECONDS) -> bool:
    """Whether something accepts TCP connections at ``host:port`` (we do not speak SMTP to it: it may be real)."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def needs_sink(settings: Settings) -> bool:
    """No mail server to use: the host is this machine (the default) and nothing listens on the port.

    A remote host counts as configured even when unreachable right now: sending then fails with the SMTP error,
    which is what its operator needs to see.
    """
    if settings.smtp_host not in LOCAL_HOSTS:
        return False
    return not smtp_server_answers(settings.smtp_host, settings.smtp_port)


@dataclass
class Outbox:
    """aiosmtpd handler writing each message's bytes, as received, to ``<folder>/<time>-<n>.eml``."""

    folder: Path
    saved: list[Path] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _write(self, content: bytes) -> Path:
        """A new file: an earlier run's message received in the same second is never overwritten."""
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        n = len(self.saved)
        while True:
            n += 1
            path = self.folder / f"{stamp}-{n:03d}.eml"
            try:
                with path.open("xb") as out:
                    out.write(content)
                return path
            except FileExistsError:
                continue

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else envelope.content.encode()
        with self._lock:
            path = self._write(content)
            self.saved.append(path)
        log.info("mail sink kept a message for %d recipient(s) in %s", len(envelope.rcpt_tos), path)
        return "250 Message accepted for delivery"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def mail_sink(folder: Path, host: str = "127.0.0.1") -> Iterator[tuple[Outbox, int]]:
    """Run the sink on a free port of ``host`` while the block runs; yields the outbox and the port."""
    # aiosmtpd logs every SMTP command at INFO: noise next to the demo's progress.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    outbox = Outbox(folder)
    port = free_port(host)
    controller = Controller(outbox, hostname=host, port=port)
    controller.start()
    log.info("no SMTP server configured: a local mail sink listens on %s:%d", host, port)
    try:
        yield outbox, port
    finally:
        controller.stop()
