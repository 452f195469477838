"""The improvement plan as a spreadsheet (openpyxl): the marking on top, real headers, typed cells."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

JsonDict = dict[str, Any]

SHEET = "Improvement Plan"
MARKING_ROW, TITLE_ROW, HEADER_ROW = 1, 2, 4
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("Item", "item_id", 16),
    ("Core Capability", "capability", 28),
    ("Issue / Area for Improvement", "issue", 40),
    ("Corrective Action", "corrective_action", 50),
    ("Capability Element", "capability_element", 18),
    ("Primary Responsible Organization", "organisation", 28),
    ("Organization POC", "poc", 22),
    ("Start Date", "start_date", 13),
    ("Completion Date", "end_date", 15),
    ("Duration (days)", "days", 10),
)
"""(header, key in the row, column width) of each column, in order."""
DATE_FORMAT = "yyyy-mm-dd"


def plan_rows(report: JsonDict) -> list[dict[str, Any]]:
    """The improvement plan's rows with typed values: dates as dates, the duration in days."""
    rows = []
    for item in report["aar_ip"]["improvement_plan"]:
        start, end = date.fromisoformat(item["start_date"]), date.fromisoformat(item["end_date"])
        issue = f"{item['afi_number']} {item['afi_title']}" if item.get("afi_number") else None
        rows.append({
            **item, "issue": issue, "start_date": start, "end_date": end, "days": (end - start).days + 1,
            "capability_element": (item.get("capability_element") or "").capitalize() or None,
            "poc": item.get("poc") or None,
        })
    return rows


def export_ip_xlsx(report: JsonDict) -> bytes:
    """The report's improvement plan as an .xlsx workbook: the exercise's marking in the first row
    (and the printed header and footer), a frozen header row, one typed row per item."""
    aar = report["aar_ip"]
    marking = aar["marking"]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    last = get_column_letter(len(COLUMNS))
    sheet["A1"] = marking
    sheet.merge_cells(f"A{MARKING_ROW}:{last}{MARKING_ROW}")
    sheet["A1"].font = Font(bold=True, color="A01010")
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet[f"A{TITLE_ROW}"] = f"{aar['overview']['name']}: Improvement Plan"
    sheet[f"A{TITLE_ROW}"].font = Font(bold=True, size=13)
    fill = PatternFill("solid", fgColor="DDE4EE")
    for column, (header, _key, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset, row in enumerate(plan_rows(report), start=1):
        for column, (_header, key, _width) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=column, value=row[key])
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(row[key], date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    if sheet.max_row > HEADER_ROW:
        sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{sheet.max_row}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.oddHeader.center.text = marking
    sheet.oddFooter.center.text = marking
    book.properties.title = f"{aar['overview']['name']}: Improvement Plan"
    book.properties.subject = marking
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
