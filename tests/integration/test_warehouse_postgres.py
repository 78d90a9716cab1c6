"""The analyst lake with its DuckLake catalog in a real PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

import schemas
from grassroots.config import Settings
from warehouse import publish, query
from warehouse.synthetic import rows

pytestmark = pytest.mark.postgres


def _people(n: int) -> dict[str, object]:
    return {
        "person": rows(
            schemas.PERSON,
            [
                {"person_id": f"P{i}", "citizen_id": f"4290041985030512{i:02d}", "current_grid": "G1"}
                for i in range(n)
            ],
        )
    }


def test_postgres_catalog_publish_time_travel_and_masking(home: Path, postgres_url: str) -> None:
    settings = Settings(home=home, privacy_key="k" * 16, catalog_url=postgres_url)
    first = publish(settings, _people(2), "run-1")
    publish(settings, _people(3), "run-2")
    count = "SELECT count(*) FROM person"
    assert query(settings, count).column(0)[0].as_py() == 3
    assert query(settings, count, as_of=first.analyst_snapshot).column(0)[0].as_py() == 2
    ids = query(settings, "SELECT citizen_id FROM person ORDER BY 1").column(0).to_pylist()
    assert all("********" in i for i in ids)
    # The catalog really is in PostgreSQL, and no SQLite catalog was made under the home.
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        snapshots = conn.execute(sa.text("SELECT count(*) FROM ducklake_snapshot")).scalar_one()
    engine.dispose()
    assert snapshots >= 3
    assert not (home / "warehouse" / "catalog.sqlite").exists()
