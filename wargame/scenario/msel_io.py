"""MSEL spreadsheets: export a scenario's injects to CSV or XLSX and import them back without loss."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wargame.domain.ruleset_model import FILE_CONTEXT
from wargame.domain.scenario_model import Inject, Scenario
from wargame.scenario.problems import LoadError, Problem

COLUMNS = (
    "serial", "id", "time", "move", "title", "trigger", "condition", "contingency", "type",
    "params", "target", "actor", "persona", "sender", "recipients", "channel", "text",
    "controller_notes", "releasability", "releasable_to", "expected_actions", "objectives",
)
"""Spreadsheet columns, in order. `time` is `D+d H+h M+m` after the scenario start."""
ID_LIST_COLUMNS = ("recipients", "releasable_to", "objectives")
JSON_COLUMNS = ("params", "condition")
SHEET_TITLE = "MSEL"
_OFFSET = re.compile(
    r"^\s*(?:D\+(?P<d>\d+))?\s*(?:H\+(?P<h>\d+(?:\.\d+)?))?\s*"
    r"(?:M\+(?P<m>\d+(?:\.\d+)?))?\s*(?:S\+(?P<s>\d+(?:\.\d+)?))?\s*$"
)
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


def _minutes_text(minutes: Fraction, exact: bool) -> str:
    if minutes.denominator == 1:
        return f"{int(minutes):02d}"
    text = _decimal(minutes, exact)
    return text if len(text.split(".")[0]) > 1 else "0" + text


def _decimal(minutes: Fraction, exact: bool) -> str:
    with localcontext() as context:
        context.prec = 40
        value = Decimal(minutes.numerator) / Decimal(minutes.denominator)
        text = format(value if exact else round(value, 6), "f")
    return text.rstrip("0").rstrip(".")


def format_time(scenario: Scenario, move: int, offset_hours: float) -> str:
    """`D+0 H+14 M+30` for move 3 + 2.5 h with 6 h moves; minutes keep decimals when needed.

    The shortest text that `parse_time` turns back into exactly (move, offset_hours).
    """
    length = Fraction(scenario.move_length_hours)
    total_minutes = ((move - 1) * length + Fraction(offset_hours)) * 60
    days, rest = divmod(total_minutes, 1440)
    hours, minutes = divmod(rest, 60)
    for exact in (False, True):
        text = f"D+{days} H+{hours} M+{_minutes_text(minutes, exact)}"
        if parse_time(text, scenario) == (move, offset_hours):
            break
    return text


def parse_time(text: str, scenario: Scenario) -> tuple[int, float]:
    """(move, offset_hours) of `D+1 H+3 M+45` (after the start) or an absolute UTC time."""
    value = text.strip()
    match = _OFFSET.match(value) if value else None
    if match and any(match.groupdict().values()):
        parts = {k: Fraction(v) if v else Fraction(0) for k, v in match.groupdict().items()}
        total = parts["d"] * 24 + parts["h"] + parts["m"] / 60 + parts["s"] / 3600
    else:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"time {text!r} is neither an offset like 'D+1 H+3 M+45' nor an ISO 8601 UTC time"
            ) from None
        if moment.tzinfo is None:
            raise ValueError(f"time {text!r} needs a timezone (for example Z for UTC)")
        delta = moment - scenario.start_time
        total = Fraction(delta // timedelta(microseconds=1), 3_600_000_000)
        if total < 0:
            raise ValueError(f"time {text!r} is before the scenario start")
    length = Fraction(scenario.move_length_hours)
    move = int(total // length) + 1
    return move, float(total - (move - 1) * length)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def inject_to_row(inject: Inject, scenario: Scenario) -> dict[str, str]:
    """One spreadsheet row (every value a string) of an inject."""
    data = inject.model_dump(mode="json")
    row = {column: _cell(data.get(column)) for column in COLUMNS}
    row["time"] = format_time(scenario, inject.move, inject.offset_hours)
    row["params"] = json.dumps(data["params"], ensure_ascii=False) if data["params"] else ""
    row["condition"] = (
        json.dumps(inject.condition.model_dump(mode="json", exclude_defaults=True))
        if inject.condition is not None
        else ""
    )
    for column in ID_LIST_COLUMNS:
        row[column] = ", ".join(data[column])
    actions = data["expected_actions"]
    multiline = any("\n" in action for action in actions)
    row["expected_actions"] = json.dumps(actions) if multiline else "\n".join(actions)
    return row


def export_rows(scenario: Scenario) -> list[dict[str, str]]:
    return [inject_to_row(inject, scenario) for inject in scenario.msel]


def write_msel(scenario: Scenario, path: str | os.PathLike[str]) -> int:
    """Write the MSEL to a .csv or .xlsx file; return the number of injects written."""
    rows = export_rows(scenario)
    target = Path(path)
    if target.suffix.lower() == ".xlsx":
        _write_xlsx(rows, target, scenario)
    elif target.suffix.lower() == ".csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        target.write_text(out.getvalue(), encoding="utf-8")
    else:
        raise ValueError(f"cannot write {target}: use a .csv or .xlsx file")
    return len(rows)


def _write_xlsx(rows: list[dict[str, str]], target: Path, scenario: Scenario) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_TITLE
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[column] for column in COLUMNS])
    for excel_row in sheet.iter_rows(min_row=2):
        for cell in excel_row:
            cell.data_type = "s"  # never a formula, whatever the text starts with
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    book.properties.title = f"MSEL of {scenario.id}"
    book.save(target)


def read_rows(path: str | os.PathLike[str]) -> list[tuple[int, dict[str, str]]]:
    """(line or sheet row, row) pairs of a .csv or .xlsx MSEL; the header is row 1."""
    source = Path(path)
    if source.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(source, read_only=True, data_only=True)
        sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
        values = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        if not values:
            return []
        header = [h.strip() for h in values[0]]
        return [
            (number, dict(zip(header, row + [""] * (len(header) - len(row)), strict=False)))
            for number, row in enumerate(values[1:], start=2)
            if any(cell.strip() for cell in row)
        ]
    if source.suffix.lower() != ".csv":
        raise ValueError(f"cannot read {source}: use a .csv or .xlsx file")
    reader = csv.DictReader(io.StringIO(source.read_text(encoding="utf-8-sig")))
    rows: list[tuple[int, dict[str, str]]] = []
    end = 1
    for row in reader:
        start, end = end + 1, reader.line_num
        cleaned = {(k or "").strip(): v or "" for k, v in row.items()}
        if any(value.strip() for value in cleaned.values()):
            rows.append((start, cleaned))
    return rows


def row_to_data(row: dict[str, str], scenario: Scenario) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The inject fields of one row, and (column, message) problems with its cells."""
    data: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for column in COLUMNS:
        text = row.get(column, "")
        if column == "time" or not text.strip():
            continue
        if column in ("serial", "move"):
            try:
                data[column] = int(text)
            except ValueError:
                problems.append((column, f"{text!r} is not a whole number"))
        elif column == "contingency":
            word = text.strip().lower()
            if word not in _TRUE | _FALSE:
                problems.append((column, f"{text!r} is not yes or no"))
            data[column] = word in _TRUE
        elif column in JSON_COLUMNS:
            try:
                data[column] = json.loads(text)
            except json.JSONDecodeError as exc:
                problems.append((column, f"not valid JSON: {exc.msg} at character {exc.pos + 1}"))
        elif column in ID_LIST_COLUMNS:
            data[column] = [part.strip() for part in re.split(r"[,;\s]+", text) if part.strip()]
        elif column == "expected_actions":
            data[column] = json.loads(text) if text.startswith("[") else text.split("\n")
        elif column in ("target", "actor", "persona", "id", "type", "trigger", "releasability"):
            data[column] = text.strip()
        else:
            data[column] = text
    if row.get("time", "").strip():
        try:
            move, offset = parse_time(row["time"], scenario)
        except ValueError as exc:
            problems.append(("time", str(exc)))
        else:
            if "move" in data and data["move"] != move:
                message = f"the time {row['time']!r} falls in move {move}, not {data['move']}"
                problems.append(("move", message))
            data["move"], data["offset_hours"] = move, offset
    return data, problems


def import_msel(path: str | os.PathLike[str], scenario: Scenario) -> tuple[Inject, ...]:
    """Read an MSEL spreadsheet and validate it against the scenario; LoadError lists every problem.

    Each problem is `file:row:column: field: message`, the column being the spreadsheet column.
    """
    file = os.fspath(path)
    try:
        rows = read_rows(path)
    except (OSError, ValueError, KeyError) as exc:
        raise LoadError([Problem(file, 0, 0, "", f"cannot read MSEL: {exc}")]) from None
    header: Sequence[str] = list(rows[0][1]) if rows else list(COLUMNS)
    column_of = {name: index + 1 for index, name in enumerate(header)}
    problems: list[Problem] = []
    injects: list[dict[str, Any]] = []
    row_of: dict[str, int] = {}
    for line, row in rows:
        data, found = row_to_data(row, scenario)
        problems += [Problem(file, line, column_of.get(c, 1), c, m) for c, m in found]
        try:
            Inject.model_validate(data, context=FILE_CONTEXT)
        except ValidationError as exc:
            problems += _row_problems(exc, file, line, column_of)
        injects.append(data)
        row_of.setdefault(str(data.get("id", "")), line)
    if not problems:
        problems = _scenario_problems(scenario, injects, row_of, column_of, file)
    if problems:
        raise LoadError(problems)
    return tuple(Inject.model_validate(data) for data in injects)


def _row_problems(exc: ValidationError, file: str, line: int, column_of: dict[str, int]) -> list[Problem]:
    """Problems of one row's inject, each at the column of its field. A whole-inject check's
    message lists `field: message` parts (`params.range_km: ...`), each placed at its column."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["loc"]:
            column = str(error["loc"][0])
            problems.append(Problem(file, line, column_of.get(column, 1), column, message))
            continue
        for part in message.split("; "):
            field = part.split(":", 1)[0] if re.match(r"^[a-z_]+(\.[a-z_]+)*:", part) else ""
            column = field.split(".")[0]
            problems.append(Problem(file, line, column_of.get(column, 1), field, part))
    return problems


def _scenario_problems(
    scenario: Scenario,
    injects: list[dict[str, Any]],
    row_of: dict[str, int],
    column_of: dict[str, int],
    file: str,
) -> list[Problem]:
    """Cross-reference problems of the imported MSEL, placed at the row and column they concern."""
    data = scenario.model_dump(exclude={"msel", "background_catalog"})
    try:
        Scenario.model_validate({**data, "msel": injects})
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            for part in str(error["msg"]).removeprefix("Value error, ").split("; "):
                item = re.match(r"^inject '([^']*)': (.*)$", part)
                line = row_of.get(item.group(1), 0) if item else 0
                words = re.findall(r"[a-z_]+", item.group(2)) if item else []
                column = next((w for w in words if w in column_of), "")
                if column == "" and any(w in ("recipient", "objective") for w in words):
                    column = "recipients" if "recipient" in words else "objectives"
                problems.append(Problem(file, line, column_of.get(column, 1) if line else 0, column, part))
        return problems
    return []
