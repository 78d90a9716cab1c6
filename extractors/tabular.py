"""Parsing a decoded export into rows: CSV through DuckDB's reader (rejects kept), Excel through openpyxl.

Every value stays text. ``_line`` is the record number in the file, the header being 1 (for Excel: the sheet row);
a record the parser refuses comes back as a reject with its line and reason, and the good records still land.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import openpyxl
import pyarrow as pa

from extractors.database import _render


@dataclass(frozen=True)
class Reject:
    line: int
    rule: str
    reason: str
    raw: str


@dataclass
class Parsed:
    """The good rows (text columns plus ``_line``), the rejects, and how the file ends."""

    header: list[str]
    rows: pa.Table
    rejects: list[Reject] = field(default_factory=list)
    cut_last_line: bool = False

    @property
    def records(self) -> int:
        return self.rows.num_rows + len({r.line for r in self.rejects})


class BadHeader(ValueError):
    """The header row is missing or names a column twice."""


def _check_header(header: list[str]) -> list[str]:
    header = [h.strip() for h in header]
    if not header or not any(header):
        raise BadHeader("the file has no header row")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes or "" in header:
        raise BadHeader(
            f"the header names {', '.join(dupes) or 'an empty column'} more than once or not at all"
        )
    return header


def _good_lines(good: int, reject_lines: list[int]) -> np.ndarray:
    """Record numbers of the good rows: every data record number (header = 1) not taken by a reject, in order."""
    total = good + len(reject_lines)
    lines = np.arange(2, total + 2, dtype=np.int64)
    return np.setdiff1d(lines, np.asarray(reject_lines, dtype=np.int64), assume_unique=True)[:good]


def read_csv(path: Path) -> Parsed:
    """Parse a UTF-8 CSV (RFC 4180 quoting, CRLF or LF); wrong field counts and broken quoting become rejects."""
    with path.open(encoding="utf-8", newline="") as fh:
        header = _check_header(next(csv.reader(fh), []))
    columns = "{" + ", ".join(f"{_sql_text(h)}: 'VARCHAR'" for h in header) + "}"
    db = duckdb.connect()
    try:
        rows = db.execute(
            f"""SELECT * FROM read_csv({_sql_text(str(path))}, header = true, auto_detect = false, delim = ',',
                quote = '"', escape = '"', columns = {columns}, strict_mode = true, store_rejects = true,
                rejects_table = 'rejects', rejects_scan = 'reject_scans', all_varchar = true)"""
        ).to_arrow_table()
        found = db.execute(
            "SELECT line, error_type::VARCHAR, error_message, csv_line FROM rejects ORDER BY line"
        ).fetchall()
    finally:
        db.close()
    rejects = [
        Reject(int(line), str(kind).lower().replace(" ", "_"), msg, raw) for line, kind, msg, raw in found
    ]
    lines = _good_lines(rows.num_rows, sorted({r.line for r in rejects}))
    rows = rows.append_column("_line", pa.array(lines, pa.int64()))
    with path.open("rb") as fh:
        fh.seek(max(path.stat().st_size - 1, 0))
        ends_cleanly = fh.read(1) in (b"\n", b"")
    parsed = Parsed(header, rows, rejects)
    # A last record refused and no final newline: the export was cut mid-line.
    parsed.cut_last_line = not ends_cleanly and bool(rejects) and rejects[-1].line == parsed.records + 1
    return parsed


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_xlsx(path: Path) -> Parsed:
    """Parse the first sheet: row 1 is the header; a row with values beyond the header's width is a reject."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        it = sheet.iter_rows(values_only=True)
        first = list(next(it, ()))
        while first and first[-1] is None:
            first.pop()
        header = _check_header([str(h) if h is not None else "" for h in first])
        width = len(header)
        values: list[list[str | None]] = [[] for _ in header]
        lines: list[int] = []
        rejects: list[Reject] = []
        # openpyxl hands out Python rows; an Excel export is small enough that this loop is not the hot path.
        for number, row in enumerate(it, start=2):
            if all(v is None for v in row):
                continue
            if any(v is not None for v in row[width:]):
                raw = ",".join("" if v is None else str(v) for v in row)
                reason = f"row has values beyond the {width} header columns"
                rejects.append(Reject(number, "too_many_columns", reason, raw))
                continue
            padded = list(row[:width]) + [None] * (width - len(row))
            for i, v in enumerate(padded):
                values[i].append(_render(v))
            lines.append(number)
    finally:
        book.close()
    table = pa.table({h: pa.array(values[i], pa.string()) for i, h in enumerate(header)})
    return Parsed(header, table.append_column("_line", pa.array(lines, pa.int64())), rejects)
