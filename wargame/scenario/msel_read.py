"""Read a planner's MSEL file as a grid of cells: CSV in any usual encoding and delimiter, or XLSX."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from wargame.scenario.msel_values import CellValue

SHEET_TITLE = "MSEL"
LISTS_TITLE = "Lists"
DELIMITERS = (",", ";", "\t")
SNIFF_LINES = 30
"""Lines of a CSV file looked at to choose its delimiter."""


@dataclass
class Grid:
    """The cells of a file, row by row (row 1 first), and how the file was read."""

    rows: list[list[CellValue]]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    lines: list[int] | None = None
    """For CSV: the file line each row starts on (a quoted cell may span lines)."""

    def line_of(self, row_index: int) -> int:
        """The 1-based line (CSV) or sheet row (XLSX) of the row at 0-based `row_index`."""
        return self.lines[row_index] if self.lines is not None else row_index + 1


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without a byte-order mark, UTF-16 with one, else Windows-1252
    (Excel's 'CSV' on Western Windows), else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most columns, consistently: each
    candidate is scored by how many of the lines share its most common column count."""
    sample = "\n".join(text.splitlines()[:SNIFF_LINES])
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(row)]
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        common = max(set(wide), key=wide.count)
        score = (wide.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(path: Path) -> Grid:
    text, encoding = decode(path.read_bytes())
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[list[CellValue]] = []
    lines: list[int] = []
    end = 0
    for row in reader:
        lines.append(end + 1)
        end = reader.line_num
        rows.append(list(row))
    return Grid(rows, encoding=encoding, delimiter=delimiter, lines=lines)


def read_xlsx(path: Path) -> Grid:
    """The MSEL sheet (the one titled MSEL, else the first that is not the Lists sheet), with
    typed cells: numbers, dates and text as Excel holds them."""
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        names = book.sheetnames
        others = [n for n in names if n != LISTS_TITLE] or names
        title = SHEET_TITLE if SHEET_TITLE in names else others[0]
        sheet = book[title]
        rows: list[list[CellValue]] = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return Grid(rows, sheet=title)


def read_grid(path: str | os.PathLike[str]) -> Grid:
    """The cells of a .csv, .tsv, .txt or .xlsx MSEL. ValueError for other files."""
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(source)
    if suffix in (".csv", ".tsv", ".txt"):
        return read_csv(source)
    if suffix == ".xls":
        raise ValueError(f"cannot read {source}: save it as .xlsx (Excel 97-2003 .xls is not read)")
    raise ValueError(f"cannot read {source}: use a .csv or .xlsx file")


def cell_text(value: CellValue) -> str:
    """A cell as text: whole numbers without '.0', dates in ISO form, None as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
