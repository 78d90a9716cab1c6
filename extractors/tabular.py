"""Parsing a decoded export into rows: CSV parsed line by line in DuckDB (vectorized), Excel by extractors/xlsx.py.

Every value stays text. ``_line`` is the line in the file, the header being 1 (for Excel: the sheet row); a record
the parser refuses comes back as a reject with its line and reason, and the good records still land.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from extractors.database import _render
from grassroots import duck


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


# One CSV field (RFC 4180): quoted with doubled inner quotes, or unquoted without quote or comma.
_FIELD = r'"(?:[^"]|"")*"|[^,"]*'
_WELL_FORMED = f"(?:,(?:{_FIELD}))+"
_EXTRACT = f",({_FIELD})"

# Parse every line at once: a line is well formed when it is a sequence of fields; quoted fields are unquoted,
# empty unquoted ones are NULL (as DuckDB's CSV reader does). A line without a quote is always well formed and its
# fields are its comma-separated parts: split, it costs a tenth of the regular expressions, which only the lines
# with quotes still need.
_LINES_SQL = """
SELECT n AS _line,
       CASE WHEN contains(text, '"') THEN regexp_full_match(',' || text, $well_formed) ELSE true END AS ok,
       list_transform(
           CASE WHEN contains(text, '"') THEN regexp_extract_all(',' || text, $extract, 1)
                ELSE string_split(text, ',') END,
           f -> CASE WHEN f LIKE '"%' THEN replace(f[2:-2], '""', '"') WHEN f = '' THEN NULL ELSE f END) AS fields,
       text
FROM lines WHERE text <> ''
"""


def _read_lines(path: Path) -> tuple[list[str], bool]:
    text = path.read_text(encoding="utf-8")
    ends_cleanly = text == "" or text.endswith("\n")
    return text.replace("\r\n", "\n").split("\n"), ends_cleanly


def read_csv(path: Path) -> Parsed:
    """Parse a UTF-8 CSV with one record per line (the exports' contract), all lines at once in DuckDB.

    A line with broken quoting or the wrong number of fields is a reject; it cannot swallow the lines after it.
    """
    lines, ends_cleanly = _read_lines(path)
    header = _check_header(next(csv.reader(lines[:1]), []))
    body = pa.table(
        {"n": np.arange(2, len(lines) + 1, dtype=np.int64), "text": pa.array(lines[1:], pa.string())}
    )
    db = duck.connect()
    try:
        db.register("lines", body)
        db.execute(f"CREATE TABLE parsed AS {_LINES_SQL}", {"well_formed": _WELL_FORMED, "extract": _EXTRACT})
        width = len(header)
        picks = ", ".join(f"fields[{i + 1}] AS {_quote(h)}" for i, h in enumerate(header))
        rows = db.execute(
            f"SELECT {picks}, _line FROM parsed WHERE ok AND len(fields) = {width} ORDER BY _line"
        ).to_arrow_table()
        bad = db.execute(
            f"SELECT _line, ok, len(fields), text FROM parsed WHERE NOT ok OR len(fields) <> {width} ORDER BY _line"
        ).fetchall()
    finally:
        db.close()
    rejects = [_reject(int(n), bool(ok), int(count), width, raw) for n, ok, count, raw in bad]
    parsed = Parsed(header, rows, rejects)
    # A last record refused and no line end after it: the export was cut mid-line.
    parsed.cut_last_line = not ends_cleanly and bool(rejects) and rejects[-1].line == len(lines)
    return parsed


def _reject(line: int, well_formed: bool, count: int, width: int, raw: str) -> Reject:
    if not well_formed:
        return Reject(
            line, "broken_quoting", "a quote is not closed or not doubled inside a quoted field", raw
        )
    rule = "missing_columns" if count < width else "too_many_columns"
    return Reject(line, rule, f"expected {width} fields, found {count}", raw)


def read_csv_multiline(path: Path) -> Parsed:
    """Parse a UTF-8 CSV whose quoted fields may span lines, with DuckDB's reader; ``_line`` is then the record
    number. A broken quote may swallow the records after it, which the row count of the flag file catches."""
    with path.open(encoding="utf-8", newline="") as fh:
        header = _check_header(next(csv.reader(fh), []))
    columns = "{" + ", ".join(f"{_sql_text(h)}: 'VARCHAR'" for h in header) + "}"
    db = duck.connect()
    try:
        rows = db.execute(
            f"""SELECT * FROM read_csv({_sql_text(str(path))}, header = true, auto_detect = false, delim = ',',
                quote = '"', escape = '"', columns = {columns}, strict_mode = true, store_rejects = true,
                rejects_table = 'rejects', rejects_scan = 'reject_scans', all_varchar = true)"""
        ).to_arrow_table()
        found = db.execute(
            "SELECT DISTINCT line, error_type::VARCHAR, error_message, csv_line FROM rejects ORDER BY line"
        ).fetchall()
    finally:
        db.close()
    rejects = [
        Reject(int(line), str(kind).lower().replace(" ", "_"), msg, raw) for line, kind, msg, raw in found
    ]
    lines = _good_lines(rows.num_rows, sorted({r.line for r in rejects}))
    parsed = Parsed(header, rows.append_column("_line", pa.array(lines, pa.int64())), rejects)
    with path.open("rb") as fh:
        fh.seek(max(path.stat().st_size - 1, 0))
        ends_cleanly = fh.read(1) in (b"\n", b"")
    parsed.cut_last_line = not ends_cleanly and bool(rejects) and rejects[-1].line == parsed.records + 1
    return parsed


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_xlsx(path: Path) -> Parsed:
    """Parse the first sheet: row 1 is the header; a row with values beyond the header's width is a reject."""
    from extractors import xlsx  # openpyxl: imported only when an Excel file comes

    rows = xlsx.sheet_rows(path)
    number, first_row = next(rows, (1, ()))
    first = list(first_row) if number == 1 else []  # no row 1: no header (BadHeader below)
    while first and first[-1] is None:
        first.pop()
    header = _check_header([str(h) if h is not None else "" for h in first])
    width = len(header)
    values: list[list[str | None]] = [[] for _ in header]
    lines: list[int] = []
    rejects: list[Reject] = []
    for number, row in rows:
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
    table = pa.table({h: pa.array(values[i], pa.string()) for i, h in enumerate(header)})
    return Parsed(header, table.append_column("_line", pa.array(lines, pa.int64())), rejects)
