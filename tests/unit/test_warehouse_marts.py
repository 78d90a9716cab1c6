"""The marts as data: given these canonical rows, expect those rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import pytest

import schemas
from warehouse import marts
from warehouse.synthetic import rows


def run(sql_builder: Any, **tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    con = duckdb.connect()
    for name, records in tables.items():
        con.register(f"t_{name}", rows(schemas.get(name), records))
    result = con.sql(sql_builder(lambda name: f"t_{name}")).fetch_arrow_table()
    return result.to_pylist()


def test_grid_population_counts_living_and_registered_both_ways() -> None:
    person = [
        {"person_id": "A", "current_grid": "G1"},  # lives and is registered in G1
        {"person_id": "B", "current_grid": "G1"},  # lives in G1, registered in G2
        {"person_id": "C", "current_grid": "G2", "is_deceased": True},  # dead: not counted
        {"person_id": "D", "current_grid": None},  # registered in G2, lives nowhere known
    ]
    place = [
        {"place_id": "g1", "level": "grid", "code": "G1", "name": "一网格", "grid_code": "G1"},
        {"place_id": "g2", "level": "grid", "code": "G2", "name": "二网格", "grid_code": "G2"},
        {"place_id": "g3", "level": "grid", "code": "G3", "name": "三网格", "grid_code": "G3"},
        {"place_id": "h1", "level": "house", "grid_code": "G1"},
        {"place_id": "h2", "level": "house", "grid_code": "G2"},
    ]
    residence = [
        {"person_id": "A", "place_id": "h1", "residence_type": "registered", "source": "civil"},
        {"person_id": "B", "place_id": "h2", "residence_type": "registered", "source": "civil"},
        {"person_id": "C", "place_id": "h2", "residence_type": "registered", "source": "civil"},
        {"person_id": "D", "place_id": "h2", "residence_type": "registered", "source": "civil"},
        {
            "person_id": "A",
            "place_id": "h2",
            "residence_type": "registered",
            "source": "grid",
            "to_date": date(2020, 1, 1),
        },  # ended: ignored
    ]
    got = run(marts.grid_population_sql, person=person, place=place, person_residence=residence)
    view = {
        r["grid_code"]: (
            r["living"],
            r["registered"],
            r["living_registered_elsewhere"],
            r["registered_living_elsewhere"],
        )
        for r in got
    }
    assert view == {"G1": (2, 1, 1, 0), "G2": (0, 2, 0, 2), "G3": (0, 0, 0, 0)}
    assert next(r for r in got if r["grid_code"] == "G1")["grid_name"] == "一网格"


def test_vulnerable_by_community_counts_each_group_and_any() -> None:
    old = date.today() - timedelta(days=365 * 85)
    person = [
        {
            "person_id": "A",
            "current_township": "429004001",
            "current_community": "新华社区",
            "is_elderly_alone": True,
            "birth_date": old,
        },
        {
            "person_id": "B",
            "current_township": "429004001",
            "current_community": "新华社区",
            "is_disabled": True,
            "is_low_income": True,
        },
        {
            "person_id": "C",
            "current_township": "429004001",
            "current_community": "新华社区",
            "special_group": "01",
        },
        {"person_id": "D", "current_township": "429004001", "current_community": "新华社区"},
        {
            "person_id": "E",
            "current_township": "429004001",
            "current_community": "新华社区",
            "is_elderly_alone": True,
            "is_deceased": True,
        },
    ]
    (got,) = run(marts.vulnerable_by_community_sql, person=person)
    assert {
        k: got[k]
        for k in (
            "residents",
            "elderly_alone",
            "aged_80_plus",
            "disabled",
            "low_income",
            "special_group",
            "any_vulnerable",
        )
    } == {
        "residents": 4,
        "elderly_alone": 1,
        "aged_80_plus": 1,
        "disabled": 1,
        "low_income": 1,
        "special_group": 1,
        "any_vulnerable": 3,
    }


def _dispute(
    eid: str, reported: datetime, closed: datetime | None, deadline: datetime, **kw: Any
) -> dict[str, Any]:
    return {
        "event_id": eid,
        "kind": "dispute",
        "township_code": "429004101",
        "reported_at": reported,
        "closed_at": closed,
        "deadline": deadline,
        **kw,
    }


def test_disputes_by_town_and_month_with_resolution_time_and_overdue() -> None:
    d = datetime(2026, 3, 1, 9)
    event = [
        _dispute("E1", d, d + timedelta(days=2), d + timedelta(days=10)),
        _dispute("E2", d + timedelta(days=3), d + timedelta(days=16), d + timedelta(days=13)),  # closed late
        _dispute("E3", d + timedelta(days=5), None, d + timedelta(days=6)),  # open past its deadline
        _dispute("E4", datetime(2026, 4, 2, 9), None, datetime(2999, 1, 1)),
        {"event_id": "R1", "kind": "request", "township_code": "429004101", "reported_at": d},
    ]
    got = run(marts.dispute_by_town_month_sql, event=event)
    march, april = got
    assert march["month"] == date(2026, 3, 1) and march["disputes"] == 3 and march["closed"] == 2
    assert march["avg_days_to_close"] == 7.5 and march["overdue"] == 2 and march["overdue_open"] == 1
    assert april["disputes"] == 1 and april["overdue"] == 0 and april["avg_days_to_close"] is None
    listing = run(marts.overdue_dispute_sql, event=event)
    assert [r["event_id"] for r in listing] == ["E3", "E2"]
    assert listing[1]["days_past_deadline"] == 3


def test_migrants_unknown_to_the_police() -> None:
    person = [
        {"person_id": "M1", "category": "02"},
        {"person_id": "M2", "category": "02"},
        {"person_id": "M3", "category": "02", "is_deceased": True},
        {"person_id": "R1", "category": "01"},
    ]
    source = [
        {
            "entity_kind": "person",
            "entity_id": "M1",
            "source_system": "police",
            "source_table": "t",
            "record_key": "1",
            "run_id": "r",
        },
        {
            "entity_kind": "person",
            "entity_id": "M2",
            "source_system": "grid",
            "source_table": "t",
            "record_key": "2",
            "run_id": "r",
        },
    ]
    got = run(marts.migrant_unknown_to_police_sql, person=person, entity_source=source)
    assert [r["person_id"] for r in got] == ["M2"]
    assert "citizen_id" in got[0] and "citizen_id_pseudonym" not in got[0]


def test_disagreement_summary_reads_the_latest_run_only() -> None:
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    finding = [
        {
            "run_id": "old",
            "entity_kind": "person",
            "entity_id": "P1",
            "field": "phone",
            "kind": "conflict",
            "systems": ["police", "grid"],
            "detected_at": t0,
        },
        {
            "run_id": "new",
            "entity_kind": "person",
            "entity_id": "P1",
            "field": "phone",
            "kind": "conflict",
            "systems": ["police", "grid"],
            "detected_at": t0 + timedelta(days=1),
        },
        {
            "run_id": "new",
            "entity_kind": "person",
            "entity_id": "P2",
            "field": "phone",
            "kind": "conflict",
            "systems": ["grid", "police"],
            "detected_at": t0 + timedelta(days=1),
        },
        {
            "run_id": "new",
            "entity_kind": "place",
            "entity_id": "H1",
            "field": "grid_code",
            "kind": "missing",
            "systems": ["grid"],
            "detected_at": t0 + timedelta(days=1),
        },
    ]
    got = run(marts.disagreement_summary_sql, finding=finding)
    assert [(r["run_id"], r["field"], r["systems"], r["findings"], r["entities"]) for r in got] == [
        ("new", "phone", "grid+police", 2, 2),
        ("new", "grid_code", "grid", 1, 1),
    ]


def test_grid_freshness() -> None:
    now = datetime.now(UTC)
    person = [
        {"person_id": "A", "current_grid": "G1", "last_updated": now - timedelta(days=10)},
        {"person_id": "B", "current_grid": "G1", "last_updated": now - timedelta(days=200)},
    ]
    place = [{"place_id": "h", "level": "house", "grid_code": "G1", "last_updated": now - timedelta(days=5)}]
    event = [{"event_id": "E", "grid_code": "G2", "last_updated": now - timedelta(days=400)}]
    got = {r["grid_code"]: r for r in run(marts.grid_freshness_sql, person=person, place=place, event=event)}
    assert got["G1"]["people"] == 2 and got["G1"]["days_since_update"] == 5
    assert got["G1"]["person_share_updated_90d"] == pytest.approx(0.5)
    assert got["G2"]["people"] == 0 and got["G2"]["days_since_update"] == 400


def test_every_mart_is_declared_once_with_its_inputs() -> None:
    names = [m.name for m in marts.MARTS]
    assert len(names) == len(set(names)) == 7
    for mart in marts.MARTS:
        for need in mart.needs:
            schemas.get(need)
