"""The MSEL as an Excel workbook planners can edit: readable headers, drop-down lists, real dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from wargame.domain.common import InjectType, Releasability
from wargame.domain.scenario_model import Scenario
from wargame.scenario.msel_columns import FIELDS, HEADERS, column_letter
from wargame.scenario.msel_read import LISTS_TITLE, SHEET_TITLE

WIDTHS = {
    "serial": 8, "id": 14, "time": 19, "move": 7, "title": 36, "trigger": 11, "condition": 28,
    "contingency": 12, "type": 20, "params": 36, "target": 22, "actor": 9, "persona": 16, "sender": 26,
    "recipients": 16, "channel": 16, "text": 60, "controller_notes": 48, "releasability": 20,
    "releasable_to": 16, "expected_actions": 48, "objectives": 24,
}
"""Column widths in characters."""
DATE_FORMAT = "yyyy-mm-dd hh:mm"
DATE_SECONDS_FORMAT = "yyyy-mm-dd hh:mm:ss.000"
MULTI_VALUED = ("recipients", "releasable_to", "objectives")
"""Columns whose cells may list several values: their drop-down offers one, and others are allowed."""
HEADER_FILL = "DDEBF7"


def _lists(scenario: Scenario) -> dict[str, list[str]]:
    """The Lists sheet: one column per list, the field whose drop-down uses it."""
    targets = [o.id for o in scenario.objects if o.owner is not None]
    targets += [i.target for i in scenario.msel if i.target and i.target not in targets]
    return {
        "type": [t.value for t in InjectType],
        "trigger": ["time", "manual", "condition"],
        "contingency": ["yes", "no"],
        "releasability": [r.value for r in Releasability],
        "recipients": ["All", *(n.id for n in scenario.nations if n.played)],
        "releasable_to": [n.id for n in scenario.nations],
        "actor": [n.id for n in scenario.nations],
        "objectives": [o.id for o in scenario.objectives],
        "persona": [p.id for p in scenario.personas],
        "target": targets,
    }


def excel_time(scenario: Scenario, move: int, offset_hours: float) -> datetime | None:
    """The inject's time as a naive UTC datetime (Excel has no zones), when a cell holds it
    exactly (whole milliseconds); None otherwise (the export then writes `D+ H+ M+` text)."""
    hours = (move - 1) * Fraction(scenario.move_length_hours) + Fraction(offset_hours)
    millis = hours * 3_600_000
    if millis.denominator != 1:
        return None
    moment = scenario.start_time + timedelta(milliseconds=int(millis))
    return moment.astimezone(UTC).replace(tzinfo=None)


def write_xlsx(scenario: Scenario, rows: list[dict[str, Any]], target: Path) -> None:
    """Write the MSEL sheet (header frozen, widths, drop-downs) and the Lists sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    sheet.append([HEADERS[name] for name in FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for inject, row in zip(scenario.msel, rows, strict=True):
        values = [row[name] for name in FIELDS]
        values[FIELDS.index("time")] = excel_time(scenario, inject.move, inject.offset_hours) or row["time"]
        sheet.append(values)
    for excel_row in sheet.iter_rows(min_row=2):
        for name, cell in zip(FIELDS, excel_row, strict=True):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula whatever it starts with
            elif isinstance(cell.value, datetime):
                cell.number_format = DATE_FORMAT if cell.value.second == cell.value.microsecond == 0 \
                    else DATE_SECONDS_FORMAT
            cell.alignment = Alignment(wrap_text=name in ("title", "text", "controller_notes",
                                                          "expected_actions", "params"), vertical="top")
    for index, name in enumerate(FIELDS):
        sheet.column_dimensions[column_letter(index)].width = WIDTHS[name]
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = f"A1:{column_letter(len(FIELDS) - 1)}{max(sheet.max_row, 2)}"
    lists = book.create_sheet(LISTS_TITLE)
    last_row = max(sheet.max_row, 2) + 200
    for column, (name, items) in enumerate(_lists(scenario).items()):
        letter = column_letter(column)
        lists.cell(1, column + 1, HEADERS[name]).font = Font(bold=True)
        for offset, item in enumerate(items, start=2):
            lists.cell(offset, column + 1, item).data_type = "s"
        lists.column_dimensions[letter].width = max(12, *(len(i) + 2 for i in [HEADERS[name], *items]))
        if not items:
            continue
        check = DataValidation(
            type="list", formula1=f"{LISTS_TITLE}!${letter}$2:${letter}${len(items) + 1}",
            allow_blank=True, showErrorMessage=name not in MULTI_VALUED,
            errorTitle=HEADERS[name], error=f"Pick a value from the list ({LISTS_TITLE} sheet)",
        )
        field_letter = column_letter(FIELDS.index(name))
        check.add(f"{field_letter}2:{field_letter}{last_row}")
        sheet.add_data_validation(check)
    lists.freeze_panes = "A2"
    book.properties.title = f"MSEL of {scenario.id}"
    book.save(target)
