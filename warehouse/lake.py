"""Where the two lakes live and how to attach them: the analyst lake (masked) and the restricted lake (full values).

Analyst lake: DuckLake catalog in ``<home>/warehouse/catalog.sqlite`` (or PostgreSQL when ``catalog_url`` is set),
plain Parquet under ``<home>/warehouse/data``. Restricted lake: catalog in an encrypted DuckDB file
``<home>/warehouse/restricted/catalog.ducklake`` and encrypted Parquet under ``<home>/warehouse/restricted/data``;
both keys come from ``privacy_key`` (the Parquet file keys live inside the encrypted catalog). See docs/warehouse.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from grassroots.config import Settings
from grassroots.errors import FatalError

Role = Literal["analyst", "engineer"]
AsOf = int | datetime | None

# Derivation labels: the catalog key is not the pseudonym key, so one leaking does not give the other.
_CATALOG_KEY_LABEL = b"grassroots/warehouse/restricted-catalog/v1"


@dataclass(frozen=True)
class LakeLayout:
    """The files of both lakes under one home."""

    root: Path

    @property
    def analyst_catalog(self) -> Path:
        return self.root / "catalog.sqlite"

    @property
    def analyst_data(self) -> Path:
        return self.root / "data"

    @property
    def restricted_dir(self) -> Path:
        return self.root / "restricted"

    @property
    def restricted_catalog(self) -> Path:
        return self.restricted_dir / "catalog.ducklake"

    @property
    def restricted_data(self) -> Path:
        return self.restricted_dir / "data"

    @property
    def publish_lock(self) -> Path:
        return self.root / "publish.lock"


def layout(settings: Settings) -> LakeLayout:
    return LakeLayout(settings.paths.warehouse)


def privacy_key(settings: Settings, purpose: str) -> bytes:
    """The configured privacy key, or a FatalError naming the setting; ``purpose`` says who needs it."""
    if settings.privacy_key is None or not settings.privacy_key.get_secret_value():
        raise FatalError(
            f"{purpose} needs the privacy key: set GRASSROOTS_PRIVACY_KEY (kept outside the data, e.g. in a "
            "secret store or an Airflow variable)"
        )
    return settings.privacy_key.get_secret_value().encode("utf-8")


def catalog_key(key: bytes) -> str:
    """The restricted catalog's encryption key, derived from the privacy key."""
    return hmac.new(key, _CATALOG_KEY_LABEL, hashlib.sha256).hexdigest()


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def analyst_catalog_uri(settings: Settings) -> str:
    """``ducklake:sqlite:<file>`` by default, ``ducklake:postgres:<conninfo>`` when ``catalog_url`` is set."""
    if settings.catalog_url is None:
        return f"ducklake:sqlite:{layout(settings).analyst_catalog}"
    url = settings.catalog_url.get_secret_value()
    # Accept DuckLake's own form and SQLAlchemy/libpq URLs alike (postgresql+psycopg://user@host/db).
    url = re.sub(r"^postgres(?:ql)?\+\w+://", "postgresql://", url)
    if url.startswith("ducklake:"):
        return url
    if url.startswith(("postgresql://", "postgres://")):
        return f"ducklake:postgres:{url}"
    if url.startswith("postgres:"):
        return f"ducklake:{url}"
    raise FatalError(
        "GRASSROOTS_CATALOG_URL must be a PostgreSQL URL (postgresql://user@host:5432/db) or "
        "'postgres:dbname=... host=...'; leave it unset for the SQLite catalog under the home"
    )


def _snapshot_option(as_of: AsOf) -> str:
    if as_of is None:
        return ""
    if isinstance(as_of, int):
        return f", SNAPSHOT_VERSION {as_of}"
    return f", SNAPSHOT_TIME {_literal(as_of.isoformat())}"


# A catalog under the home moves with it (a restored backup, a copied home): its data folder is where the home now
# is, not where the catalog first recorded it. A shared PostgreSQL catalog keeps its own.
_HOME_DATA = ", OVERRIDE_DATA_PATH true"


def attach_analyst_sql(settings: Settings, alias: str, *, read_only: bool, as_of: AsOf = None) -> str:
    """``ATTACH`` of the analyst lake; data is never inlined into the catalog so every row is in Parquet."""
    data = layout(settings).analyst_data
    options = f"DATA_PATH {_literal(str(data) + '/')}, DATA_INLINING_ROW_LIMIT 0"
    options += _HOME_DATA if settings.catalog_url is None else ""
    options += ", READ_ONLY" if read_only or as_of is not None else ""
    options += _snapshot_option(as_of)
    return f"ATTACH {_literal(analyst_catalog_uri(settings))} AS {alias} ({options})"


def attach_restricted_sql(
    settings: Settings, alias: str, key: bytes, *, read_only: bool, as_of: AsOf = None
) -> str:
    """``ATTACH`` of the restricted lake: encrypted catalog file, encrypted Parquet files."""
    lay = layout(settings)
    options = (
        f"DATA_PATH {_literal(str(lay.restricted_data) + '/')}, DATA_INLINING_ROW_LIMIT 0, ENCRYPTED, "
        f"META_ENCRYPTION_KEY {_literal(catalog_key(key))}{_HOME_DATA}"
    )
    options += ", READ_ONLY" if read_only or as_of is not None else ""
    options += _snapshot_option(as_of)
    return f"ATTACH {_literal('ducklake:' + str(lay.restricted_catalog))} AS {alias} ({options})"
