"""Worklist files for each source system's owners: CSV (UTF-8 with BOM, so Excel opens it) or XLSX."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path
from typing import Literal

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from grassroots.report.followup import STATUS_LABELS

log = logging.getLogger(__name__)

Format = Literal["csv", "xlsx"]

# Mail servers commonly refuse messages over 20-25 MB; a larger worklist travels zipped (CSV shrinks about tenfold).
ZIP_ABOVE_BYTES = 5 * 1024 * 1024

HEADERS: dict[str, str] = {
    "status": "状态 status",
    "source": "来源系统 source",
    "table_name": "表或文件 table/file",
    "record_key": "记录主键 record key",
    "rule": "规则 rule",
    "field": "字段 field",
    "records": "记录数 records",
    "severity": "严重程度 severity",
    "problem": "问题 problem",
    "current_value": "当前值（脱敏）current value (masked)",
    "suggested_value": "建议值 suggested value",
    "suggested_from": "建议值来源 suggested from",
    "entity_kind": "实体类型 entity kind",
    "entity_id": "实体标识 entity id",
    "first_reported": "首次报告 first reported",
}


def worklist_sql(worklist: str, source: str) -> str:
    """One source's items in the file's column order, open items first, status spelt out in both languages."""
    labels = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in STATUS_LABELS.items())
    cols = ", ".join(
        (f'CASE status {labels} END AS "{HEADERS[c]}"' if c == "status" else f'{c} AS "{HEADERS[c]}"')
        for c in HEADERS
    )
    order = "CASE status WHEN 'new' THEN 1 WHEN 'open' THEN 2 WHEN 'unchecked' THEN 3 ELSE 4 END"
    literal = source.replace("'", "''")
    return (
        f"SELECT {cols} FROM {worklist} WHERE source = '{literal}' "
        f"ORDER BY {order}, table_name, record_key, rule, field"
    )


def csv_bytes(table: pa.Table) -> bytes:
    """UTF-8 CSV with a byte-order mark: without it Excel reads Chinese text as mojibake."""
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer)
    return b"\xef\xbb\xbf" + buffer.getvalue()


def xlsx_bytes(table: pa.Table, sheet: str) -> bytes:
    from openpyxl import Workbook  # imported here: only XLSX output needs it

    book = Workbook(write_only=True)
    ws = book.create_sheet(title=sheet[:31])
    ws.append(table.column_names)
    columns = [c.to_pylist() for c in table.columns]
    for row in zip(*columns, strict=True):  # openpyxl writes row by row; there is no columnar API
        ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _save(path: Path, data: bytes, zip_above: int) -> Path:
    """Write ``data`` to ``path``, or into ``path``.zip when it is too large to mail as it is."""
    if len(data) <= zip_above:
        path.write_bytes(data)
        return path
    zipped = path.with_name(path.name + ".zip")
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(path.name, data)
    log.info("worklist %s is %.1f MB: attached zipped as %s", path.name, len(data) / 2**20, zipped.name)
    return zipped


def write_worklists(
    con: duckdb.DuckDBPyConnection,
    worklist: str,
    out_dir: Path,
    fmt: Format,
    zip_above: int = ZIP_ABOVE_BYTES,
) -> dict[str, Path]:
    """One file per source system with items; returns source -> path."""
    sources = [r[0] for r in con.execute(f"SELECT DISTINCT source FROM {worklist} ORDER BY 1").fetchall()]
    written: dict[str, Path] = {}
    for source in sources:
        table = con.execute(worklist_sql(worklist, source)).fetch_arrow_table()
        data = csv_bytes(table) if fmt == "csv" else xlsx_bytes(table, f"整改清单 {source}")
        written[source] = _save(out_dir / f"worklist-{source}.{fmt}", data, zip_above)
    return written
