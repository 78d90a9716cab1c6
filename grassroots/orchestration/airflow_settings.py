"""Settings inside an Airflow task: the GRASSROOTS_* environment, overlaid by Airflow connections when defined.

Connections keep secrets in Airflow's secrets backend instead of the workers' environment:
``grassroots_grid`` / ``grassroots_civil`` (any SQLAlchemy URL in the extra ``sqlalchemy_url``, else the
connection's URI) and ``grassroots_smtp`` (an SMTP connection, read as the SMTP provider reads it).
"""

from __future__ import annotations

import logging
from typing import Any

from airflow.sdk import Connection
from airflow.sdk.exceptions import AirflowNotFoundException
from pydantic import SecretStr

from grassroots.config import Settings, load_settings

log = logging.getLogger(__name__)

SOURCE_CONNECTIONS = {"grid_url": "grassroots_grid", "civil_url": "grassroots_civil"}
SMTP_CONNECTION = "grassroots_smtp"


def task_settings() -> Settings:
    """The settings a task runs with."""
    settings = load_settings()
    updates: dict[str, Any] = {}
    for field, conn_id in SOURCE_CONNECTIONS.items():
        conn = _connection(conn_id)
        if conn is not None:
            updates[field] = SecretStr(conn.extra_dejson.get("sqlalchemy_url") or conn.get_uri())
    smtp = _connection(SMTP_CONNECTION)
    if smtp is not None:
        updates.update(smtp_updates(smtp.host, smtp.port, smtp.login, smtp.password, smtp.extra_dejson))
    return settings.model_copy(update=updates) if updates else settings


def smtp_updates(
    host: str | None, port: int | None, login: str | None, password: str | None, extra: dict[str, Any]
) -> dict[str, Any]:
    """Settings fields from an SMTP connection; its extras mean what they mean to the SMTP provider."""
    use_ssl = not _flag(extra.get("disable_ssl"))
    updates: dict[str, Any] = {
        "smtp_ssl": use_ssl,
        "smtp_starttls": not use_ssl and not _flag(extra.get("disable_tls")),
    }
    if host:
        updates["smtp_host"] = host
    if port:
        updates["smtp_port"] = int(port)
    if login:
        updates["smtp_user"] = login
    if password:
        updates["smtp_password"] = SecretStr(password)
    if extra.get("from_email"):
        updates["mail_from"] = extra["from_email"]
    return updates


def _flag(value: Any) -> bool:
    # Extras from a connection URI (AIRFLOW_CONN_...?disable_ssl=true) arrive as strings.
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _connection(conn_id: str) -> Any:
    try:
        return Connection.get(conn_id)
    except AirflowNotFoundException:
        return None
