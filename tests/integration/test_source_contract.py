"""The contract every declared source passes, on a small simulated city: the declaration is valid and matches the
canonical model, the system is reachable, its columns exist, a first sync lands keyed rows and a second lands none."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

import schemas
from extractors import tabular
from extractors.declare import ENTITY_KINDS, Cursor, DatabaseSource, FileSource, Mapping, Source
from extractors.filedrop import parse_flag
from extractors.landing import META_COLUMNS, current_sql, table_dir
from extractors.registry import registry
from extractors.summary import SyncSummary
from grassroots.cli import main
from grassroots.config import Settings
from grassroots.pipeline.sync import sync
from schemas import codes
from transforms.staging.relations import LINK_FIELDS

SOURCES = registry()


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("contract") / "home"
    assert main(["--home", str(home), "-q", "simulate", "--people", "300", "--seed", "1"]) == 0
    return home


@pytest.fixture(scope="module")
def synced(city: Path) -> Iterator[tuple[list[SyncSummary], list[SyncSummary]]]:
    settings = Settings(home=city)
    yield sync(settings), sync(settings)


def units(source: Source) -> list[tuple[str, tuple[str, ...], tuple[Mapping, ...]]]:
    if isinstance(source, DatabaseSource):
        return [(t.name, t.key, t.mappings) for t in source.tables]
    return [(k.name, k.key, k.mappings) for k in source.kinds]


def source_columns(source: Source, settings: Settings) -> dict[str, list[str]]:
    """Column names each table or file kind really has in the simulated system."""
    if isinstance(source, DatabaseSource):
        inspector = sa.inspect(sa.create_engine(source.url(settings)))
        return {t.name: [c["name"] for c in inspector.get_columns(t.name)] for t in source.tables}
    found: dict[str, list[str]] = {}
    for kind in source.kinds:
        first = sorted(source.folder(settings).glob(kind.pattern))[0]
        if first.suffix == ".xlsx":
            found[kind.name] = tabular.read_xlsx(first).header
        else:
            found[kind.name] = first.read_bytes().decode("gb18030").split("\r\n", 1)[0].split(",")
    return found


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_declaration_is_valid(name: str) -> None:
    source = SOURCES[name]
    names = [unit for unit, _, _ in units(source)]
    assert names and len(names) == len(set(names)), "table or file kind names must be unique"
    for unit, key, mappings in units(source):
        assert key, f"{unit} declares no key"
        assert mappings, f"{unit} maps nothing to the canonical model"
        for mapping in mappings:
            table = schemas.get(mapping.target)
            assert mapping.target in ENTITY_KINDS or table.kind == "relation"
            model_fields = {f.name: f for f in table.fields}
            unknown = set(mapping.fields) - set(model_fields) - set(LINK_FIELDS.get(mapping.target, ()))
            assert not unknown, f"{unit} maps to fields {unknown} that {mapping.target} does not have"
            for field, code_table in mapping.codes.items():
                assert field in mapping.fields, f"{unit}: code table for unmapped field {field}"
                assert model_fields[field].code_table == code_table, f"{unit}.{field} uses {code_table}"
                assert code_table in codes.tables()
    if isinstance(source, DatabaseSource):
        assert source.chunk_rows > 0


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_reachable_and_columns_exist(name: str, city: Path) -> None:
    source, settings = SOURCES[name], Settings(home=city)
    if isinstance(source, FileSource):
        assert source.folder(settings).is_dir()
    columns = source_columns(source, settings)
    for unit, key, mappings in units(source):
        assert unit in columns, f"{unit} is not in the source"
        used = set(key) | {c for m in mappings for c in m.fields.values()}
        if isinstance(source, DatabaseSource):
            table = next(t for t in source.tables if t.name == unit)
            if isinstance(table.changes, Cursor):
                used.add(table.changes.column)
        missing = used - set(columns[unit])
        assert not missing, f"{name}.{unit} declares columns the source lacks: {missing}"


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_first_sync_lands_keyed_rows(name: str, city: Path, synced: tuple[list[SyncSummary], ...]) -> None:
    first = [s for s in synced[0] if s.source == name]
    assert first and all(s.status == "ok" for s in first), [s.message for s in first]
    assert sum(s.inserts for s in first) > 0, f"{name} landed nothing"
    for unit, key, _ in units(SOURCES[name]):
        rel = duckdb.sql(current_sql(city, name, unit))
        assert set(META_COLUMNS) <= set(rel.columns)
        quoted = [f'"{k}"' for k in key]
        any_null = " OR ".join(f"{k} IS NULL" for k in quoted)
        sql = f"SELECT count(*), count(DISTINCT ({', '.join(quoted)})), count(*) FILTER (WHERE {any_null})"
        total, distinct, nulls = duckdb.sql(f"{sql} FROM ({current_sql(city, name, unit)})").fetchone() or (
            0,
            0,
            0,
        )
        assert total == distinct and nulls == 0
        for meta in table_dir(city, name, unit).glob("*/_load.json"):
            body = json.loads(meta.read_text(encoding="utf-8"))
            assert body["rows"] > 0 and body["key"] == list(key) and body["checksum"]


def expected_rows(source: Source, settings: Settings) -> dict[str, int]:
    """Rows each table holds, or for a drop folder the rows its flag files promise."""
    if isinstance(source, FileSource):
        folder = source.folder(settings)
        return {
            k.name: sum(parse_flag(p.read_text()).rows or 0 for p in folder.glob(k.pattern + ".ok"))
            for k in source.kinds
        }
    engine = sa.create_engine(source.url(settings))
    with engine.connect() as conn:
        count = sa.select(sa.func.count())
        return {t.name: conn.execute(count.select_from(sa.table(t.name))).scalar_one() for t in source.tables}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_every_source_row_landed_or_quarantined(
    name: str, city: Path, synced: tuple[list[SyncSummary], ...]
) -> None:
    for unit, expected in expected_rows(SOURCES[name], Settings(home=city)).items():
        quarantined = sum(s.quarantined for s in synced[0] if s.source == name and s.table == unit)
        landed = duckdb.sql(f"SELECT count(*) FROM ({current_sql(city, name, unit)})").fetchone()
        assert landed is not None and landed[0] + quarantined == expected, unit


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_second_sync_lands_nothing(name: str, synced: tuple[list[SyncSummary], ...]) -> None:
    second = [s for s in synced[1] if s.source == name]
    assert all(s.status in ("ok", "skipped") for s in second)
    assert sum(s.rows for s in second) == 0
    assert sum(s.quarantined for s in second) == 0
