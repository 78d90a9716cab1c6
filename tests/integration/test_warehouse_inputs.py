"""Every kind of input publish takes, and the pipeline step that publishes then maintains."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from pydantic import SecretStr

import schemas
from grassroots.config import Settings
from grassroots.errors import FatalError
from grassroots.pipeline.publish import publish
from warehouse import query
from warehouse.synthetic import rows


def test_relation_sql_parquet_and_dataframe_inputs_publish_alike(home: Path, tmp_path: Path) -> None:
    settings = Settings(home=home, privacy_key=SecretStr("k" * 16))
    builder = duckdb.connect()  # the build's own connection: its relations are streamed across
    builder.execute("CREATE TABLE golden AS SELECT 'P' || range AS person_id FROM range(5)")
    person = builder.table("golden").project(
        ", ".join(
            f'"{f.name}"' if f.name == "person_id" else f'NULL::{f.type} AS "{f.name}"'
            for f in schemas.PERSON.fields
        )
    )
    places = rows(schemas.PLACE, [{"place_id": "H1", "level": "house"}, {"place_id": "H2", "level": "house"}])
    pq.write_table(places, tmp_path / "place.parquet")
    thing = rows(schemas.THING, [{"thing_id": "T1", "plate_no": "鄂M12345"}]).to_pandas()
    org = "SELECT " + ", ".join(
        ("'O1'" if f.name == "org_id" else f"NULL::{f.type}") + f' AS "{f.name}"'
        for f in schemas.ORGANIZATION.fields
    )
    summary = publish(
        settings,
        {"person": person, "place": str(tmp_path / "place.parquet"), "thing": thing, "organization": org},
        "run-1",
    )
    assert summary.result.rows == {"person": 5, "place": 2, "thing": 1, "organization": 1}
    assert {r.lake for r in summary.retention} == {"lake", "restricted"}
    got = query(
        settings, "SELECT (SELECT count(*) FROM person) AS p, (SELECT count(*) FROM organization) AS o"
    )
    assert got.to_pylist() == [{"p": 5, "o": 1}]
    plate = query(settings, "SELECT plate_no FROM thing", role="engineer").column(0).to_pylist()
    assert plate == ["鄂M12345"]


def test_a_failing_input_is_reported_masked_and_publishes_nothing(home: Path) -> None:
    settings = Settings(home=home, privacy_key=SecretStr("k" * 16))
    cols = ", ".join(
        (
            "CAST('13972800000 of 429004198503051239' AS INTEGER)"
            if f.name == "person_id"
            else f"NULL::{f.type}"
        )
        + f' AS "{f.name}"'
        for f in schemas.PERSON.fields
    )
    with pytest.raises(FatalError) as caught:
        publish(settings, {"person": f"SELECT {cols}"}, "run-1")
    message = str(caught.value)
    assert "nothing was published" in message and "139****0000" in message
    assert "429004198503051239" not in message and "13972800000" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
