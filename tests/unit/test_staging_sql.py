"""Staging on tiny inline landed rows: every kind's projection, enrichment joins, ID statuses and quarantine flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import duckdb
import pytest

from extractors.declare import Attach, Mapping
from transforms.resolve.inputs import check_staged
from transforms.staging import kinds, table_sql
from transforms.staging.flags import flags_sql
from transforms.staging.plan import TablePlan
from transforms.standardize import prepare

AS_OF = dt.date(2026, 1, 5)


def landed(columns: list[str], rows: Sequence[tuple[str | None, ...]]) -> str:
    """Landed rows as the landing zone gives them: text columns plus the load metadata."""
    values = ", ".join(
        "(" + ", ".join("NULL" if v is None else "'" + v.replace("'", "''") + "'" for v in row) + ")"
        for row in rows
    )
    names = ", ".join(f'"{c}"' for c in columns)
    return (
        f"SELECT *, 'L000000001' AS _load_id, 'insert' AS _op, TIMESTAMPTZ '2026-01-05 01:00:00+00' AS _extracted_at "
        f"FROM (VALUES {values}) AS t({names})"
    )


def stage(con: duckdb.DuckDBPyConnection, plan: TablePlan, source: str, name: str) -> list[str]:
    prepare(con, table_sql.layered(plan, AS_OF).values())
    con.execute(f"CREATE TABLE std_{name} AS {table_sql.standardized_sql(plan, source, AS_OF)}")
    return [r[0] for r in con.execute(f"DESCRIBE std_{name}").fetchall()]


def staged_kind(con: duckdb.DuckDBPyConnection, kind: str, plan: TablePlan, source: str) -> dict[str, dict]:
    cols = stage(con, plan, source, plan.name)
    con.execute(f"CREATE TABLE stg_{kind} AS {kinds.kind_select_sql(kind, f'std_{plan.name}', cols)}")
    check_staged(con, kind, f"stg_{kind}")
    cur = con.execute(f"SELECT * FROM stg_{kind}")
    names = [d[0] for d in cur.description or ()]
    return {row[names.index("record_key")]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}


PERSON = Mapping(
    "person",
    {
        "citizen_id": "SFZ",
        "name": "XM",
        "sex": "XB",
        "birth_date": "CSRQ",
        "phone": "DH",
        "current_address": "ZZ",
    },
    codes={"sex": "sex"},
)


def test_person_rows_honour_the_contract_with_mapped_statuses() -> None:
    con = duckdb.connect()
    plan = TablePlan("grid", "RK", ("BH",), "XGSJ", False, PERSON)
    source = landed(
        ["BH", "SFZ", "XM", "XB", "CSRQ", "DH", "ZZ", "XGSJ"],
        [
            ("1", "429004198503051239", "张 三", "男", "1985.3.5", "139-7280-0000", "仙桃市沙嘴街道新华社区光明路12号", "2025/1/2 10:00"),
            ("2", "429004850305123", "李四", "女", "19850305", None, None, None),
            ("3", "429004198503051234", "王五", "1", "1985-03-05", None, None, "2025-01-02 10:00:00"),
            ("4", None, "赵六", "9", "0000-00-00", None, None, None),
            ("5", "4.29004E+17", "钱七", "2", "1985-02-30", None, None, None),
        ],
    )  # fmt: skip
    rows = staged_kind(con, "person", plan, source)
    assert rows["1"]["citizen_id"] == "429004198503051239" and rows["1"]["citizen_id_status"] == "valid"
    assert rows["1"]["name"] == "张三" and rows["1"]["name_pinyin"] == "zhang san"
    assert rows["1"]["sex"] == "1" and rows["1"]["birth_date"] == dt.date(1985, 3, 5)
    assert rows["1"]["phone"] == "13972800000" and rows["1"]["phones"] == ["13972800000"]
    assert rows["1"]["township_code"] and rows["1"]["address_key"]
    assert rows["1"]["updated_at"] == dt.datetime(2025, 1, 2, 10, 0)
    assert rows["1"]["raw_name"] == "张 三"  # the source value stays beside the standardized one
    assert rows["2"]["citizen_id_status"] == "upgraded" and len(rows["2"]["citizen_id"]) == 18
    # A mistyped real ID keeps its 18 characters for resolution, with a status that says it cannot link.
    assert rows["3"]["citizen_id_status"] == "bad_check" and rows["3"]["citizen_id"] == "429004198503051234"
    assert rows["4"]["citizen_id_status"] == "missing" and rows["4"]["citizen_id"] is None
    assert rows["4"]["sex"] is None and rows["4"]["birth_date"] is None  # 9 = unspecified, placeholder date
    assert rows["5"]["citizen_id_status"] == "damaged" and rows["5"]["citizen_id"] is None
    assert {r["source_system"] for r in rows.values()} == {"grid"} and rows["5"]["source_table"] == "RK"


def test_flagged_values_become_masked_warnings_and_missing_ones_do_not() -> None:
    con = duckdb.connect()
    plan = TablePlan("grid", "RK", ("BH",), None, False, PERSON)
    source = landed(
        ["BH", "SFZ", "XM", "XB", "CSRQ", "DH", "ZZ"],
        [("1", "429004198503051234", "王五", "1", "1985-03-05", "13800000000", None), ("2", None, "李", "2", None, None, None)],
    )  # fmt: skip
    stage(con, plan, source, "flags")
    sql = flags_sql(plan, "std_flags", "r1")
    assert sql is not None
    rows = con.execute(
        f"SELECT rule, record_key, value_masked, severity, stage FROM ({sql}) ORDER BY rule"
    ).fetchall()
    assert ("citizen_id_bad_check_char", "1", "429004********1234", "warning", "standardize") in rows
    assert ("phone_dummy", "1", "138****0000", "warning", "standardize") in rows
    assert all(r[1] == "1" for r in rows)  # record 2 only has missing values


def test_a_migrant_certificate_number_is_the_citizen_id_only_for_an_id_card() -> None:
    con = duckdb.connect()
    m = Mapping(
        "person",
        {"cert_type": "ZJZL", "cert_number": "ZJHM", "name": "XM"},
        codes={"cert_type": "certificate_type"},
    )
    plan = TablePlan("police", "LDRK", ("ZJHM",), None, True, m)
    source = landed(
        ["ZJZL", "ZJHM", "XM", "_line"],
        [("居民身份证", "429004198503051239", "张三", "2"), ("护照", "E12345678", "JOHN SMITH", "3")],
    )
    rows = staged_kind(con, "person", plan, source)
    assert rows["429004198503051239"]["citizen_id_status"] == "valid"
    assert rows["429004198503051239"]["cert_number"] is None
    passport = rows["E12345678"]
    assert passport["citizen_id"] is None and passport["citizen_id_status"] == "missing"
    assert passport["cert_number"] == "E12345678" and passport["cert_type"] != "111"
    assert passport["source_line"] == 3  # the line in the export file


def test_enrichment_rows_attach_to_their_record_latest_first() -> None:
    con = duckdb.connect()
    base = TablePlan(
        "civil", "mz_person", ("person_id",), "update_time", False, Mapping("person", {"name": "name"})
    )
    welfare = TablePlan(
        "civil", "mz_welfare", ("welfare_id",), "update_time", False,
        Mapping("person", {"welfare_type": "wt"}, codes={"welfare_type": "welfare_type"},
                attach=Attach("mz_person", "person_id")),
    )  # fmt: skip
    assert welfare.is_enrichment and not welfare.is_entity
    stage(
        con,
        base,
        landed(["person_id", "name", "update_time"], [("1", "张三", None), ("2", "李四", None)]),
        "base",
    )
    rows = [
        ("10", "1", "临时救助", "2020-01-01 00:00:00"),
        ("11", "1", "低保", "2024-01-01 00:00:00"),
        ("12", "9", "特困", "2024-01-01 00:00:00"),
    ]
    stage(con, welfare, landed(["welfare_id", "person_id", "wt", "update_time"], rows), "welfare")
    enrich = f"({table_sql.enrichment_sql(welfare, 'std_welfare', AS_OF)})"
    con.execute(f"CREATE TABLE joined AS {table_sql.attached_sql('std_base', [enrich])}")
    cols = [r[0] for r in con.execute("DESCRIBE joined").fetchall()]
    got = dict(
        con.execute(
            f"SELECT record_key, is_low_income FROM ({kinds.kind_select_sql('person', 'joined', cols)})"
        ).fetchall()
    )
    assert got == {"1": True, "2": None}  # the 2024 minimum-living case wins over the 2020 temporary one
    assert con.execute("SELECT count(*) FROM joined").fetchone() == (2,)  # enrichment never adds records
    orphans = con.execute(f"SELECT attach_key FROM ({table_sql.orphans_sql(enrich, 'std_base')})").fetchall()
    assert orphans == [("9",)]


def test_organization_keys_and_names() -> None:
    con = duckdb.connect()
    m = Mapping(
        "organization",
        {"credit_code": "DM", "org_code": "JG", "name": "MC", "legal_representative": "FR", "address": "DZ"},
    )
    plan = TablePlan("grid", "ZZ", ("BH",), None, False, m)
    source = landed(
        ["BH", "DM", "JG", "MC", "FR", "DZ"],
        [("1", "91429004170724837E", None, "仙桃市博隆贸易有限责任公司", "吕浩健", "仙桃市沙嘴街道新华社区光明路12号"),
         ("2", None, "17072483-7", "博隆贸易有限公司（仙桃）", None, None)],
    )  # fmt: skip
    rows = staged_kind(con, "organization", plan, source)
    assert rows["1"]["credit_code_valid"] is True and rows["1"]["org_code"] == "170724837"
    assert rows["2"]["org_code"] == "170724837" and rows["2"]["credit_code_valid"] is None
    assert rows["1"]["name_key"] == rows["2"]["name_key"] == "博隆贸易有限公司"
    assert rows["1"]["legal_representative"] == "吕浩健" and rows["1"]["address_key"]


def test_places_from_parts_or_from_the_address_with_a_declared_level() -> None:
    con = duckdb.connect()
    m = Mapping(
        "place",
        {"code": "BH", "township_code": "JD", "road": "JLX", "door_number": "MP", "building": "LD", "room": "SH",
         "address": "DZ"},
        codes={"township_code": "township"}, constants={"level": "house"},
    )  # fmt: skip
    plan = TablePlan("grid", "FW", ("BH",), None, False, m)
    source = landed(
        ["BH", "JD", "JLX", "MP", "LD", "SH", "DZ"],
        [
            (
                "F1",
                "沙嘴街道",
                "新华街",
                "8号",
                "1幢",
                "201室",
                "湖北省仙桃市沙嘴街道小红旗社区新华街8号1栋1单元201室",
            )
        ],
    )
    row = staged_kind(con, "place", plan, source)["F1"]
    assert row["level"] == "house" and row["township_code"] == "429004001"
    assert (row["door_number"], row["building"], row["unit"], row["room"]) == ("8", "1", "1", "201")
    assert row["community"] and row["code"] == "F1"


def test_things_take_their_kind_from_a_constant_or_their_type() -> None:
    con = duckdb.connect()
    vehicles = TablePlan(
        "police", "JDC", ("HP", "ZL"), None, True,
        Mapping("thing", {"plate_no": "HP", "plate_type": "ZL"}, codes={"plate_type": "plate_type"},
                constants={"kind": "vehicle"}),
    )  # fmt: skip
    rows = staged_kind(con, "thing", vehicles, landed(["HP", "ZL", "_line"], [("鄂m·12345", "02", "1")]))
    assert rows["鄂m·12345|02"]["plate_no"] == "鄂M12345" and rows["鄂m·12345|02"]["kind"] == "vehicle"
    con = duckdb.connect()
    devices = TablePlan(
        "grid", "SS", ("BH",), None, False,
        Mapping("thing", {"type": "LX", "device_code": "BM", "name": "MC"}, codes={"type": "thing_type"}),
    )  # fmt: skip
    rows = staged_kind(
        con, "thing", devices, landed(["BH", "LX", "BM", "MC"], [("S1", "消防栓", "D1", "消防栓1号")])
    )
    assert rows["S1"]["kind"] == "device" and rows["S1"]["device_code"] == "D1"


def test_events_carry_their_parties_from_the_relation_mapping_of_the_same_table() -> None:
    con = duckdb.connect()
    party = Mapping("event_party", {"name": "DSR", "party_id": "DSRID"})
    m = Mapping(
        "event",
        {"title": "MC", "type": "LB", "occurred_at": "SJ", "address": "DD", "status": "ZT"},
        codes={"type": "event_type", "status": "event_status"},
    )
    plan = TablePlan("grid", "SJ", ("BH",), None, False, m, (party,))
    source = landed(
        ["BH", "MC", "LB", "SJ", "DD", "ZT", "DSR", "DSRID"],
        [("E1", "张某劳动争议", "劳动争议纠纷", "2024/8/30 07:29", "仙桃市沙嘴街道新华社区光明路12号", "05",
          "张蓉、蒋琴婷", "422427198303080107,bad")],
    )  # fmt: skip
    row = staged_kind(con, "event", plan, source)["E1"]
    assert row["occurred_at"] == dt.datetime(2024, 8, 30, 7, 29)
    assert row["party_names"] == ["张蓉", "蒋琴婷"] and row["party_ids"] == ["422427198303080107"]
    assert row["type"] and row["township_code"] == "429004001" and row["address_key"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024/8/30 07:29", "ok"),
        ("20240830", "ok"),
        ("yesterday", "bad_format"),
        (None, "missing"),
        ("0000-00-00 00:00:00", "zero_date"),
    ],
)
def test_timestamps(raw: str | None, expected: str) -> None:
    from transforms.staging.simple import timestamp_sql
    from transforms.standardize import explain

    assert explain(timestamp_sql, raw, as_of=AS_OF)["status"] == expected
    assert explain(timestamp_sql, "2030-01-01 00:00:00", as_of=AS_OF)["status"] == "future_date"


def test_the_police_person_status_says_who_died_and_who_left() -> None:
    con = duckdb.connect()
    m = Mapping("person", {"citizen_id": "ID", "is_deceased": "ZT", "is_moved_out": "ZT"})
    plan = TablePlan("police", "HJRK", ("ID",), None, True, m)
    source = landed(
        ["ID", "ZT", "_line"],
        [("429004198503051239", "死亡", "1"), ("429004198503051238", "迁出", "2"), ("1", "正常", "3")],
    )
    rows = staged_kind(con, "person", plan, source)
    got = {k: (r["is_deceased"], r["is_moved_out"]) for k, r in rows.items()}
    assert got == {
        "429004198503051239": (True, False),
        "429004198503051238": (False, True),
        "1": (False, False),
    }


def _declared_event_plan(source: str) -> TablePlan:
    """The event plan of the real source declaration (grid SJ_MDJF, police JQ), with its event parties."""
    from extractors.registry import registry
    from transforms.staging.plan import plans

    return next(
        p for p in plans([registry()[source]]) if p.target == "event" and p.table in ("SJ_MDJF", "JQ")
    )


def _landed_for(plan: TablePlan, columns: list[str], rows: Sequence[tuple[str | None, ...]]) -> str:
    """Landed rows with every column the plan reads: those not given are NULL."""
    read = {*plan.mapping.fields.values(), *(c for m in plan.related for c in m.fields.values())}
    missing = sorted(read - set(columns))
    pads = "".join(f', CAST(NULL AS VARCHAR) AS "{c}"' for c in missing)
    return f"SELECT *{pads} FROM ({landed(columns, rows)})"


def test_grid_events_get_their_kind_from_the_type_table_and_are_reported_when_registered() -> None:
    con = duckdb.connect()
    plan = _declared_event_plan("grid")
    source = _landed_for(
        plan,
        ["SJBH", "SJMC", "SJLB", "FSSJ", "DJSJ", "FSDD", "DQZT", "XGSJ"],
        [
            ("S1", "邻里噪音", "0102", "2025/3/28 08:21", "2025-03-28 10:21:20", "仙桃市沙嘴街道新华社区光明路12号", "01", None),
            ("S2", "消防通道堵塞", "消防隐患", "2025-03-01 09:00:00", "0000-00-00 00:00:00", None, "01", None),
            ("S3", "民生诉求", "0201", "2025-03-02 09:00:00", None, None, "01", None),
            ("S4", "不明", "9999", "2025-03-02 09:00:00", None, None, "01", None),
        ],
    )  # fmt: skip
    rows = staged_kind(con, "event", plan, source)
    got = {k: (r["type"], r["kind"], r["reported_at"]) for k, r in rows.items()}
    assert got == {
        "S1": ("0102", "dispute", dt.datetime(2025, 3, 28, 10, 21, 20)),
        "S2": ("0401", "hazard", None),  # MariaDB's zero date: no registration time, flagged, not invented
        "S3": ("0201", "request", None),
        "S4": (None, None, None),  # an unknown type has no kind
    }
    assert rows["S2"]["raw_reported_at"] == "0000-00-00 00:00:00"
    flags = con.execute(
        f"SELECT record_key, rule FROM ({flags_sql(plan, f'std_{plan.name}', 'r1')})"
    ).fetchall()
    assert {f for f in flags if f[1].startswith("reported_at")} == {("S2", "reported_at_zero_date")}


def test_police_incidents_are_reported_when_called_in_and_take_their_kind_from_the_type_table() -> None:
    con = duckdb.connect()
    plan = _declared_event_plan("police")
    source = _landed_for(
        plan,
        ["警情编号", "报警时间", "警情类别", "发生地址", "处理状态", "报警人", "报警人证件号码", "_line"],
        [("J1", "2025-10-03 17:23:29", "治安警情", "仙桃市沙嘴街道新华社区光明路12号", "已办结", "张三", None, "1"),
         ("J2", "2025-10-04 08:00:00", "交通警情", None, None, None, None, "2")],
    )  # fmt: skip
    rows = staged_kind(con, "event", plan, source)
    assert rows["J1"]["kind"] == "incident" and rows["J1"]["type"] == "0302"
    assert rows["J1"]["reported_at"] == rows["J1"]["occurred_at"] == dt.datetime(2025, 10, 3, 17, 23, 29)
    assert rows["J2"]["kind"] == "incident" and rows["J2"]["reported_at"] == dt.datetime(2025, 10, 4, 8, 0)
