"""Worklist items: who must correct what, the suggested value each role sees, and the follow-up between reports."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from grassroots.report import current, followup, worklist
from grassroots.report.build import items_sql
from grassroots.report.inputs import ReportInputs, bind

ENTITY_SOURCE = """
SELECT entity_kind, entity_id, source_system, source_table, record_key, NULL AS load_id, NULL AS match_rule,
       NULL::DOUBLE AS match_weight, 'x' AS run_id
FROM (VALUES ('person', 'P1', 'grid', 'JC_RK', 'G1'), ('person', 'P1', 'police', 'HJRK', '429004198503051239'),
             ('person', 'P1', 'civil', 'mz_person', 'C1'),
             ('person', 'P2', 'grid', 'JC_RK', 'G2'), ('person', 'P2', 'civil', 'mz_person', 'C2'))
     AS t(entity_kind, entity_id, source_system, source_table, record_key)
"""

FINDING = """
SELECT 'f1' AS run_id, 'person' AS entity_kind, entity_id, field, kind, systems, values_masked,
       TIMESTAMPTZ '2026-11-02 00:00:00+00' AS detected_at
FROM (VALUES
  ('P1', 'sex', 'conflict', ['civil', 'grid', 'police'], ['2', '1', '2']),
  ('P1', 'name', 'conflict', ['grid', 'police'], ['李*', '黎*']),
  ('P2', 'category', 'missing', ['grid'], ['02'])
) AS t(entity_id, field, kind, systems, values_masked)
"""

PROVENANCE = """
SELECT 'person' AS entity_kind, entity_id, field, source_system, NULL AS source_table, NULL AS record_key,
       NULL AS load_id, 'trust' AS rule, 2 AS candidates, 'x' AS run_id
FROM (VALUES ('P1', 'sex', 'police'), ('P1', 'name', 'police')) AS t(entity_id, field, source_system)
"""

PERSON = "SELECT 'P1' AS person_id, '黎明远' AS name, '2' AS sex, '429004198503051239' AS citizen_id"

QUARANTINE = """
SELECT 'q1' AS run_id, 'extract' AS stage, 'police' AS source, 'HJRK_429004_20261102_1.csv' AS table_or_file,
       '429004198503051239' AS record_key, 12 AS line, 'sex_code' AS rule,
       'sex contradicts the ID; caller 13972801234' AS reason, '9' AS value_masked, 'error' AS severity,
       TIMESTAMPTZ '2026-11-02 00:00:00+00' AS occurred_at
"""


def _con(role: str = "center") -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, sql in {
        "es": ENTITY_SOURCE,
        "f": FINDING,
        "fp": PROVENANCE,
        "p": PERSON,
        "q": QUARANTINE,
    }.items():
        con.execute(f"CREATE TABLE {name} AS {sql}")
    bind(
        con,
        ReportInputs(
            quarantine="q", entity_source="es", finding="f", field_provenance="fp", entities={"person": "p"}
        ),
    )
    current.create(con)
    worklist.create_golden(con, ["person"], role)  # type: ignore[arg-type]
    con.execute(f"CREATE TABLE report_items AS {items_sql()}")
    return con


def _items(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], dict[str, object]]:
    cur = con.execute("SELECT * FROM report_items")
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return {(str(r["source"]), str(r["rule"])): r for r in rows}


def test_a_conflict_goes_to_the_systems_holding_another_value_than_the_winner() -> None:
    items = _items(_con())
    sex = items[("grid", "finding:conflict:sex")]
    assert (sex["record_key"], sex["current_value"], sex["suggested_value"]) == ("G1", "1", "2")
    assert sex["suggested_from"] == "golden (police)"
    # police won survivorship; civil holds the winner's (unmasked) value already: neither is asked to change.
    assert ("police", "finding:conflict:sex") not in items
    assert ("civil", "finding:conflict:sex") not in items


def test_a_missing_value_goes_to_the_systems_that_lack_it() -> None:
    items = _items(_con())
    missing = items[("civil", "finding:missing:category")]
    assert (missing["record_key"], missing["suggested_value"], missing["suggested_from"]) == (
        "C2",
        "02",
        "grid",
    )
    assert ("grid", "finding:missing:category") not in items


@pytest.mark.parametrize(("role", "name"), [("center", "黎**"), ("owner", "黎明远")])
def test_the_suggested_name_is_masked_for_the_center_and_full_for_the_owners(role: str, name: str) -> None:
    items = _items(_con(role))
    assert items[("grid", "finding:conflict:name")]["suggested_value"] == name


def test_ids_and_mobiles_in_keys_and_reasons_are_masked() -> None:
    item = _items(_con("owner"))[("police", "sex_code")]
    assert item["record_key"] == "429004********1239"
    assert "13972801234" not in str(item["problem"])
    assert "139****1234" in str(item["problem"])


def _follow(con: duckdb.DuckDBPyConnection, tmp_path: Path, run_id: str, checked: set[str]) -> dict[str, str]:
    out = tmp_path / run_id
    out.mkdir()
    table = followup.follow_up(con, "report_items", out, tmp_path, run_id, checked)
    return {
        f"{s}/{k}/{r}": st
        for s, k, r, st in con.execute(f"SELECT source, record_key, rule, status FROM {table}").fetchall()
    }


def test_follow_up_marks_new_open_fixed_and_unchecked_items(tmp_path: Path) -> None:
    first = _follow(_con(), tmp_path, "20261101T000000Z", {"grid", "police", "civil"})
    assert set(first.values()) == {"new"}
    assert (tmp_path / "20261101T000000Z" / followup.ITEMS_FILE).exists()

    con = _con()
    # grid corrected the sex of G1; civil was not checked by the next runs.
    con.execute("DELETE FROM report_items WHERE source = 'grid' AND rule = 'finding:conflict:sex'")
    con.execute("DELETE FROM report_items WHERE source = 'civil'")
    second = _follow(con, tmp_path, "20261102T000000Z", {"grid", "police"})
    assert second["grid/G1/finding:conflict:sex"] == "fixed"
    assert second["grid/G1/finding:conflict:name"] == "open"
    assert second["civil/C2/finding:missing:category"] == "unchecked"

    third = _follow(_con(), tmp_path, "20261103T000000Z", {"grid", "police", "civil"})
    # A fixed item is not carried forward; if it comes back it is new again.
    assert third["grid/G1/finding:conflict:sex"] == "new"
    assert third["grid/G1/finding:conflict:name"] == "open"
    first_reported = con.execute(
        f"SELECT DISTINCT first_reported FROM read_parquet('{tmp_path}/20261103T000000Z/{followup.ITEMS_FILE}') "
        "WHERE rule = 'finding:conflict:name'"
    ).fetchall()
    assert first_reported == [("20261101T000000Z",)]
