"""A small simulated city: determinism, ground truth for every record, encodings, flags and fault rates."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from grassroots.errors import FatalError
from grassroots.home import Home
from simulator import city, ids
from simulator.config import CityConfig
from simulator.systems import civil_schema, grid_schema

PEOPLE = 2500


@pytest.fixture(scope="module")
def homes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, Home]:
    """The same city built twice from the same seed."""
    out = []
    for name in ("a", "b"):
        home = Home(tmp_path_factory.mktemp(name))
        city.create(CityConfig(people=PEOPLE, seed=7), home, None, None, force=False)
        out.append(home)
    return out[0], out[1]


def _rows(db: Path, table: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()


def test_same_seed_gives_identical_files_rows_and_truth(homes: tuple[Home, Home]) -> None:
    a, b = homes
    files_a = sorted(p.name for p in a.police_drop.iterdir())
    assert files_a == sorted(p.name for p in b.police_drop.iterdir())
    for name in files_a:
        assert (a.police_drop / name).read_bytes() == (b.police_drop / name).read_bytes(), name
    for db, tables in ((a.grid_db, grid_schema.TABLES), (a.civil_db, civil_schema.TABLES)):
        for t in tables:
            assert _rows(db, t.name) == _rows(b.sources / db.name, t.name), t.name
    for p in sorted(a.truth.glob("*.parquet")):
        assert p.read_bytes() == (b.truth / p.name).read_bytes(), p.name


def test_another_seed_gives_another_city(tmp_path: Path, homes: tuple[Home, Home]) -> None:
    other = Home(tmp_path)
    city.create(CityConfig(people=300, seed=8), other, None, None, force=False)
    assert (other.truth / "person.parquet").read_bytes() != (homes[0].truth / "person.parquet").read_bytes()


def test_refuses_to_overwrite_without_force(homes: tuple[Home, Home]) -> None:
    with pytest.raises(FatalError, match="--force"):
        city.create(CityConfig(people=300, seed=1), homes[0], None, None, force=False)


def test_systems_file_says_how_to_reach_each_system(homes: tuple[Home, Home]) -> None:
    facts = json.loads(homes[0].systems_file.read_text(encoding="utf-8"))
    assert set(facts) == {"grid_url", "civil_url", "police_dir", "today", "seed", "people"}
    assert facts["grid_url"].startswith("sqlite:///") and facts["today"] == "2026-01-05"
    assert Path(facts["police_dir"]).is_dir()


def test_every_source_record_has_a_truth_mapping(homes: tuple[Home, Home]) -> None:
    home = homes[0]
    smap = pd.read_parquet(home.truth / "source_map.parquet")
    assert not smap.duplicated(["system", "table", "record_key"]).any()
    for db, tables, system in (
        (home.grid_db, grid_schema.TABLES, "grid"),
        (home.civil_db, civil_schema.TABLES, "civil"),
    ):
        for t in tables:
            key = next(c.name for c in t.primary_key.columns)
            with sqlite3.connect(db) as conn:
                keys = {str(r[0]) for r in conn.execute(f'SELECT "{key}" FROM "{t.name}"')}
            mapped = set(smap.loc[(smap["system"] == system) & (smap["table"] == t.name), "record_key"])
            assert keys == mapped, t.name
    hjrk = next(home.police_drop.glob("HJRK_*.csv"))
    rows = pd.read_csv(hjrk, encoding="gb18030", dtype=str)
    assert set(rows["公民身份号码"]) == set(smap.loc[smap["table"] == "HJRK", "record_key"])
    truth_ids = {kind: set(pd.read_parquet(home.truth / f"{kind}.parquet").iloc[:, 0]) for kind in
                 ("person", "organization", "thing", "event")}  # fmt: skip
    truth_ids["place"] = set(pd.read_parquet(home.truth / "place.parquet")["place_id"])
    for kind, group in smap.groupby("entity_kind"):
        assert set(group["true_entity_id"]) <= truth_ids[str(kind)], kind


def test_truth_identifiers_are_valid_and_unique(homes: tuple[Home, Home]) -> None:
    people = pd.read_parquet(homes[0].truth / "person.parquet")
    citizens = people[people["id_type"] == "111"]
    assert ids.id_is_valid(citizens["id_number"].to_numpy()).all()
    assert not people["id_number"].duplicated().any()
    ymd = pd.to_datetime(citizens["birth_date"]).dt.strftime("%Y%m%d")
    assert (citizens["id_number"].str[6:14] == ymd).all()
    assert ((citizens["id_number"].str[16].astype(int) % 2 == 1) == (citizens["sex"] == "1")).all()
    local = citizens[citizens["category"] == "01"]["id_number"].str[:6]
    assert {"422427", "422401", "429004"} <= set(local)
    orgs = pd.read_parquet(homes[0].truth / "organization.parquet")
    assert ids.credit_code_is_valid(orgs["credit_code"].dropna().to_numpy()).all()
    place = pd.read_parquet(homes[0].truth / "place.parquet")
    grids = place.loc[place["level"] == "grid", "code"]
    assert grids.str.fullmatch(r"429004\d{9}").all()


def test_police_csv_is_gb18030_with_crlf_and_four_byte_characters(homes: tuple[Home, Home]) -> None:
    raw = next(homes[0].police_drop.glob("HJRK_*.csv")).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    assert text.startswith("公民身份号码,姓名") and "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert "𠮷" in text and any(len(ch.encode("gb18030")) == 4 for ch in set(text))
    assert any(ch in text for ch in "埫剅堃喆镕赟")


def test_flag_files_hold_row_count_and_md5(homes: tuple[Home, Home]) -> None:
    for data in homes[0].police_drop.glob("*_001.*"):
        if data.suffix == ".ok":
            continue
        flag = dict(line.split("=") for line in data.with_name(data.name + ".ok").read_text().split())
        assert flag["md5"] == hashlib.md5(data.read_bytes()).hexdigest()
        if data.suffix == ".csv":
            assert int(flag["rows"]) == len(pd.read_csv(data, encoding="gb18030", dtype=str))
        else:
            sheet = load_workbook(data, read_only=True).active
            assert int(flag["rows"]) == sum(1 for _ in sheet.iter_rows()) - 1


def test_fault_rates_in_the_grid_platform(homes: tuple[Home, Home]) -> None:
    home = homes[0]
    with sqlite3.connect(home.grid_db) as conn:
        rk = pd.read_sql('SELECT * FROM "JC_RK"', conn)
    smap = pd.read_parquet(home.truth / "source_map.parquet")
    people = pd.read_parquet(home.truth / "person.parquet").set_index("person_id")
    entity = rk["RYBH"].map(smap[smap["table"] == "JC_RK"].set_index("record_key")["true_entity_id"])
    true_id = entity.map(people["id_number"])
    written = rk["GMSFHM"].notna()
    damaged = (rk["GMSFHM"] != true_id) & written
    assert 0.03 < damaged.mean() < 0.12  # id_damage 0.06 plus shared IDs
    assert 0.002 < (~written).mean() < 0.03
    assert 0.25 < (~rk["CSRQ"].str.fullmatch(r"\d{4}-\d{2}-\d{2}")).mean() < 0.45
    assert 0.01 < entity.duplicated().mean() < 0.035
    alive = people[people["is_alive"]]
    assert 0.85 < alive.index.isin(entity).mean() < 0.95
    assert (rk["DJSJ"] == "0000-00-00 00:00:00").any()
    assert rk["XB"].eq("0").any()
    assert {"汉", "汉族", "01", "1"} <= set(rk["MZ"])
    assert rk["MZ"].isin(["无", "不详", "未知", "-", "NULL", "？", "暂无"]).any()


def test_coverage_differs_between_systems(homes: tuple[Home, Home]) -> None:
    home = homes[0]
    people = pd.read_parquet(home.truth / "person.parquet")
    smap = pd.read_parquet(home.truth / "source_map.parquet")
    civil = smap[(smap["table"] == "mz_person")]["true_entity_id"].nunique()
    assert 0.08 < civil / len(people) < 0.22
    registered = people[people["category"] == "01"]
    assert set(smap.loc[smap["table"] == "HJRK", "true_entity_id"]) == set(registered["person_id"])
    migrants = people[people["category"] == "02"]["person_id"]
    assert 0.75 < migrants.isin(smap.loc[smap["table"] == "LDRK", "true_entity_id"]).mean() < 0.95


def test_command_line_creates_then_refuses_then_advances(tmp_path: Path) -> None:
    from grassroots.cli import main

    home = tmp_path / "cli"
    assert (
        main(
            [
                "--home",
                str(home),
                "-q",
                "simulate",
                "--people",
                "300",
                "--seed",
                "2",
                "--start-date",
                "2025-06-30",
            ]
        )
        == 0
    )
    assert (
        json.loads((home / "sources" / "systems.json").read_text(encoding="utf-8"))["today"] == "2025-06-30"
    )
    assert main(["--home", str(home), "-q", "simulate", "--people", "300"]) == 2
    assert main(["--home", str(home), "-q", "simulate", "advance", "--days", "2"]) == 0
    assert (
        json.loads((home / "sources" / "systems.json").read_text(encoding="utf-8"))["today"] == "2025-07-02"
    )
