"""The warehouse on real DuckLake files: one-snapshot publish, failure, time travel, history, roles, retention."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pydantic import SecretStr

import schemas
from grassroots.config import Settings
from grassroots.errors import FatalError
from warehouse import PublishResult, connect, extensions, publish, query, retain, retention
from warehouse import write as write_module
from warehouse.catalog import tables
from warehouse.lake import layout
from warehouse.synthetic import rows

ID_A, ID_B, ID_C = "429004198503051239", "42900419491231002X", "429004200001011234"
# Standing alone: digits inside a hex pseudonym or entity id, or a long decimal, are neither an ID nor a phone.
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
FULL_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")


def _person(pid: str, cid: str, name: str, phone: str, grid: str, **extra: Any) -> dict[str, Any]:
    return {
        "person_id": pid,
        "citizen_id": cid,
        "name": name,
        "phone": phone,
        "category": "01",
        "current_address": f"沙嘴街道新华社区光明路{pid[-1]}号",
        "current_township": "429004001",
        "current_community": "新华社区",
        "current_grid": grid,
        "is_deceased": False,
        "last_updated": datetime(2026, 11, 1, tzinfo=UTC),
        **extra,
    }


def city(version: int = 1) -> dict[str, pa.Table]:
    """A tiny city; version 2: A moved to grid G2, B died, C arrived."""
    people = [
        _person("P1", ID_A, "张三", "13972800000", "G1" if version == 1 else "G2"),
        _person(
            "P2",
            ID_B,
            "李四",
            "13972800001",
            "G1",
            special_group="01",
            religion="佛教",
            summary=None,
            is_deceased=version == 2,
        ),
        _person("P4", "429004199001011236", "赵六", "13972800004", "G2", category="02"),
    ]
    if version == 2:
        people.append(_person("P3", ID_C, "王五", "13972800002", "G2"))
    for p in people:
        p.pop("summary", None)
    places = [
        {
            "place_id": g,
            "level": "grid",
            "code": g,
            "grid_code": g,
            "township_code": "429004001",
            "name": f"网格{g}",
            "owner_name": None,
        }
        for g in ("G1", "G2")
    ] + [
        {
            "place_id": "H1",
            "level": "house",
            "grid_code": "G1",
            "owner_name": "张三",
            "owner_citizen_id": ID_A,
        }
    ]
    residence = [
        {"person_id": "P1", "place_id": "H1", "residence_type": "registered", "source": "civil"},
        {"person_id": "P2", "place_id": "H1", "residence_type": "registered", "source": "civil"},
    ]
    event = [
        {
            "event_id": "E1",
            "kind": "dispute",
            "township_code": "429004001",
            "grid_code": "G1",
            "reported_at": datetime(2026, 10, 1, 9),
            "deadline": datetime(2026, 10, 15, 9),
            "closed_at": None,
            "summary": f"张三（{ID_A}，电话13972800000）与邻居纠纷",
            "handler": "陈七",
        },
    ]
    sources = [
        {
            "entity_kind": "person",
            "entity_id": "P1",
            "source_system": "police",
            "source_table": "rk",
            "record_key": "1",
            "run_id": "r",
        },
    ]
    finding = [
        {
            "run_id": "r",
            "entity_kind": "person",
            "entity_id": "P1",
            "field": "phone",
            "kind": "conflict",
            "systems": ["grid", "police"],
            "values_masked": ["139****0000", "139****0009"],
            "detected_at": datetime(2026, 11, 1, tzinfo=UTC),
        },
    ]
    return {
        "person": rows(schemas.PERSON, people),
        "place": rows(schemas.PLACE, places),
        "person_residence": rows(schemas.get("person_residence"), residence),
        "event": rows(schemas.EVENT, event),
        "entity_source": rows(schemas.get("entity_source"), sources),
        "finding": rows(schemas.get("finding"), finding),
    }


KEY = SecretStr("test-key-not-for-production")


@pytest.fixture
def settings(home: Path) -> Settings:
    """A fresh warehouse, for tests that publish themselves."""
    return Settings(home=home, privacy_key=KEY)


@dataclass(frozen=True)
class Published:
    settings: Settings
    first: PublishResult
    between: datetime
    second: PublishResult
    third: PublishResult


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """One warehouse published three times (city v1, v2, v2 again), shared by the tests that only read."""
    settings = Settings(home=tmp_path_factory.mktemp("published"), privacy_key=KEY)
    first = publish(settings, city(), "run-1")
    time.sleep(0.05)
    between = datetime.now(UTC)
    time.sleep(0.05)
    second = publish(settings, city(2), "run-2")
    third = publish(settings, city(2), "run-3")
    return Published(settings, first, between, second, third)


def scalar(settings: Settings, sql: str, **kw: Any) -> Any:
    return query(settings, sql, **kw).column(0)[0].as_py()


def test_publish_then_read_as_analyst_and_engineer(published: Published) -> None:
    settings = published.settings
    assert published.first.rows["person"] == 3 and len(published.first.marts) == 7
    assert scalar(settings, "SELECT citizen_id FROM person WHERE person_id = 'P1'") == "429004********1239"
    assert scalar(settings, "SELECT religion FROM person WHERE person_id = 'P2'") is None
    assert scalar(settings, "SELECT citizen_id FROM person WHERE person_id = 'P1'", role="engineer") == ID_A
    # Pseudonyms join across tables: the house owner is person P1.
    joined = (
        "SELECT count(*) FROM person p JOIN place h ON h.owner_citizen_id_pseudonym = p.citizen_id_pseudonym"
    )
    assert scalar(settings, joined) == 1


def test_engineer_role_refuses_without_the_key(published: Published) -> None:
    settings = published.settings
    with pytest.raises(FatalError, match="GRASSROOTS_PRIVACY_KEY"):
        query(settings.model_copy(update={"privacy_key": None}), "SELECT 1", role="engineer")
    wrong = settings.model_copy(update={"privacy_key": SecretStr("another-key")})
    with pytest.raises(FatalError):
        query(wrong, "SELECT count(*) FROM person", role="engineer")


def test_full_value_files_are_encrypted_and_analyst_files_masked(published: Published) -> None:
    lay = layout(published.settings)
    restricted = sorted(lay.restricted_data.rglob("*.parquet"))
    assert restricted
    con = duckdb.connect()
    with pytest.raises(duckdb.Error, match="encrypted"):
        con.sql(f"SELECT * FROM read_parquet('{restricted[0]}')").fetchall()
    assert ID_A.encode() not in lay.restricted_catalog.read_bytes()
    for path in lay.analyst_data.rglob("*.parquet"):
        assert ID_A.encode() not in path.read_bytes()
    assert ID_A.encode() not in lay.analyst_catalog.read_bytes()


def _leaks(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(schema, table) of every string value in the lake that holds a full citizen ID or mobile number."""
    columns = con.execute(
        "SELECT schema_name, table_name, list(column_name) FROM duckdb_columns() "
        "WHERE database_name = 'lake' AND data_type IN ('VARCHAR', 'VARCHAR[]') GROUP BY ALL"
    ).fetchall()
    assert len(columns) >= 12
    found = []
    for schema, name, names in columns:
        select = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in names)
        for row in con.sql(f'SELECT {select} FROM "{schema}"."{name}"').fetchall():
            found += [(schema, name) for v in row if v and (FULL_ID.search(v) or FULL_MOBILE.search(v))]
    return found


def test_no_analyst_table_or_view_shows_a_full_id_or_phone(published: Published) -> None:
    for role, expect_leaks in (
        ("analyst", False),
        ("engineer", True),
    ):  # the engineer's proves the scan bites
        con = connect(published.settings, role)
        try:
            leaks = _leaks(con)
        finally:
            con.close()
        assert bool(leaks) == expect_leaks, (role, sorted(set(leaks)))
    assert ("main", "event") in leaks and ("main", "person_history") in leaks


def _count_people(settings: Settings, **kw: Any) -> int:
    return int(scalar(settings, "SELECT count(*) FROM person", **kw))


def test_a_publish_failing_midway_leaves_the_previous_snapshot(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = publish(settings, city(), "run-1")
    real = write_module._write_table
    calls = {"n": 0}

    def failing(cur: Any, w: Any, decl: Any, plan: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 9:  # the restricted lake is fully written, the analyst one halfway
            raise RuntimeError("injected failure")
        real(cur, w, decl, plan)

    data = layout(settings).restricted_data
    files_before = sorted(data.rglob("*.parquet"))
    monkeypatch.setattr(write_module, "_write_table", failing)
    with pytest.raises(RuntimeError, match="injected"):
        publish(settings, city(2), "run-2")
    monkeypatch.undo()
    # The rollback took the files the failed attempt had written with it.
    assert sorted(data.rglob("*.parquet")) == files_before
    assert _count_people(settings) == 3 and _count_people(settings, role="engineer") == 3
    snapshots = query(settings, "SELECT max(snapshot_id) AS s FROM snapshots()").column(0)[0].as_py()
    assert snapshots == first.analyst_snapshot
    assert scalar(settings, "SELECT current_grid FROM person WHERE person_id = 'P1'", role="engineer") == "G1"
    # The lake still takes the next publish.
    assert publish(settings, city(2), "run-2").analyst_snapshot == first.analyst_snapshot + 1


def test_rows_breaking_the_declaration_are_refused_before_anything_is_written(settings: Settings) -> None:
    publish(settings, city(), "run-1")
    broken = city(2)
    bad = broken["person"].to_pylist()
    bad[0]["person_id"] = None
    bad[1]["person_id"] = bad[2]["person_id"]
    broken["person"] = pa.Table.from_pylist(bad)
    with pytest.raises(FatalError, match=r"1 rows without person_id; 1 duplicate keys"):
        publish(settings, broken, "run-2")
    assert _count_people(settings) == 3


def test_readers_see_the_previous_snapshot_while_a_publish_is_open(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(settings, city(), "run-1")
    seen: list[str] = []
    real = write_module.write_marts
    reader = (
        "import sys; from pathlib import Path; from grassroots.config import Settings; from warehouse import query;"
        "s = Settings(home=Path(sys.argv[1]));"
        "print(query(s, 'SELECT count(*) FROM person').column(0)[0].as_py())"
    )

    def marts_with_a_reader(cur: Any, w: Any) -> Any:
        if w.alias == "lake":  # both lakes written, nothing committed: another process reads now
            out = subprocess.run(
                [sys.executable, "-c", reader, str(settings.home)], capture_output=True, text=True, timeout=60
            )
            seen.append(out.stdout.strip() or out.stderr)
        return real(cur, w)

    monkeypatch.setattr(write_module, "write_marts", marts_with_a_reader)
    publish(settings, city(2), "run-2")
    assert seen == ["3"]
    assert _count_people(settings) == 4


def test_time_travel_by_snapshot_and_by_time(published: Published) -> None:
    settings, first, between = published.settings, published.first, published.between
    assert _count_people(settings) == 4
    assert _count_people(settings, as_of=first.analyst_snapshot) == 3
    assert _count_people(settings, as_of=between) == 3
    assert _count_people(settings, role="engineer", as_of=between) == 3
    grid_then = "SELECT current_grid FROM person WHERE person_id = 'P1'"
    assert scalar(settings, grid_then, as_of=first.analyst_snapshot) == "G1"
    assert scalar(settings, grid_then) == "G2"


def test_entity_history_shows_moves_and_deaths_with_dates(published: Published) -> None:
    settings = published.settings
    assert published.second.changes["person"] == {"changed": 2, "new": 1}
    hist = query(
        settings,
        "SELECT person_id, current_grid, is_deceased, valid_from, valid_to, run_id FROM person_history "
        "ORDER BY person_id, valid_from",
    ).to_pylist()
    p1 = [h for h in hist if h["person_id"] == "P1"]
    assert [h["current_grid"] for h in p1] == ["G1", "G2"]
    assert p1[0]["valid_to"] == p1[1]["valid_from"] and p1[1]["valid_to"] is None
    assert [h["is_deceased"] for h in hist if h["person_id"] == "P2"] == [False, True]
    assert [h["run_id"] for h in hist if h["person_id"] == "P4"] == ["run-1"]  # unchanged: one version
    # The unchanged third publish added no versions.
    assert published.third.changes["person"] == {}
    assert len(hist) == 6


def test_retention_expires_old_snapshots_and_reduces_files(settings: Settings) -> None:
    for n in range(3):
        publish(settings, city(1 + n % 2), f"run-{n}")
    lay = layout(settings)
    before = sum(1 for _ in lay.analyst_data.rglob("*.parquet"))
    results = retain(settings.model_copy(update={"warehouse_keep_days": 0, "warehouse_keep_snapshots": 1}))
    analyst = next(r for r in results if r.lake == "lake")
    assert analyst.expired and analyst.files_after < before
    assert _count_people(settings) == 3
    with pytest.raises(FatalError):
        _count_people(settings, as_of=1)


def test_retention_merges_only_small_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    con = extensions.connect("ducklake")
    con.execute(
        f"ATTACH 'ducklake:{tmp_path}/meta.ducklake' AS lk (DATA_PATH '{tmp_path}/data', DATA_INLINING_ROW_LIMIT 0)"
    )
    con.execute("CREATE TABLE lk.t AS SELECT range AS i FROM range(100000)")  # one big file (about 400 kB)
    for _ in range(2):
        con.execute("INSERT INTO lk.t SELECT range FROM range(10)")  # two small ones
    files = "SELECT data_file, data_file_size_bytes FROM ducklake_list_files('lk', 't') ORDER BY 2"
    before = con.execute(files).fetchall()
    monkeypatch.setattr(retention, "SMALL_FILE_BYTES", 100_000)
    retention._maintain(con, "lk", datetime(2000, 1, 1, tzinfo=UTC), keep=100)
    after = con.execute(files).fetchall()
    assert before[-1] in after  # the big file is left as it is
    assert len(before) == 3 and len(after) == 2  # the two small ones became one
    assert con.execute("SELECT count(*) FROM lk.t").fetchone() == (100_020,)


def test_undeclared_columns_are_refused(settings: Settings) -> None:
    tables = city()
    tables["person"] = tables["person"].append_column("secret", pa.array(["x"] * 3))
    with pytest.raises(FatalError, match="undeclared"):
        publish(settings, tables, "run-1")


# Every way publish applies a new version (keyed diff, rewrite, Parquet views, in-memory inputs) leaves the same lakes.
# Publish times differ between two homes; whether a version is still open does not.
_TIMES = ("valid_from", "valid_to", "snapshot_id", "as_of_date", "days_since_update", "days_past_deadline")


def _as_parquet(folder: Path, version: int) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, table in city(version).items():
        pq.write_table(table, folder / f"{name}.parquet")
        paths[name] = folder / f"{name}.parquet"
    return paths


def _contents(settings: Settings) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    for role in ("analyst", "engineer"):
        con = connect(settings, role)
        try:
            for schema in ("main", "marts"):
                for name in tables(con, "lake", schema):
                    rel = con.sql(f'SELECT * FROM lake.{schema}."{name}"')
                    kept = [c for c in rel.columns if c not in _TIMES]
                    cols = ", ".join(f'"{c}"::VARCHAR' for c in kept)  # text: no pytz for time zones
                    extra = ", valid_to IS NULL AS open" if "valid_to" in rel.columns else ""
                    found = con.sql(f'SELECT {cols}{extra} FROM lake.{schema}."{name}"').fetchall()
                    out[f"{role}.{schema}.{name}"] = sorted(found, key=repr)
        finally:
            con.close()
    return out


@pytest.mark.parametrize("share", [0.0, 2.0])
def test_rewrite_and_keyed_diff_and_parquet_inputs_publish_the_same_lakes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, share: float
) -> None:
    keyed = Settings(home=tmp_path / "keyed", privacy_key=KEY)
    for version in (1, 2, 2, 1):
        publish(keyed, city(version), f"run-{version}")
    # share 0: every changed table is emptied and refilled; 2: never. Inputs as Parquet files (staged as views).
    monkeypatch.setattr(write_module, "REWRITE_SHARE", share)
    other = Settings(home=tmp_path / "other", privacy_key=KEY)
    results = [
        publish(other, _as_parquet(tmp_path / f"in{n}", version), f"run-{version}")
        for n, version in enumerate((1, 2, 2, 1))
    ]
    assert results[1].changes["person"] == {"changed": 2, "new": 1}
    assert results[2].changes["person"] == {}
    assert _contents(other) == _contents(keyed)


def test_a_mostly_changed_table_is_rewritten_and_its_history_kept(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "h", privacy_key=KEY)
    publish(settings, city(1), "run-1")
    v2 = city(2)
    person = v2["person"].to_pylist()
    for p in person:
        p["current_grid"] = "G9"  # every person changed: applied by emptying the table
    v2["person"] = pa.Table.from_pylist(person, schema=v2["person"].schema)
    result = publish(settings, v2, "run-2")
    assert result.changes["person"] == {"changed": 3, "new": 1}
    con = connect(settings, "engineer")
    try:
        grids = con.sql("SELECT DISTINCT current_grid FROM person").fetchall()
        history = con.sql("SELECT count(*), count(*) FILTER (WHERE valid_to IS NULL) FROM person_history")
        assert grids == [("G9",)]
        assert history.fetchone() == (7, 4)
    finally:
        con.close()


def test_a_home_restored_elsewhere_opens_and_publishes(settings: Settings, tmp_path: Path) -> None:
    """A home's catalogs record where its Parquet files were: a copy of the home (a backup restored on another
    disk) reads and publishes its own files."""
    import shutil

    publish(settings, city(), "run-1")
    restored = settings.model_copy(update={"home": tmp_path / "restored"})
    shutil.copytree(settings.home, restored.home)
    shutil.rmtree(layout(settings).root)  # the original is gone
    assert scalar(restored, "SELECT count(*) FROM person") == 3
    assert scalar(restored, "SELECT citizen_id FROM person WHERE person_id = 'P1'", role="engineer") == ID_A
    publish(restored, city(2), "run-2")
    assert scalar(restored, "SELECT current_grid FROM person WHERE person_id = 'P1'", role="engineer") == "G2"
