"""Every form of a planner's cell value: times, inject types, triggers, markings; and the XLSX export."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from wargame.domain.scenario_model import Scenario
from wargame.scenario import load_scenario
from wargame.scenario.msel_columns import FIELDS, HEADERS, normalize
from wargame.scenario.msel_io import parse_time, read_msel, write_msel
from wargame.scenario.msel_values import (
    elapsed_hours,
    inject_type,
    move_and_offset,
    releasability,
    trigger,
    yes_no,
)

REPO = Path(__file__).resolve().parents[2]

def excel_time(*parts: int) -> datetime:
    """A naive datetime, as an Excel cell holds one (Excel dates carry no zone)."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)  # type: ignore[arg-type, misc]


SERIAL_1430 = (excel_time(2027, 3, 1, 14, 30) - excel_time(1899, 12, 30)).total_seconds() / 86400


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    """4 moves of 6 h from 2027-03-01T00:00Z: 14:30 on the first day is move 3 + 2.5 h."""
    return load_scenario(REPO / "scenarios" / "tutorial.yaml")


@pytest.mark.parametrize(
    "cell",
    [
        "D+0 14:30", "d+0 1430", "D+0 14:30:00", "D+0, 14:30Z", "D+0 H+14 M+30", "D+0 H+14.5", "H+14:30",
        "h+14:30", "T+14:30", "+14h30", "+14h30m", "+14 h 30 min", "+0d 14h 30m", "+870m", "+14:30",
        "+14.5h", "2027-03-01T14:30Z", "2027-03-01T14:30:00+00:00", "2027-03-01T15:30+01:00",
        "2027-03-01 14:30", f"{SERIAL_1430:.10f}", SERIAL_1430, excel_time(2027, 3, 1, 14, 30),
        datetime(2027, 3, 1, 14, 30, tzinfo=UTC), "011430ZMAR27", "011430Z MAR 2027", "011430zmar27",
        "011530AMAR27", "010930RMAR27",
    ],
)
def test_every_time_form_lands_in_move_3_at_2_5_hours(tutorial: Scenario, cell: Any) -> None:
    hours, _note = elapsed_hours(cell, tutorial)
    assert move_and_offset(hours, tutorial) == (3, 2.5)


def test_zone_notes_and_day_clock(tutorial: Scenario) -> None:
    assert elapsed_hours("2027-03-01 14:30", tutorial)[1] == "UTC"
    assert elapsed_hours(excel_time(2027, 3, 1, 14, 30), tutorial)[1] == "UTC"
    assert elapsed_hours("2027-03-01T14:30Z", tutorial)[1] is None
    assert parse_time("D+1 02:00", tutorial) == (5, 2.0)  # clock time on the second day
    assert parse_time("D+0 00:00", tutorial) == (1, 0.0)
    assert parse_time("H+6", tutorial) == (2, 0.0)
    assert parse_time("+90m", tutorial) == (1, 1.5)


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("tomorrow", "is not understood"),
        ("D+0 25:00", "25 is not a valid hour"),
        ("H+2:75", "75 is not a valid minute"),
        ("D-1 08:00", "before the scenario start"),
        ("2027-02-28T23:00Z", "before the scenario start"),
        ("011430JMAR27", "is not understood"),
        ("011430ZXYZ27", "'XYZ' is not a month"),
        ("321430ZMAR27", "day is out of range"),
        ("42", "is not understood"),
        (42.0, "is a bare number"),
    ],
)
def test_bad_times_say_what_is_wrong(tutorial: Scenario, cell: Any, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        elapsed_hours(cell, tutorial)


def test_enums_are_read_in_any_case_and_spacing() -> None:
    assert inject_type("Conjunction") == "conjunction"
    assert inject_type("Uplink Jamming") == inject_type("uplink-jamming") == "uplink_jamming"
    assert inject_type("SPACE WEATHER") == "space_weather"
    assert inject_type("RPO") == "close_approach"
    assert inject_type("Direct-Ascent ASAT") == "direct_ascent_asat"
    with pytest.raises(ValueError, match="'Teleport' is not an inject type"):
        inject_type("Teleport")
    assert trigger("Scheduled") == "time"
    assert trigger("On Call") == "manual"
    assert trigger("Conditional") == "condition"
    assert yes_no("X") is True and yes_no("") is False and yes_no("No") is False
    with pytest.raises(ValueError, match="'maybe' is not yes or no"):
        yes_no("maybe")
    assert releasability("rel to USA, GBR") == ("REL", ["USA", "GBR"])
    assert releasability("REL USA/JPN") == ("REL", ["USA", "JPN"])
    assert releasability("Rel FVEY") == ("REL FVEY", [])
    assert releasability("rel all") == ("REL ALL-PARTICIPANTS", [])
    assert releasability("public") == ("PUBLIC", [])
    assert releasability("noforn") == ("NOFORN", [])
    with pytest.raises(ValueError, match="is not a marking"):
        releasability("secret-ish")


def test_headers_are_matched_whatever_the_case_space_and_punctuation() -> None:
    assert normalize("Event #") == normalize("event no.") == normalize("EVENT NUMBER") == "eventno"
    assert normalize("Objective / Core Capability") == normalize("objective/core capability")


def test_xlsx_export_is_a_workbook_planners_can_edit(tutorial: Scenario, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "msel.xlsx"
    write_msel(tutorial, path)
    book = load_workbook(path)
    assert book.sheetnames == ["MSEL", "Lists"]
    sheet, lists = book["MSEL"], book["Lists"]
    assert [c.value for c in sheet[1]] == [HEADERS[f] for f in FIELDS]
    assert sheet.freeze_panes == "C2"
    first = {f: sheet.cell(2, k + 1).value for k, f in enumerate(FIELDS)}
    assert first["serial"] == 1 and first["move"] == 1  # numbers, not text
    second = {f: sheet.cell(3, k + 1) for k, f in enumerate(FIELDS)}
    assert second["time"].value == excel_time(2027, 3, 1, 2, 0)  # a real date (inj-002: move 1 + 2 h)
    assert second["time"].number_format == "yyyy-mm-dd hh:mm"
    assert second["params"].value == "{secondary: deb-c1408-f02, miss_km: 0.15, tca_offset_hours: 4}"
    assert second["recipients"].value == "JPN, USA"
    assert first["recipients"] == "All"
    assert sheet.column_dimensions["Q"].width == 60  # Synopsis
    list_columns = {lists.cell(1, c).value: [lists.cell(r, c).value for r in range(2, lists.max_row + 1)]
                    for c in range(1, lists.max_column + 1)}
    assert list_columns["Event Type"][:3] == ["direct_ascent_asat", "co_orbital", "close_approach"]
    assert [v for v in list_columns["To"] if v] == ["All", "USA", "GBR", "JPN"]
    objectives = list_columns["Objective / Core Capability"]
    assert [v for v in objectives if v] == [o.id for o in tutorial.objectives]
    checks = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    type_letter = "I"
    assert checks[f"{type_letter}2"].formula1 == "Lists!$A$2:$A$17"
    assert checks[f"{type_letter}2"].showErrorMessage is True
    assert checks["O2"].showErrorMessage is False  # To: several nations may be typed
    # Edited in Excel as a planner would: a typed date, a capitalised type; it still imports.
    sheet["C3"].value = excel_time(2027, 3, 1, 3, 15)
    sheet["I3"].value = "Conjunction"
    book.save(path)
    injects = read_msel(path, tutorial).injects
    assert (injects[1].move, injects[1].offset_hours, injects[1].type.value) == (1, 3.25, "conjunction")
    assert injects[2:] == tutorial.msel[2:]


def test_csv_export_has_readable_headers_and_round_trips(tutorial: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "msel.csv"
    write_msel(tutorial, path)
    head, first = path.read_text(encoding="utf-8").splitlines()[:2]
    assert head.startswith("Event #,Inject ID,Scenario Time (UTC),Move,Title,")
    assert first.startswith("1,inj-001,D+0 H+0 M+00,1,Road to crisis - situation update,time,,no,message,")
    assert read_msel(path, tutorial).injects == tutorial.msel
