"""Create a simulated city: the true world, its three legacy systems, and the ground truth that ties them."""

from __future__ import annotations

import contextlib
import json
import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from grassroots.errors import FatalError
from grassroots.home import Home
from simulator import events, lives, orgs, places, population, things, truth
from simulator.config import CityConfig
from simulator.systems import civil, civil_schema, db_writer, grid, grid_schema, police, police_export
from simulator.systems.records import SourceTable
from simulator.world import World

log = logging.getLogger(__name__)
PEOPLE_PER_COMMUNITY = 1600


def stage_rng(seed: int, stage: int) -> np.random.Generator:
    """One independent stream per stage: changing one stage never shifts the draws of another."""
    return np.random.default_rng([seed, stage])


def _owners(rng: np.random.Generator, houses: pd.DataFrame, persons: pd.DataFrame) -> pd.DataFrame:
    """Use and owner of each house: the registered householder lives in it, migrants rent, the rest stands empty."""
    out = houses.copy()
    heads = persons[persons["relation"] == "02"]
    occupant = heads.drop_duplicates("house_id").set_index("house_id")
    owner_reg = occupant["person_id"].where(occupant["category"] == "01")
    rented = occupant.index[occupant["category"] != "01"]
    landlords = persons.loc[(persons["category"] == "01") & persons["is_alive"], "person_id"].to_numpy()
    random_owner = pd.Series(landlords[rng.integers(0, len(landlords), len(out))], index=out["house_id"])
    owner = owner_reg.reindex(out["house_id"]).fillna(random_owner)
    foreign = persons.loc[persons["category"] == "03", "house_id"]
    occupied = out["house_id"].isin(occupant.index) | out["house_id"].isin(foreign)
    out["use_code"] = np.select(
        [out["house_id"].isin(rented) | out["house_id"].isin(foreign), occupied, rng.random(len(out)) < 0.3],
        ["02", "01", "04"],
        "03",
    )
    out["owner_person_id"] = owner.to_numpy()
    return out


def build_world(cfg: CityConfig) -> World:
    today = np.datetime64(cfg.start_date, "D")
    rng = stage_rng(cfg.seed, 1)
    comm = places.communities(rng, cfg.people, PEOPLE_PER_COMMUNITY)
    _, persons = population.build(rng, cfg, comm, today)
    residents = persons.groupby("community_idx").size().reindex(range(len(comm)), fill_value=0).to_numpy()
    grids = places.grids(comm, residents, cfg.people_per_grid)
    houses = places.houses(rng, comm, grids, lives.houses_needed(persons, len(comm)))
    persons = lives.fates(rng, lives.settle(rng, persons, houses, today), cfg, today)
    houses = _owners(rng, houses, persons)
    rng = stage_rng(cfg.seed, 2)
    age_days = (today - persons["birth_date"].to_numpy().astype("datetime64[D]")).astype(int)
    adults = persons[
        persons["is_alive"].to_numpy() & (age_days >= 20 * 365) & (persons["category"] != "03").to_numpy()
    ]
    org = orgs.build(rng, max(1, cfg.people // cfg.people_per_org), adults, houses, today)
    vehicles = things.vehicles(rng, int(len(adults) * cfg.vehicles_per_adult), adults, org, today)
    devices = things.devices_and_hazards(rng, grids, houses, today)
    thing = pd.concat([vehicles, devices], ignore_index=True)
    thing.insert(0, "thing_id", "X" + pd.Series(np.arange(1, len(thing) + 1)).map("{:08d}".format))
    thing["updated_at"] = thing["registered_on"].astype("datetime64[s]") + np.timedelta64(9, "h")
    event = events.build(stage_rng(cfg.seed, 3), int(cfg.people * cfg.events_per_person), persons, today)
    return World(cfg.start_date, persons, comm, grids, houses, org, thing, event)


BUILDERS = {"grid": grid.build, "civil": civil.build, "police": police.build}


@dataclass(frozen=True)
class Created:
    """What ``create`` made: where the systems are and how many records each table got."""

    systems: dict[str, object]
    counts: dict[str, int]


def create(cfg: CityConfig, home: Home, grid_url: str | None, civil_url: str | None, force: bool) -> Created:
    """Build the city and write its three systems, the ground truth and ``sources/systems.json``."""
    if home.systems_file.exists() and not force:
        raise FatalError(
            f"a simulated city already exists under {home.root} (sources/systems.json); "
            "pass --force to replace it or choose another --home"
        )
    home.sources.mkdir(parents=True, exist_ok=True)
    grid_url = grid_url or f"sqlite:///{home.grid_db.resolve()}"
    civil_url = civil_url or f"sqlite:///{home.civil_db.resolve()}"
    for url, path in ((grid_url, home.grid_db), (civil_url, home.civil_db)):
        if url.startswith("sqlite") and path.exists():
            path.unlink()
    with python_strings():
        w = build_world(cfg)
        truth.write_world(w, home.truth)
        counts: dict[str, int] = {}
        maps: list[pa.Table] = []
        # One system at a time, its rows dropped once written: peak memory stays near the world's own size.
        for system, stage in (("grid", 10), ("civil", 11), ("police", 12)):
            tables = BUILDERS[system](stage_rng(cfg.seed, stage), w, cfg.noise)
            _write_system(system, tables, home, grid_url, civil_url, cfg)
            maps += [
                pa.Table.from_pandas(t.source_map(), schema=truth.SOURCE_MAP_SCHEMA, preserve_index=False)
                for t in tables
            ]
            counts.update({f"{t.system}.{t.name}": len(t.frame) for t in tables})
            del tables
    truth.write_source_map(pa.concat_tables(maps), home.truth)
    (home.truth / "changes.parquet").unlink(missing_ok=True)
    truth.append_changes(pd.DataFrame(columns=truth.CHANGES_SCHEMA.names), home.truth)
    facts: dict[str, object] = {
        "grid_url": grid_url,
        "civil_url": civil_url,
        "police_dir": str(home.police_drop.resolve()),
        "today": cfg.start_date.isoformat(),
        "seed": cfg.seed,
        "people": cfg.people,
    }
    home.systems_file.write_text(json.dumps(facts, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return Created(facts, counts)


def _write_system(system: str, tables: list[SourceTable], home: Home, grid_url: str, civil_url: str,
                  cfg: CityConfig) -> None:  # fmt: skip
    if system == "grid":
        db_writer.write_tables(grid_url, grid_schema.metadata, {t.name: t.rows for t in tables})
    elif system == "civil":
        db_writer.write_tables(civil_url, civil_schema.metadata, {t.name: t.rows for t in tables})
    else:
        _reset_drop(home.police_drop)
        for table in tables:
            police_export.write_export(home.police_drop, table, cfg.start_date)
            police_export.save_registry(home.truth, table)


@contextlib.contextmanager
def python_strings() -> Iterator[None]:
    """Plain Python strings in pandas while simulating.

    The simulator builds text column by column and hands rows to database drivers; Arrow-backed strings would be
    converted back and forth at every step (twice the time, more memory at the peak).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pd.option_context("future.infer_string", False):
            yield


def _reset_drop(drop: Path) -> None:
    drop.mkdir(parents=True, exist_ok=True)
    for old in drop.iterdir():
        if old.is_file():
            old.unlink()
