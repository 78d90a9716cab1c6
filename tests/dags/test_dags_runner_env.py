"""The local runner hands the child process exactly the caller's settings and an isolated Airflow home."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from grassroots.config import Settings
from grassroots.orchestration.airflow_runner import DAGS_FOLDER, airflow_env, settings_env


def test_settings_round_trip_through_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(
        home=tmp_path / "home",
        grid_url=SecretStr("mysql+pymysql://u:p@127.0.0.1/grid"),
        police_dir=tmp_path / "drop",
        smtp_port=2525,
        smtp_starttls=True,
        smtp_password=SecretStr("s3cret"),
        report_to=["a@example.org", "b@example.org"],
    )
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)

    again = Settings()

    assert again.model_dump() == settings.model_dump() | {"home": settings.home.resolve()}
    assert (
        again.grid_url is not None
        and again.grid_url.get_secret_value() == "mysql+pymysql://u:p@127.0.0.1/grid"
    )
    assert again.smtp_password is not None and again.smtp_password.get_secret_value() == "s3cret"


def test_airflow_home_holds_the_metadata_database(tmp_path: Path) -> None:
    env = airflow_env(tmp_path)
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == f"sqlite:///{tmp_path}/airflow.db"
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == str(DAGS_FOLDER)
    assert (DAGS_FOLDER / "grassroots_sync.py").is_file()
