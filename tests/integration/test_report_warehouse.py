"""The report built from a published DuckLake warehouse: no inputs given, it finds every table in the analyst lake."""

from __future__ import annotations

from pathlib import Path

import duckdb
from pydantic import SecretStr

import schemas
from grassroots.config import Settings
from grassroots.pipeline.report import build_report
from grassroots.report import synthetic
from warehouse.publish import publish
from warehouse.synthetic import city_grid_place_sql, declared_sql

QUALITY = ("quarantine", "validation_result", "finding", "entity_source", "field_provenance")


def _entities(con: duckdb.DuckDBPyConnection, person_parquet: str) -> dict[str, duckdb.DuckDBPyRelation]:
    person = f"""
        SELECT person_id, citizen_id, name, sex, '429004001001001' AS current_grid,
               TIMESTAMPTZ '2026-10-01 00:00:00+00' AS last_updated
        FROM read_parquet('{person_parquet}')"""
    return {
        "person": con.sql(declared_sql(con, schemas.PERSON, person)),
        "place": con.sql(declared_sql(con, schemas.PLACE, city_grid_place_sql(2))),
        "event": con.sql(declared_sql(con, schemas.EVENT, "SELECT NULL::VARCHAR AS event_id WHERE false")),
    }


def test_report_reads_the_published_analyst_lake(home: Path, tmp_path: Path) -> None:
    settings = Settings(home=home, privacy_key=SecretStr("a-test-key-kept-outside-the-data"))
    inputs = synthetic.write(tmp_path / "inputs")
    con = duckdb.connect()
    tables = {name: getattr(inputs, name) for name in QUALITY} | _entities(con, inputs.entities["person"])
    publish(settings, tables, "res2")

    result = build_report(settings)  # no inputs: the analyst lake, then the home

    html = result.html_path.read_text(encoding="utf-8")
    assert "尚无数据的输入" not in html  # every input was found in the lake
    assert "429004001000000" in html  # a grid of the grid-freshness mart
    grid = (result.out_dir / "worklist-grid.csv").read_text(encoding="utf-8-sig")
    # The suggested name comes from the analyst lake's masked golden record.
    assert "finding:conflict:name" in grid and "王**" in grid and "王小红" not in grid
    assert [s["value"] for s in result.summary][:3] == [3, 2, 4]
