"""Police export files: GB18030 CSV with CRLF, Excel workbooks, and the ``.ok`` flag written after each file."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

import pandas as pd

from simulator.systems import xlsx


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
    """A one-sheet workbook: date/datetime values become date cells, the rest text; metadata dates are ``when``."""
    path.write_bytes(xlsx.workbook_bytes(frame, sheet, when, creator="公安人口信息系统"))
    write_flag(path, len(frame))
