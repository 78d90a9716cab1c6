"""Writing police exports into the drop folder (full or delta), and the police registry kept between exports."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pandas as pd

from simulator.systems import files
from simulator.systems import police_schema as ps
from simulator.systems.police import excel_cells, export_time
from simulator.systems.records import SourceTable

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


def load_registry(truth_root: Path, kind: str) -> SourceTable:
    k = ps.KINDS[kind]
    entity = {"HJRK": "person", "LDRK": "person", "JDC": "thing", "JQ": "event"}[kind]
    return SourceTable("police", kind, entity, k.key, pd.read_parquet(state_path(truth_root, kind)))
