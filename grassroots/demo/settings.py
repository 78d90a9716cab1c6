"""The settings the demo runs with: the user's, plus what a fresh machine lacks (a privacy key, a recipient, a mail server).

A configured value always wins; the demo fills only the gaps, and says so.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from pydantic import SecretStr

from grassroots.config import Settings

log = logging.getLogger(__name__)

DEMO_RECIPIENT = "big-data-center@localhost"


def demo_dir(settings: Settings) -> Path:
    return settings.paths.root / "demo"


def demo_key_file(settings: Settings) -> Path:
    return demo_dir(settings) / "privacy.key"


def demo_privacy_key(settings: Settings) -> SecretStr:
    """A random key kept in ``<home>/demo/privacy.key`` (owner-only), made on first use and reused after.

    Real deployments keep the key outside the data (docs/deployment.md); a demo city is synthetic, and reusing the key
    keeps the pseudonyms of a second demo run equal to the first's.
    """
    path = demo_key_file(settings)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(32))
        log.info("no GRASSROOTS_PRIVACY_KEY set: made a demo key in %s", path)
    return SecretStr(path.read_text(encoding="utf-8").strip())


def has_privacy_key(settings: Settings) -> bool:
    return settings.privacy_key is not None and bool(settings.privacy_key.get_secret_value())


def demo_settings(settings: Settings, sink_port: int | None) -> Settings:
    """The settings for one demo run; ``sink_port`` points the mail at the local sink."""
    updates: dict[str, object] = {"home": settings.home.resolve()}
    if not has_privacy_key(settings):
        updates["privacy_key"] = demo_privacy_key(settings)
    if not settings.report_to:
        updates["report_to"] = [DEMO_RECIPIENT]
    if sink_port is not None:
        updates.update(
            smtp_host="127.0.0.1",
            smtp_port=sink_port,
            smtp_ssl=False,
            smtp_starttls=False,
            smtp_user=None,
            smtp_password=None,
        )
    return settings.model_copy(update=updates)
