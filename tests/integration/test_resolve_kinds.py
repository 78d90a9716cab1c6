"""Organizations, places, things and events: the declared rules on small staged tables with known truth."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa

from grassroots.home import Home
from grassroots.pipeline.resolve import OUTPUT_TABLES, resolve_all

T0 = dt.datetime(2026, 3, 1, 9, 0)


def _rec(system: str, table: str, key: str, truth: str, **values: object) -> dict[str, object]:
    return {
        "source_system": system,
        "source_table": table,
        "record_key": key,
        "updated_at": T0,
        "truth": truth,
        **values,
    }


ORGS = [
    _rec("grid", "JC_ZZ", "z1", "A", credit_code="91429004MA4F7K2Q6Q", credit_code_valid=True, name="仙桃市某某有限公司",
         name_key="某某有限公司", address_key="a1", legal_representative="张伟"),
    _rec("civil", "mz_social_org", "o1", "A", credit_code="91429004MA4F7K2Q6Q", credit_code_valid=True,
         name="某某有限责任公司", name_key="某某有限公司", legal_representative="张伟"),
    # An old record carrying only the organization code embedded in A's credit code.
    _rec("grid", "JC_ZZ", "z2", "A", org_code="MA4F7K2Q6", name="某某公司（仙桃）", name_key="某某公司"),
    # Same name, different valid credit code: another company, never merged.
    _rec("grid", "JC_ZZ", "z3", "B", credit_code="91429004MA4F7K2R1X", credit_code_valid=True,
         name="某某有限公司", name_key="某某有限公司", address_key="a1"),
    _rec("civil", "mz_social_org", "o2", "C", name="仙桃市爱心协会", name_key="爱心协会", address_key="a9"),
    _rec("grid", "JC_ZZ", "z4", "C", name="爱心协会", name_key="爱心协会", address_key="a9"),
    # No code, no address, no representative: the name alone links it.
    _rec("grid", "JC_ZZ", "z5", "C", name="爱心协会", name_key="爱心协会"),
    # Two compounds' owners' committees: one name, no codes, different representatives and addresses.
    _rec("grid", "JC_ZZ", "z6", "D", name="华远小区业主委员会", name_key="华远小区业主委员会", address_key="a5",
         legal_representative="李婷娜"),
    _rec("grid", "JC_ZZ", "z7", "E", name="华远小区业主委员会", name_key="华远小区业主委员会", address_key="a6",
         legal_representative="吴红佳"),
]  # fmt: skip

_HOUSE = {"level": "house", "township_code": "429004001", "community": "沙嘴社区", "road": "仙桃大道"}
PLACES = [
    _rec("grid", "JC_FW", "f1", "H1", door_number="8", building="2", unit="1", room="301", **_HOUSE),
    _rec("police", "HJRK", "h1", "H1", door_number="8", building="2", unit="1", room="301", **_HOUSE),
    _rec("grid", "JC_FW", "f2", "H2", door_number="8", building="2", unit="1", room="302", **_HOUSE),
    _rec("grid", "JC_FW", "f3", "H3", door_number="10", **_HOUSE),
]

THINGS = [
    _rec("police", "JDC", "v1", "V1", kind="vehicle", plate_no="鄂M12345"),
    _rec("grid", "JC_SS", "s1", "V1", kind="vehicle", plate_no="鄂M12345"),
    _rec("police", "JDC", "v2", "V2", kind="vehicle", plate_no="鄂MD12345"),
    _rec("grid", "JC_SS", "s2", "D1", kind="device", device_code="XL-001"),
    _rec("grid", "JC_SS", "s3", "D1", kind="device", device_code="XL-001"),
]

EVENTS = [
    _rec("grid", "SJ_MDJF", "e1", "E1", occurred_at=T0, type="neighbour", address_key="a1", grid_code="g1",
         party_names=["张伟", "李娜"], status="handling"),
    _rec("police", "JQ", "q1", "E1", occurred_at=T0 + dt.timedelta(hours=5), type="neighbour", address_key="a1",
         grid_code="g1", party_names=["李娜"], party_ids=["91429004MA4F7K2Q6Q"], status="closed"),
    # Same place, a week later: another dispute.
    _rec("grid", "SJ_MDJF", "e2", "E2", occurred_at=T0 + dt.timedelta(days=7), type="neighbour", address_key="a1",
         grid_code="g1", party_names=["张伟", "李娜"]),
    # Same time and place, other parties: another dispute.
    _rec("police", "JQ", "q2", "E3", occurred_at=T0, type="theft", address_key="a1", grid_code="g1",
         party_names=["王芳"]),
]  # fmt: skip


def _load(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict[str, object]]) -> None:
    keys = list(
        dict.fromkeys(k for r in rows for k in r)
    )  # from_pylist takes its columns from the first row only
    con.register(f"{name}_arrow", pa.Table.from_pylist([{k: r.get(k) for k in keys} for r in rows]))
    con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_arrow")


def _partition(con: duckdb.DuckDBPyConnection, kind: str, staged: str) -> set[frozenset[str]]:
    rows = con.execute(f"""
        SELECT list(s.truth ORDER BY s.record_key) FROM entity_source e JOIN {staged} s
        USING (source_system, source_table, record_key) WHERE e.entity_kind = '{kind}' GROUP BY e.entity_id
    """).fetchall()
    return {frozenset(r[0]) if len(set(r[0])) == 1 else frozenset(["MIXED", *r[0]]) for r in rows}


def test_every_kind_resolves_to_its_truth(tmp_path: Path) -> None:
    con = duckdb.connect()
    for name, rows in (
        ("stg_org", ORGS),
        ("stg_place", PLACES),
        ("stg_thing", THINGS),
        ("stg_event", EVENTS),
    ):
        _load(con, name, rows)
    staged = {"organization": "stg_org", "place": "stg_place", "thing": "stg_thing", "event": "stg_event"}
    result = resolve_all(con, Home(tmp_path), "run-1", staged)
    assert result.entities == {"organization": 5, "place": 3, "thing": 3, "event": 3}
    assert _partition(con, "organization", "stg_org") == {frozenset(t) for t in "ABCDE"}
    assert _partition(con, "event", "stg_event") == {frozenset(["E1"]), frozenset(["E2"]), frozenset(["E3"])}
    # The merged event keeps both reports, and its golden status comes from the grid (trusted first for events).
    reports = con.execute("""
        SELECT e.report_count, e.status, count(r.record_key) FROM event e JOIN event_report r USING (event_id)
        GROUP BY e.event_id, e.report_count, e.status HAVING count(r.record_key) > 1
    """).fetchall()
    assert reports == [(2, "handling", 2)]
    # Organization A's golden credit code is the valid one, with its provenance.
    prov = con.execute("""
        SELECT p.rule, p.source_system FROM field_provenance p JOIN organization o ON o.org_id = p.entity_id
        WHERE p.field = 'credit_code' AND o.credit_code = '91429004MA4F7K2Q6Q'
    """).fetchone()
    assert prov is not None and prov[1] == "civil"
    # A party named by its credit code points at the resolved organization.
    party = con.execute("""
        SELECT p.party_kind, o.name FROM event_party p JOIN organization o ON o.org_id = p.party_id
    """).fetchall()
    assert len(party) == 1 and party[0][0] == "organization"
    # Person is absent from staged: an empty person table with the model's columns is still there.
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert set(OUTPUT_TABLES) <= tables
    assert con.execute("SELECT count(*) FROM person").fetchone() == (0,)


def test_org_ids_are_stable_and_a_merge_is_recorded(tmp_path: Path) -> None:
    home = Home(tmp_path)
    con = duckdb.connect()
    # First run: the civil record of C has no name_key match yet (another spelling), so C is two entities.
    first_rows = [dict(r) for r in ORGS]
    first_rows[4]["name_key"] = "爱心协会仙桃分会"
    _load(con, "stg_org", first_rows)
    resolve_all(con, home, "run-1", {"organization": "stg_org"})
    before = dict(con.execute("SELECT record_key, entity_id FROM entity_source").fetchall())
    assert before["o2"] != before["z4"]

    con2 = duckdb.connect()
    _load(con2, "stg_org", ORGS)
    resolve_all(con2, home, "run-2", {"organization": "stg_org"})
    after = dict(con2.execute("SELECT record_key, entity_id FROM entity_source").fetchall())
    assert after["o2"] == after["z4"] in (before["o2"], before["z4"])
    assert all(after[k] == before[k] for k in ("z1", "o1", "z2", "z3"))
    history = con2.execute("SELECT old_id, new_id, change FROM entity_id_history").fetchall()
    assert len(history) == 1 and history[0][2] == "merge" and history[0][1] == after["o2"]


def _tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[object, ...]]]:
    """The outputs a second run writes, lineage run ids aside (a row keeps the run that last wrote it)."""
    queries = {
        "organization": "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM organization",
        "field_provenance": "SELECT * EXCLUDE (run_id) FROM field_provenance",
        "entity_source": "SELECT * EXCLUDE (run_id) FROM entity_source",
        "organization_members": "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM organization_members",
    }
    return {name: sorted(con.execute(q).fetchall(), key=str) for name, q in queries.items()}


def test_an_incremental_run_rewrites_only_the_touched_organizations(tmp_path: Path) -> None:
    """The second run changes one record: only its organization is rewritten, and the tables equal a fresh run's."""
    first, second = [dict(r) for r in ORGS], [dict(r) for r in ORGS]
    second[5]["address_key"] = "a10"  # a grid record of C moved
    con = duckdb.connect()
    _load(con, "stg_org", first)
    resolve_all(con, Home(tmp_path / "inc"), "run-1", {"organization": "stg_org"})
    con2 = duckdb.connect()
    _load(con2, "stg_org", second)
    resolve_all(con2, Home(tmp_path / "inc"), "run-2", {"organization": "stg_org"})
    touched = con2.execute("SELECT entity_kind, count(*) FROM _touched GROUP BY ALL").fetchall()
    assert touched == [("organization", 1)]
    runs = dict(con2.execute("SELECT entity_id, min(run_id) FROM field_provenance GROUP BY 1").fetchall())
    assert sorted(runs.values()) == ["run-1"] * 4 + ["run-2"]  # the touched organization's rows only

    fresh = duckdb.connect()
    _load(fresh, "stg_org", second)
    resolve_all(fresh, Home(tmp_path / "full"), "run-2", {"organization": "stg_org"})
    assert _tables(con2) == _tables(fresh)
