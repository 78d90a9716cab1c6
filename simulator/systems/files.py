"""Police export files: GB18030 CSV with CRLF, Excel workbooks, and the ``.ok`` flag written after each file."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter


def write_flag(path: Path, rows: int) -> Path:
    """``<file>.ok``: the row count and MD5 of the finished data file; its presence says the file is complete."""
    digest = hashlib.md5(path.read_bytes()).hexdigest()
    flag = path.with_name(path.name + ".ok")
    flag.write_bytes(f"rows={rows}\nmd5={digest}\n".encode("ascii"))
    return flag


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as GB18030 CSV with CRLF line ends; missing values are empty fields."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(frame.columns)
    clean = frame.astype(object).where(frame.notna(), "")
    writer.writerows(clean.itertuples(index=False, name=None))
    return buf.getvalue().encode("gb18030")


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    path.write_bytes(csv_bytes(frame))
    write_flag(path, len(frame))


def write_xlsx(path: Path, sheet: str, frame: pd.DataFrame, when: dt.datetime) -> None:
    """A one-sheet workbook; date/datetime values become date cells, the rest text. Metadata dates are ``when``."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(frame.columns))
    clean = frame.astype(object).where(frame.notna(), None)
    for row in clean.itertuples(index=False, name=None):
        ws.append(list(row))
    wb.properties.created = when
    wb.properties.modified = when
    wb.properties.creator = "公安人口信息系统"
    buf = io.BytesIO()
    # Not wb.save(): it stamps the wall clock into the modified date.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    path.write_bytes(_fixed_zip_times(buf.getvalue(), when))
    write_flag(path, len(frame))


def _fixed_zip_times(data: bytes, when: dt.datetime) -> bytes:
    """Rewrite the zip entries with a fixed timestamp so the same city gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
