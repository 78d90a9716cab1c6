"""Typed configuration, read once from the environment (prefix ``GRASSROOTS_``) and the command line.

Secrets (database passwords inside URLs, the SMTP password, the pseudonymization key) are ``SecretStr`` so they never
appear in logs or reprs. In Airflow the same fields can come from connections; see docs/deployment.md.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from grassroots.home import Home


class Settings(BaseSettings):
    """Everything the product needs to know about its environment."""

    model_config = SettingsConfigDict(env_prefix="GRASSROOTS_", extra="ignore")

    home: Path = Field(default=Path("var"), description="Home directory holding all state.")
    grid_url: SecretStr | None = Field(
        default=None,
        description="SQLAlchemy URL of the grid-management platform; default: the simulated SQLite file.",
    )
    civil_url: SecretStr | None = Field(
        default=None,
        description="SQLAlchemy URL of the civil-affairs system; default: the simulated SQLite file.",
    )
    police_dir: Path | None = Field(
        default=None,
        description="Folder where the police exports are dropped; default: the simulated folder.",
    )
    catalog_url: SecretStr | None = Field(
        default=None,
        description="DuckLake catalog: unset for a SQLite file under the home, or 'postgres:dbname=... host=...'.",
    )
    privacy_key: SecretStr | None = Field(
        default=None,
        description="HMAC key for pseudonyms and for engineer access to full values. Keep it outside the data.",
    )
    warehouse_keep_days: int = Field(
        default=30, ge=0, description="Warehouse retention: snapshots younger than this many days are kept."
    )
    warehouse_keep_snapshots: int = Field(
        default=10,
        ge=1,
        description="Warehouse retention: the last this many snapshots are kept, however old.",
    )
    memory_limit: str | None = Field(
        default=None,
        description="DuckDB memory limit of each connection a run opens (e.g. '5GB'); default 4 GB, at most 60% "
        "of the RAM. What does not fit spills to disk.",
    )
    build_memory_limit: str | None = Field(
        default=None, description="Older name of memory_limit, still honoured when memory_limit is unset."
    )
    duckdb_threads: int | None = Field(
        default=None, ge=1, description="DuckDB threads per connection; default one per core."
    )
    smtp_host: str = Field(default="localhost", description="SMTP server for reports and failure notices.")
    smtp_port: int = Field(default=25, description="SMTP port (25, 465 for implicit TLS, 587 for STARTTLS).")
    smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_ssl: bool = Field(default=False, description="Connect with implicit TLS (SMTPS).")
    smtp_user: str | None = Field(default=None, description="SMTP login name, if the server needs one.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    mail_from: str = Field(default="grassroots@localhost", description="Sender of reports and notices.")
    report_to: list[str] = Field(
        default_factory=list, description="Default recipients of the quality report."
    )
    alert_to: list[str] = Field(
        default_factory=list,
        description="Recipients of failure notices from the scheduled runs; default: the report recipients.",
    )

    @property
    def paths(self) -> Home:
        return Home(self.home)

    def source_url(self, system: str) -> str:
        """The SQLAlchemy URL of a database source: configured, else what the simulator recorded."""
        configured = {"grid": self.grid_url, "civil": self.civil_url}.get(system)
        if configured is not None:
            return configured.get_secret_value()
        recorded = self.paths.read_systems().get(f"{system}_url")
        if recorded:
            return recorded
        default = {"grid": self.paths.grid_db, "civil": self.paths.civil_db}[system]
        return f"sqlite:///{default.resolve()}"

    def police_folder(self) -> Path:
        if self.police_dir is not None:
            return self.police_dir
        recorded = self.paths.read_systems().get("police_dir")
        return Path(recorded) if recorded else self.paths.police_drop


def load_settings(home: Path | None = None) -> Settings:
    """Settings from the environment, with ``--home`` taking precedence when given.

    The home is made absolute: the warehouse catalog records its data path, and a publish through Airflow (absolute
    home) must stay readable by a later ``grassroots query`` run with the default relative ``./var``.
    """
    from grassroots import duck

    settings = Settings()
    settings = settings.model_copy(update={"home": (home or settings.home).resolve()})
    duck.use(settings)  # DuckDB connections opened without settings (the extractors') take these
    return settings
