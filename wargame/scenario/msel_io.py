"""MSEL spreadsheets: import a planner's CSV or XLSX (any usual layout) and export readable ones."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from wargame.domain.ruleset_model import FILE_CONTEXT
from wargame.domain.scenario_model import Inject, Scenario
from wargame.scenario.msel_cells import CellReader
from wargame.scenario.msel_columns import (
    FIELDS,
    HEADERS,
    MappingReport,
    check_mapping,
    find_header,
    map_columns,
)
from wargame.scenario.msel_read import cell_text, read_grid
from wargame.scenario.msel_values import elapsed_hours, move_and_offset
from wargame.scenario.problems import LoadError, Problem, sort_problems

COLUMNS = tuple(HEADERS[f] for f in FIELDS)
"""The export's headers, in order (readable HSEEP-style names; `FIELDS` are the inject fields)."""


class MselLoadError(LoadError):
    """An MSEL that does not import: every problem, and the mapping report of how it was read."""

    def __init__(self, problems: list[Problem], report: MappingReport | None) -> None:
        super().__init__(problems)
        self.report = report


@dataclass(frozen=True)
class MselImport:
    injects: tuple[Inject, ...]
    report: MappingReport


def _minutes_text(minutes: Fraction, exact: bool) -> str:
    if minutes.denominator == 1:
        return f"{int(minutes):02d}"
    with localcontext() as context:
        context.prec = 40
        value = Decimal(minutes.numerator) / Decimal(minutes.denominator)
        text = format(value if exact else round(value, 6), "f").rstrip("0").rstrip(".")
    return text if len(text.split(".")[0]) > 1 else "0" + text


def format_time(scenario: Scenario, move: int, offset_hours: float) -> str:
    """`D+0 H+14 M+30` for move 3 + 2.5 h with 6 h moves: the shortest such text that
    `parse_time` turns back into exactly (move, offset_hours)."""
    total_minutes = ((move - 1) * Fraction(scenario.move_length_hours) + Fraction(offset_hours)) * 60
    days, rest = divmod(total_minutes, 1440)
    hours, minutes = divmod(rest, 60)
    for exact in (False, True):
        text = f"D+{days} H+{hours} M+{_minutes_text(minutes, exact)}"
        if parse_time(text, scenario) == (move, offset_hours):
            break
    return text


def parse_time(text: str, scenario: Scenario) -> tuple[int, float]:
    """(move, offset_hours) of any time form a planner writes (msel_values.TIME_FORMS)."""
    hours, _note = elapsed_hours(text, scenario)
    return move_and_offset(hours, scenario)


def export_cells(inject: Inject, scenario: Scenario) -> dict[str, Any]:
    """One row of an inject, by field: numbers as numbers, lists as readable text, params and
    conditions as YAML flow mappings (as in scenario files), the time as `D+d H+h M+m`."""
    data = inject.model_dump(mode="json")
    row: dict[str, Any] = {name: data.get(name) for name in FIELDS if name != "time"}
    row["time"] = format_time(scenario, inject.move, inject.offset_hours)
    row["contingency"] = "yes" if inject.contingency else "no"
    row["params"] = _flow(data["params"]) if data["params"] else ""
    row["condition"] = (
        _flow(inject.condition.model_dump(mode="json", exclude_defaults=True)) if inject.condition else ""
    )
    row["recipients"] = ", ".join(data["recipients"]) or "All"
    for name in ("releasable_to", "objectives"):
        row[name] = ", ".join(data[name])
    actions = data["expected_actions"]
    multiline = any("\n" in action for action in actions)
    row["expected_actions"] = json.dumps(actions) if multiline else "\n".join(actions)
    return {name: "" if value is None else value for name, value in row.items()}


def _flow(value: Any) -> str:
    return str(yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True,
                              width=10**6)).strip()


def write_msel(scenario: Scenario, path: str | os.PathLike[str]) -> int:
    """Write the MSEL to a .csv or .xlsx file with readable headers; return the injects written."""
    target = Path(path)
    rows = [export_cells(inject, scenario) for inject in scenario.msel]
    if target.suffix.lower() == ".xlsx":
        from wargame.scenario.msel_xlsx import write_xlsx

        write_xlsx(scenario, rows, target)
    elif target.suffix.lower() == ".csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows([[str(row[name]) for name in FIELDS] for row in rows])
        target.write_text(out.getvalue(), encoding="utf-8")
    else:
        raise ValueError(f"cannot write {target}: use a .csv or .xlsx file")
    return len(rows)


def read_msel(
    path: str | os.PathLike[str], scenario: Scenario, mapping: Mapping[str, str] | None = None
) -> MselImport:
    """Read a planner's MSEL and validate it against the scenario.

    `mapping` names the field of columns the aliases do not know ({"Synopsis": "text"}, or
    "ignore"). MselLoadError lists every problem as `file:row:col: <column as written>: message`
    and carries the mapping report."""
    file = os.fspath(path)
    mapping = dict(mapping or {})
    if bad := check_mapping(mapping):
        raise MselLoadError([Problem(file, 0, 0, "", m) for m in bad], None)
    try:
        grid = read_grid(path)
    except (OSError, ValueError, KeyError) as exc:
        raise MselLoadError([Problem(file, 0, 0, "", f"cannot read MSEL: {exc}")], None) from None
    texts = [[cell_text(c) for c in row] for row in grid.rows]
    header_at = find_header(texts, mapping)
    if header_at is None:
        message = (f"no header row: none of the first rows names two known columns (for example "
                   f"{', '.join(repr(h) for h in COLUMNS[:6])}); name the columns with --map 'Header=field'")
        raise MselLoadError([Problem(file, 0, 0, "", message)], None)
    report = MappingReport(file, grid.sheet, grid.encoding, grid.delimiter, grid.line_of(header_at))
    report.banner_rows = [
        (grid.line_of(i), next((t for t in row if t.strip()), "")) for i, row in enumerate(texts[:header_at])
        if any(t.strip() for t in row)
    ]
    try:
        map_columns(texts[header_at], mapping, report)
    except ValueError as exc:
        raise MselLoadError([Problem(file, 0, 0, "", str(exc))], None) from None
    reader = CellReader(scenario, report)
    problems: list[Problem] = []
    injects: list[dict[str, Any]] = []
    row_of: dict[str, int] = {}
    for index in range(header_at + 1, len(grid.rows)):
        cells = {c.field: grid.rows[index][c.index] if c.index < len(grid.rows[index]) else None
                 for c in report.columns}
        if not any(cell_text(v).strip() for v in cells.values()):
            continue
        line = grid.line_of(index)
        data, found = reader.row(cells, len(injects) + 1)
        problems += [Problem(file, line, report.column_of(f), report.header_of(f) or f, m) for f, m in found]
        try:
            Inject.model_validate(data, context=FILE_CONTEXT)
        except ValidationError as exc:
            problems += _row_problems(exc, file, line, report, {f for f, _m in found})
        injects.append(data)
        row_of.setdefault(str(data.get("id", "")), line)
    report.rows = len(injects)
    report.derived, report.notes = reader.derived(), reader.notes()
    if not problems:
        problems = _scenario_problems(scenario, injects, row_of, report, file)
    if problems:
        raise MselLoadError(sort_problems(problems), report)
    return MselImport(tuple(Inject.model_validate(data) for data in injects), report)


def import_msel(
    path: str | os.PathLike[str], scenario: Scenario, mapping: Mapping[str, str] | None = None
) -> tuple[Inject, ...]:
    """The injects of `read_msel` (MselLoadError, a LoadError, lists every problem)."""
    return read_msel(path, scenario, mapping).injects


def _where(report: MappingReport, name: str) -> tuple[int, str]:
    """(sheet column, header as written) of a field; a field no column gives says how to map one."""
    if report.column_of(name):
        return report.column_of(name), report.header_of(name)
    return 1, f"{name} (no column; --map 'Header={name}')"


def _row_problems(
    exc: ValidationError, file: str, line: int, report: MappingReport, failed: set[str]
) -> list[Problem]:
    """Problems of one row's inject, each at the column of its field (none for the `failed`
    fields, whose cells were already reported). A whole-inject check's message lists
    `field: message` parts (`params.range_km: ...`), each placed at its column."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["loc"]:
            name = str(error["loc"][0])
            if name == "offset_hours":
                name = "time"
            if name in failed:
                continue
            shown = error.get("input")
            if isinstance(shown, str | int | float) and len(error["loc"]) == 1:
                message = f"{shown!r}: {message}"
            col, header = _where(report, name)
            problems.append(Problem(file, line, col, header, message))
            continue
        for part in message.split("; "):
            name = part.split(":", 1)[0] if re.match(r"^[a-z_]+(\.[a-z_]+)*:", part) else ""
            col, header = _where(report, name.split(".")[0]) if name else (1, "")
            problems.append(Problem(file, line, col, header, part))
    return problems


def _scenario_problems(
    scenario: Scenario,
    injects: list[dict[str, Any]],
    row_of: dict[str, int],
    report: MappingReport,
    file: str,
) -> list[Problem]:
    """Cross-reference problems of the imported MSEL, placed at the row and column they concern."""
    data = scenario.model_dump(exclude={"msel", "background_catalog"})
    try:
        Scenario.model_validate({**data, "msel": injects}, context=FILE_CONTEXT)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            for part in str(error["msg"]).removeprefix("Value error, ").split("; "):
                item = re.match(r"^inject '([^']*)': (.*)$", part)
                line = row_of.get(item.group(1), 0) if item else 0
                found = re.findall(r"[a-z_]+", item.group(2)) if item else []
                name = next((w for w in found if w in FIELDS and report.column_of(w)), "")
                if name == "" and any(w in ("recipient", "objective") for w in found):
                    name = "recipients" if "recipient" in found else "objectives"
                if name == "" and re.search(r"NOFORN|REL|PUBLIC", item.group(2) if item else ""):
                    name = "releasability" if report.column_of("releasability") else "recipients"
                col, header = _where(report, name) if name else (1, "")
                problems.append(Problem(file, line, col if line else 0, header, part))
        return problems
    return []
