"""The I/O floor: every source table and export file read once by DuckDB and written to Parquet, with no logic.

Databases through DuckDB's scanners (the extensions of their PyPI packages); GB18030 CSV decoded to a UTF-8 copy by
Python's codec (DuckDB reads only UTF-8/16 and Latin-1 without its downloadable encodings extension), then
``read_csv`` all-varchar; Excel through the sync's reader (extractors/xlsx.py: openpyxl's parts and converters, our
cell loop) into Arrow, since DuckDB's excel extension renders date cells as their serial numbers. Every part's time
is reported so the floor says what it includes.

    python -m bench.floor --home DIR --out DIR      prints one JSON object
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from extractors import scanner
from extractors.sources import civil, grid
from extractors.xlsx import sheet_rows
from grassroots.home import Home

log = logging.getLogger(__name__)

DECODE_CHUNK = 1 << 22  # characters per read while re-encoding a CSV copy


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def csv_copy_sql(path: Path, out: Path) -> str:
    """A UTF-8 CSV straight to Parquet, every column as text."""
    return (
        f"COPY (SELECT * FROM read_csv({_literal(str(path))}, header = true, all_varchar = true)) "
        f"TO {_literal(str(out))} (FORMAT parquet, COMPRESSION zstd)"
    )


def copy_database(url: str, tables: list[str], out: Path) -> dict[str, Any]:
    """The declared tables of one source database to Parquet: seconds and rows."""
    started = time.perf_counter()
    con = scanner.connect(url)
    rows = 0
    for table in tables:
        target = out / f"{table}.parquet"
        con.execute(scanner.copy_table_sql("src", table, target))
        rows += pq.ParquetFile(target).metadata.num_rows
    con.close()
    return {"seconds": time.perf_counter() - started, "rows": rows, "tables": len(tables)}


def decode_copy(path: Path, encoding: str, out: Path) -> None:
    with path.open(encoding=encoding, newline="") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(DECODE_CHUNK):
            dst.write(chunk)


def copy_csv_files(files: list[Path], out: Path, encoding: str = "gb18030") -> dict[str, Any]:
    started = time.perf_counter()
    con = duckdb.connect()
    rows = 0
    for path in files:
        decoded = out / (path.stem + ".utf8.csv")
        decode_copy(path, encoding, decoded)
        target = out / f"{path.stem}.parquet"
        con.execute(csv_copy_sql(decoded, target))
        decoded.unlink()
        rows += pq.ParquetFile(target).metadata.num_rows
    con.close()
    return {"seconds": time.perf_counter() - started, "rows": rows, "files": len(files)}


def xlsx_table(path: Path) -> pa.Table:
    """The first sheet as text columns named by its header row (rows padded or cut to the header's width)."""
    rows = sheet_rows(path)
    header = [str(h) for h in next(rows, (1, ()))[1] if h is not None]
    width = len(header)
    # The sync's own reader (the cells as openpyxl types them) hands out Python tuples: this row loop is the
    # reading itself, not logic added on top.
    cells = [(*r[:width], *(None,) * (width - len(r))) for _, r in rows]
    columns = list(zip(*cells, strict=True)) if cells else [()] * width
    return pa.table(
        {
            h: pa.array([None if v is None else str(v) for v in col], pa.string())
            for h, col in zip(header, columns, strict=True)
        }
    )


def copy_xlsx_files(files: list[Path], out: Path) -> dict[str, Any]:
    started = time.perf_counter()
    rows = 0
    for path in files:
        table = xlsx_table(path)
        pq.write_table(table, out / f"{path.stem}.parquet", compression="zstd")
        rows += table.num_rows
    return {"seconds": time.perf_counter() - started, "rows": rows, "files": len(files)}


def measure_floor(home: Home, out: Path) -> dict[str, Any]:
    """Copy every source once; per part and in total, seconds and rows."""
    systems = home.read_systems()
    drop = Path(systems.get("police_dir", str(home.police_drop)))
    parts: dict[str, dict[str, Any]] = {}
    for source in (grid.SOURCE, civil.SOURCE):
        folder = out / source.name
        folder.mkdir(parents=True, exist_ok=True)
        url = systems.get(f"{source.name}_url", f"sqlite:///{home.sources / source.name}.sqlite")
        parts[source.name] = copy_database(url, [t.name for t in source.tables], folder)
    police = out / "police"
    police.mkdir(parents=True, exist_ok=True)
    parts["police_csv"] = copy_csv_files(sorted(drop.glob("*.csv")), police)
    parts["police_xlsx"] = copy_xlsx_files(sorted(drop.glob("*.xlsx")), police)
    return {
        "seconds": sum(p["seconds"] for p in parts.values()),
        "rows": sum(p["rows"] for p in parts.values()),
        "parts": {k: {**v, "seconds": round(v["seconds"], 2)} for k, v in parts.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="scratch folder for the Parquet copies")
    args = parser.parse_args(argv)
    try:
        figures = measure_floor(Home(args.home), args.out)
    finally:
        shutil.rmtree(args.out, ignore_errors=True)
    sys.stdout.write(json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
