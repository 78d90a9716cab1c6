"""The first sheet of an .xlsx export, row by row, with the values openpyxl's read-only mode gives.

openpyxl builds an object per cell (an inline string is a rich-text tree), about 15 µs a cell: an export of
100,000 rows took longer than every database table of the city together. Here openpyxl still reads the workbook's
parts (sheets, shared strings, styles, date system) and its own converters type the values (numbers, dates by cell
style, booleans); only the loop over the sheet's cells is ours, on the XML parser's elements directly.
tests/unit/test_extract_xlsx.py holds the two readers to the same values.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._reader import _cast_number

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE = f"{_NS}row", f"{_NS}c", f"{_NS}v", f"{_NS}is"
_TEXT, _RUN, _DIMENSION = f"{_NS}t", f"{_NS}r", f"{_NS}dimension"


def _inline_text(node: Element) -> str:
    """What openpyxl's ``Text.content`` gives: the plain text then every run's text (phonetic runs left out)."""
    plain = None
    runs: list[str] = []
    for child in node:
        if child.tag == _TEXT:
            plain = child.text
        elif child.tag == _RUN:
            t = None
            for part in child:
                if part.tag == _TEXT:
                    t = part.text
            if t is not None:
                runs.append(t)
    return "".join(([plain] if plain is not None else []) + runs)


class _Sheet:
    """The workbook-wide parts the cell values depend on."""

    def __init__(self, path: Path) -> None:
        reader = ExcelReader(str(path), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        self.archive = reader.archive
        self.strings: list[str] = reader.shared_strings
        self.epoch = reader.wb.epoch
        self.dates: set[int] = reader.wb._date_formats
        self.durations: set[int] = reader.wb._timedelta_formats
        # book.worksheets[0]: the first sheet part present that is not a chart sheet
        self.part = next(
            rel.target
            for _, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        )

    def value(self, cell: Element) -> Any:
        """openpyxl's WorkSheetParser.parse_cell (data only) for one cell element."""
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            child = cell.find(_INLINE)
            return None if child is None else _inline_text(child)
        value: Any = cell.findtext(_VALUE, None) or None
        if value is None:
            return None
        if kind == "n":
            value = _cast_number(value)
            style = cell.get("s", 0)
            style = int(style) if style else style
            if style in self.dates:
                try:
                    return from_excel(value, self.epoch, timedelta=style in self.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return value
        if kind == "s":
            return self.strings[int(value)]
        if kind == "b":
            return bool(int(value))
        if kind == "d":
            return from_ISO8601(value)
        return value  # str (a formula's cached text), e (an error such as #N/A)


def _row_number(attribute: str | None, previous: int) -> int:
    if attribute is None:
        return previous + 1
    try:
        return int(attribute)
    except ValueError:
        number = float(attribute)
        if not number.is_integer():
            raise ValueError(f"{attribute} is not a valid row number") from None
        return int(number)


def _column(reference: str, cache: dict[str, int]) -> int:
    letters = reference.rstrip("0123456789")
    found = cache.get(letters)
    if found is None:
        found = cache[letters] = column_index_from_string(letters)
    return found


def sheet_rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(sheet row number, values) of the first sheet's rows that hold cells, as openpyxl's read-only
    ``iter_rows(values_only=True)`` gives them: with a declared dimension, rows as wide as it and none beyond its
    last row; without, each row as wide as its last cell. Rows without cells are left out (openpyxl gives them as
    all None)."""
    sheet = _Sheet(path)
    width: int | None = None
    last_row: int | None = None
    number = 0
    columns: dict[str, int] = {}
    try:
        with sheet.archive.open(sheet.part) as source:
            for _, element in iterparse(source):
                tag = element.tag
                if tag == _DIMENSION:
                    ref = element.get("ref")
                    if ref:
                        _, _, width, last_row = range_boundaries(ref)
                elif tag == _ROW:
                    number = _row_number(element.get("r"), number)
                    if last_row is not None and number > last_row:
                        break
                    cells: dict[int, Any] = {}
                    column = 0
                    for cell in element:
                        ref = cell.get("r")
                        column = _column(ref, columns) if ref else column + 1
                        cells[column] = sheet.value(cell)
                    element.clear()
                    if cells:
                        yield number, tuple(cells.get(c) for c in range(1, (width or column) + 1))
    finally:
        sheet.archive.close()
