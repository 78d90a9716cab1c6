"""A task failing for good fails at once (no retry); its notice arrives through the Airflow SMTP connection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grassroots.config import Settings
from grassroots.orchestration.airflow_runner import run_dags_locally

pytestmark = pytest.mark.airflow


def test_fatal_error_fails_at_once_and_mails_the_alert(
    home: Path, airflow_home: Path, smtp_inbox: tuple[Any, int]
) -> None:
    inbox, port = smtp_inbox
    settings = Settings(
        home=home,
        police_dir=home / "no-such-folder",
        smtp_host="127.0.0.1",
        smtp_port=1,  # wrong on purpose: the Airflow connection below must win
        alert_to=["oncall@example.org"],
    )
    smtp_connection = (
        f"smtp://127.0.0.1:{port}/?disable_ssl=true&disable_tls=true&from_email=airflow%40example.org"
    )

    # With the DAG's own retries: the retry policy, not a missing retry, must stop at the first try.
    [run] = run_dags_locally(
        settings,
        ["grassroots_sync_police"],
        airflow_home=airflow_home,
        retries=True,
        extra_env={"AIRFLOW_CONN_GRASSROOTS_SMTP": smtp_connection},
        timeout=300,
    )

    assert run.state == "failed"
    assert run.tasks == {"check_drop_folder": "failed", "sync": "upstream_failed"}
    [notice] = inbox.messages
    assert notice["To"] == "oncall@example.org"
    assert notice["From"] == "airflow@example.org"
    assert notice["Subject"] == "[grassroots] grassroots_sync_police.check_drop_folder failed"
    text = notice.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "FatalError: Drop folder of source 'police' does not exist" in text
    assert "(try 1)" in text
