"""Writing police exports into the drop folder (full or delta), and the police registry kept between exports."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from simulator.systems import files
from simulator.systems import police_schema as ps
from simulator.systems.police import excel_cells, export_time
from simulator.systems.records import ENTITY_COLUMN, SourceTable

log = logging.getLogger(__name__)


def next_seq(drop: Path, kind: ps.ExportKind, day: dt.date) -> int:
    """The next free sequence number of the day for this kind of export."""
    stem = f"{kind.prefix}_429004_{day:%Y%m%d}_"
    return len([p for p in drop.glob(stem + "*" + kind.suffix)]) + 1


def write_export(drop: Path, table: SourceTable, day: dt.date, frame: pd.DataFrame | None = None) -> Path:
    """Write one export of ``table`` (or of ``frame``, its delta rows) dated ``day``, then its flag."""
    kind = ps.KINDS[table.name]
    rows = table.frame if frame is None else frame
    path = drop / kind.file_name(f"{day:%Y%m%d}", next_seq(drop, kind, day))
    visible = (
        excel_cells(table.name, rows)
        if kind.suffix == ".xlsx"
        else rows[[c for c in rows if not c.startswith("_")]]
    )
    ordered = list(kind.columns) + ([ps.CHANGE_COLUMN] if ps.CHANGE_COLUMN in visible.columns else [])
    visible = visible[ordered]
    if kind.suffix == ".csv":
        files.write_csv(path, visible)
    else:
        files.write_xlsx(path, kind.prefix, visible, export_time(day))
    log.info("police export %s: %s rows", path.name, len(visible))
    return path


def state_path(truth_root: Path, kind: str) -> Path:
    return truth_root / "police_registry" / f"{kind}.parquet"


def save_registry(truth_root: Path, table: SourceTable) -> None:
    """The police system's own current rows (the exports are views of them); simulator state, not for the pipeline."""
    path = state_path(truth_root, table.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.frame.to_parquet(path, index=False)


class Registry:
    """The police system's current rows of one export kind, kept as Arrow (a million rows of text stay compact)."""

    def __init__(self, kind: str, table: pa.Table) -> None:
        self.kind = ps.KINDS[kind]
        self.name = kind
        self.entity = {"HJRK": "person", "LDRK": "person", "JDC": "thing", "JQ": "event"}[kind]
        self.table = table

    def rows_for(self, entities: list[str]) -> pd.DataFrame:
        """Current rows of the records that describe ``entities``."""
        mask = pc.is_in(self.table[ENTITY_COLUMN], value_set=pa.array(entities, pa.string()))
        return self.table.filter(mask).to_pandas()

    def _keys(self) -> pa.ChunkedArray:
        cols = [self.table[k] for k in self.kind.key]
        return cols[0] if len(cols) == 1 else pc.binary_join_element_wise(*cols, "|")

    def replace(self, rows: pd.DataFrame) -> None:
        """Put ``rows`` in place of the rows with the same key (or add them)."""
        keys = SourceTable("police", self.name, self.entity, self.kind.key, rows).record_keys()
        keep = pc.invert(pc.is_in(self._keys(), value_set=pa.array(keys, pa.string())))
        fresh = pa.Table.from_pandas(
            rows[self.table.schema.names], schema=self.table.schema, preserve_index=False
        )
        self.table = pa.concat_tables([self.table.filter(keep), fresh])

    def save(self, truth_root: Path) -> None:
        pq.write_table(self.table, state_path(truth_root, self.name), compression="zstd")


def load_registry(truth_root: Path, kind: str) -> Registry:
    return Registry(kind, pq.read_table(state_path(truth_root, kind)))
