"""Shared fixtures: a home directory per test, throw-away databases on the real PostgreSQL and MariaDB, and a real
SMTP server on localhost that keeps what it receives.

On a machine without the servers the tests that need them skip with the reason; under CI (CI=true) they fail instead,
so a missing service can never pass silently.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

PG_ADMIN_URL = os.environ.get("GRASSROOTS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
MARIADB_ADMIN_URL = os.environ.get("GRASSROOTS_TEST_MARIADB", "mysql+pymysql://root@127.0.0.1:3306/")


def _unavailable(what: str, exc: Exception) -> None:
    reason = f"{what} is not reachable ({type(exc).__name__}); start it to run this test"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}. Under CI the real services must run.")
    pytest.skip(reason)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty home directory."""
    root = tmp_path / "home"
    root.mkdir()
    return root


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database (UTF-8), dropped afterwards."""
    name = f"gr_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0"))
    except sa.exc.OperationalError as exc:
        _unavailable("PostgreSQL at 127.0.0.1:5432", exc)
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def mariadb_url() -> Iterator[str]:
    """A fresh MariaDB database (utf8mb4), dropped afterwards."""
    name = f"gr_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(MARIADB_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
    except sa.exc.OperationalError as exc:
        _unavailable("MariaDB at 127.0.0.1:3306", exc)
    url = sa.engine.make_url(MARIADB_ADMIN_URL).set(database=name, query={"charset": "utf8mb4"})
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
    admin.dispose()


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[Inbox, int]]:
    """A plain SMTP server (aiosmtpd) on a free localhost port: (its inbox, the port)."""
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
