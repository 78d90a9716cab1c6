"""Ground truth on disk: the true entities per kind, the source map and the change log, as Parquet under truth/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from simulator.world import World, township_names

COMMUNITY_COLUMNS = ["community_id", "township_code", "code", "name", "urban", "weight"]
GRID_COLUMNS = ["grid_code", "community_id", "township_code", "name", "seq"]
HOUSE_COLUMNS = [
    "house_id", "community_idx", "community_id", "township_code", "community_name", "grid_code", "urban", "street",
    "door_no", "building", "unit", "room", "address", "lng", "lat", "use_code", "owner_person_id",
]  # fmt: skip
SOURCE_MAP_SCHEMA = pa.schema(
    [("system", pa.string()), ("table", pa.string()), ("record_key", pa.string()), ("entity_kind", pa.string()),
     ("true_entity_id", pa.string())]
)  # fmt: skip
CHANGES_SCHEMA = pa.schema(
    [("day", pa.date32()), ("system", pa.string()), ("table", pa.string()), ("record_key", pa.string()),
     ("op", pa.string())]
)  # fmt: skip


def _write(frame: pd.DataFrame, path: Path, schema: pa.Schema | None = None) -> None:
    table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    # No created_by or timestamps differ between runs: the same seed gives the same bytes.
    pq.write_table(table.replace_schema_metadata(None), path, compression="zstd")


def place_frame(w: World) -> pd.DataFrame:
    """Townships, communities, grids and houses in one table with a level and a parent."""
    towns = pd.DataFrame({"code": list(township_names())})
    town = pd.DataFrame({"place_id": "T" + towns["code"], "level": "township", "parent_id": "CITY429004",
                         "code": towns["code"], "name": towns["code"].map(township_names()),
                         "township_code": towns["code"]})  # fmt: skip
    c = w.communities
    comm = c.assign(place_id=c["community_id"], level="community", parent_id="T" + c["township_code"])
    g = w.grids
    grid = g.assign(
        place_id="G" + g["grid_code"], level="grid", parent_id=g["community_id"], code=g["grid_code"]
    )
    h = w.houses
    house = h.assign(place_id=h["house_id"], level="house", parent_id="G" + h["grid_code"], code=h["house_id"],
                     name=h["address"])  # fmt: skip
    return pd.concat([town, comm, grid, house], ignore_index=True)


def write_world(w: World, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    _write(w.persons, root / "person.parquet")
    _write(place_frame(w), root / "place.parquet")
    _write(w.orgs, root / "organization.parquet")
    _write(w.things, root / "thing.parquet")
    _write(w.events, root / "event.parquet")


def read_world(root: Path, today: dt.date) -> World:
    place = pd.read_parquet(root / "place.parquet")
    level = place["level"]

    def part(name: str, columns: list[str]) -> pd.DataFrame:
        return place.loc[level == name, columns].reset_index(drop=True)

    houses = part("house", HOUSE_COLUMNS)
    houses["community_idx"] = houses["community_idx"].astype(np.int64)
    for col in ("door_no", "building", "unit", "room"):
        houses[col] = houses[col].astype(np.int64)
    return World(
        today=today,
        persons=pd.read_parquet(root / "person.parquet"),
        communities=part("community", COMMUNITY_COLUMNS),
        grids=part("grid", GRID_COLUMNS),
        houses=houses,
        orgs=pd.read_parquet(root / "organization.parquet"),
        things=pd.read_parquet(root / "thing.parquet"),
        events=pd.read_parquet(root / "event.parquet"),
    )


def write_source_map(frame: pd.DataFrame | pa.Table, root: Path) -> None:
    table = frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    table = table.select(SOURCE_MAP_SCHEMA.names).cast(SOURCE_MAP_SCHEMA)
    pq.write_table(table.replace_schema_metadata(None), root / "source_map.parquet", compression="zstd")


def append_changes(frame: pd.DataFrame, root: Path) -> None:
    """Add the changes of one advance to ``changes.parquet`` (created empty by ``simulate``)."""
    path = root / "changes.parquet"
    old = pd.read_parquet(path) if path.exists() else pd.DataFrame(columns=CHANGES_SCHEMA.names)
    both = pd.concat([old, frame], ignore_index=True) if len(old) else frame
    _write(both, path, CHANGES_SCHEMA)
