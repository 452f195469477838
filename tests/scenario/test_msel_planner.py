"""Planners' MSEL spreadsheets: an HSEEP-layout sheet (CSV and XLSX) imports with a mapping report."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from wargame.cli import main as scenario_cli
from wargame.domain.scenario_model import Scenario
from wargame.scenario import load_scenario
from wargame.scenario.msel_io import MselLoadError, read_msel

REPO = Path(__file__).resolve().parents[2]
BANNER = "PACIFIC SHIELD 27 \u2014 MASTER SCENARIO EVENTS LIST (DRAFT 3, EXERCISE EXERCISE EXERCISE)"
HEADER = [
    "Event #", "Scenario Time", "Event Type", "Synopsis", "From", "To", "Expected Player Action",
    "Objective / Core Capability", "Notes", "Target Satellite", "Details", "POC",
]

def excel_time(*parts: int) -> datetime:
    """A naive datetime, as an Excel cell holds one (Excel dates carry no zone)."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)  # type: ignore[arg-type, misc]


EXCEL_DAY_0 = excel_time(1899, 12, 30)


def planner_rows(excel: bool) -> list[list[Any]]:
    """Five events as a planner writes them; times in five forms (an Excel date cell in XLSX,
    the raw serial number Excel leaves in a CSV)."""
    conjunction_time: Any = excel_time(2027, 3, 1, 2, 0)
    if not excel:
        conjunction_time = f"{(conjunction_time - EXCEL_DAY_0).total_seconds() / 86400:.10f}"
    return [
        ["1", "D+0 00:00", "Message",
         "Tension with RED has risen for three weeks. Review your sharing posture with partners.",
         "Exercise Control", "All players",
         "- Review the national space order of battle\n- Agree a coalition sharing posture",
         "Information Sharing", "Read aloud at STARTEX.", "", "", "Maj. Smith"],
        ["2", conjunction_time, "Conjunction",
         "CDM: IGS-Optical 8 and COSMOS 1408 debris, predicted miss 150 m in four hours.",
         "CSpOC conjunction assessment cell", "Japan; United States",
         "JPN requests a tasked track from a partner sensor",
         "Spaceflight Safety, Information Sharing", "Pc exceeds the threshold only on catalog data.",
         "IGS-Optical 8 (notional)", "secondary: deb-c1408-f02, miss_km: 0.15, tca_offset_hours: 4",
         "Capt. Sato"],
        ["3", "H+7:00", "Uplink Jamming",
         "Skynet 5D shows a strong carrier on the X-band uplink.",
         "Skynet operations", "GBR", "GBR switches Skynet 5D to anti-jam mode",
         "SATCOM Resilience", "RED mobile terminal.", "gbr-skynet-5d", "", ""],
        ["4", "011330ZMAR27", "space weather",
         "A strong geomagnetic storm is forecast.", "NOAA SWPC", "all",
         "Teams weigh weather before attributing anomalies", "obj-attribution", "", "", "", ""],
        ["5", "+20h30", "MESSAGE", "RED state media deny any interference.", "RED state media",
         "USA, GBR, JPN", "", "Attribution and Strategic Messaging", "", "", "", ""],
    ]


EXPECTED = {  # id: (move, offset_hours, type, recipients, objectives, target)
    "inj-001": (1, 0.0, "message", (), ("obj-sharing",), None),
    "inj-002": (1, 2.0, "conjunction", ("JPN", "USA"), ("obj-safety", "obj-sharing"), "jpn-igs-optical-8"),
    "inj-003": (2, 1.0, "uplink_jamming", ("GBR",), ("obj-satcom",), "gbr-skynet-5d"),
    "inj-004": (3, 1.5, "space_weather", (), ("obj-attribution",), None),
    "inj-005": (4, 2.5, "message", ("USA", "GBR", "JPN"), ("obj-attribution",), None),
}


@pytest.fixture(scope="module")
def tutorial() -> Scenario:
    return load_scenario(REPO / "scenarios" / "tutorial.yaml")


def write_csv(path: Path, rows: list[list[Any]], delimiter: str, encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([BANNER])
        writer.writerow([])
        writer.writerow(HEADER)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Pacific Shield MSEL"
    sheet.append([BANNER])
    sheet.merge_cells("A1:L1")
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet["B5"].number_format = "dd/mm/yyyy hh:mm"
    book.save(path)


def expected_report(path: Path, how: str) -> list[str]:
    return [
        f"Mapping report for {path}{how}",
        f"  row 1: skipped above the header: {BANNER!r}",
        "  header: row 3; 5 inject rows below it",
        "    A 'Event #'                       -> serial",
        "    B 'Scenario Time'                 -> time",
        "    C 'Event Type'                    -> type",
        "    D 'Synopsis'                      -> text",
        "    E 'From'                          -> sender",
        "    F 'To'                            -> recipients",
        "    G 'Expected Player Action'        -> expected_actions",
        "    H 'Objective / Core Capability'   -> objectives",
        "    I 'Notes'                         -> controller_notes",
        "    J 'Target Satellite'              -> target",
        "    K 'Details'                       -> params  (--map)",
        "    L 'POC': not read (no inject field of that name; use --map)",
        "  id: no column; made from 'Event #' (inj-001 for 1)",
        "  title: no column; the first sentence of 'Synopsis'",
        "  trigger: no column; 'time' for rows with a time, 'manual' for the others and for contingency rows",
        "  releasability: no column; NOFORN for one recipient, REL to the recipients for several, "
        "REL ALL-PARTICIPANTS for all",
    ]


def check_injects(scenario: Scenario, injects: tuple[Any, ...]) -> None:
    found = {
        i.id: (i.move, i.offset_hours, i.type.value, i.recipients, i.objectives, i.target) for i in injects
    }
    assert found == EXPECTED
    first = injects[0]
    assert first.title == "Tension with RED has risen for three weeks."
    assert first.expected_actions == (
        "Review the national space order of battle", "Agree a coalition sharing posture"
    )
    assert first.controller_notes == "Read aloud at STARTEX."
    assert [i.serial for i in injects] == [1, 2, 3, 4, 5]
    assert all(i.trigger == "time" for i in injects)
    assert injects[1].params == {"secondary": "deb-c1408-f02", "miss_km": 0.15, "tca_offset_hours": 4}


@pytest.mark.parametrize(
    ("delimiter", "encoding", "how"),
    [(",", "utf-8-sig", ": UTF-8 with BOM, comma-separated"),
     (";", "cp1252", ": Windows-1252, semicolon-separated"),
     ("\t", "utf-8", ": UTF-8, tab-separated")],
)
def test_hseep_csv_imports_with_a_mapping_report(
    tutorial: Scenario, tmp_path: Path, delimiter: str, encoding: str, how: str
) -> None:
    path = tmp_path / "pacific-shield-msel.csv"
    write_csv(path, planner_rows(excel=False), delimiter, encoding)
    result = read_msel(path, tutorial, {"Details": "params"})
    check_injects(tutorial, result.injects)
    assert result.report.lines() == [*expected_report(path, how), (
        "  time: 1 time without a zone (Excel dates, plain dates) read as UTC, the scenario clock")]


def test_hseep_xlsx_with_excel_dates_imports_and_validates(tutorial: Scenario, tmp_path: Path) -> None:
    sheet = tmp_path / "pacific-shield-msel.xlsx"
    write_xlsx(sheet, planner_rows(excel=True))
    result = read_msel(sheet, tutorial, {"Details": "params"})
    check_injects(tutorial, result.injects)
    lines = result.report.lines()
    assert lines[0] == f"Mapping report for {sheet} (sheet 'Pacific Shield MSEL')"
    assert lines[1:] == [*expected_report(sheet, "")[1:], (
        "  time: 1 time without a zone (Excel dates, plain dates) read as UTC, the scenario clock")]
    # The CLI writes the scenario with this MSEL, and the result loads (validates) as a scenario.
    source = tmp_path / "tutorial.yaml"
    original = (REPO / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    source.write_text(original, encoding="utf-8")
    (tmp_path / "rulesets").mkdir()
    out = tmp_path / "planned.yaml"
    argv = ["msel", "import", str(source), str(sheet), "--map", "Details=params", "--out", str(out)]
    assert scenario_cli(argv) == 0
    planned = load_scenario(out)
    assert planned.msel == result.injects
    assert planned.objects == load_scenario(source).objects


def test_cli_prints_the_report_and_located_errors(tutorial: Scenario, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    rows = planner_rows(excel=False)
    rows[2][2], rows[2][1] = "Teleport", "D+0 25:00"
    rows[3][5] = "Mars"
    path = tmp_path / "msel.csv"
    write_csv(path, rows, ",", "utf-8")
    scenario = str(REPO / "scenarios" / "tutorial.yaml")
    assert scenario_cli(["msel", "import", scenario, str(path), "--map", "Details=params", "--check"]) == 4
    out, err = capsys.readouterr()
    assert "    C 'Event Type'                    -> type" in out
    *problems, summary = err.splitlines()
    assert summary == "error: invalid file: 3 problem(s) (4)"
    assert problems == [
        f"{path}:7:2: Scenario Time: time 'D+0 25:00': 25 is not a valid hour",
        f"{path}:7:3: Event Type: 'Teleport' is not an inject type (types: direct_ascent_asat, co_orbital, "
        "close_approach, laser_dazzle, laser_damage, high_power_microwave, nuclear_detonation, "
        "uplink_jamming, downlink_jamming, spoofing, cyber_intercept, cyber_corruption, cyber_seizure, "
        "space_weather, conjunction, message)",
        f"{path}:8:6: To: 'Mars' is not a nation of the scenario: USA (United States), GBR (United Kingdom), "
        "JPN (Japan), RED (Red State (notional adversary))",
    ]
    rows[2][2], rows[2][1], rows[3][5] = "Uplink Jamming", "H+7:00", "GBR"
    rows[4][7] = "obj-nothing"
    write_csv(path, rows, ",", "utf-8")
    with pytest.raises(MselLoadError) as info:
        read_msel(path, tutorial, {"Details": "params"})
    assert [str(p) for p in info.value.problems] == [
        f"{path}:9:8: Objective / Core Capability: inject 'inj-005': unknown objective 'obj-nothing'"
    ]


def test_a_sheet_without_known_headers_says_so(tutorial: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "msel.csv"
    path.write_text("Serial Nbr Foo,Blurb\n1,hello\n", encoding="utf-8")
    with pytest.raises(MselLoadError) as info:
        read_msel(path, tutorial)
    assert "no header row" in str(info.value)
    assert "--map" in str(info.value)
    result_error = None
    try:
        read_msel(path, tutorial, {"Blurb": "text", "Serial Nbr Foo": "serial", "Nope": "text"})
    except MselLoadError as exc:
        result_error = str(exc)
    assert result_error is not None and "mapping names column 'Nope', which the header lacks" in result_error
    with pytest.raises(MselLoadError, match="'txt' is not an inject field"):
        read_msel(path, tutorial, {"Blurb": "txt"})


def test_a_field_no_column_gives_says_how_to_map_one(tutorial: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "msel.csv"
    write_csv(path, planner_rows(excel=False), ",", "utf-8")
    with pytest.raises(MselLoadError) as info:
        read_msel(path, tutorial)  # 'Details' not mapped: the conjunction (line 6) lacks its params
    assert [(p.line, p.col, p.path, p.message) for p in info.value.problems] == [
        (6, 1, "params (no column; --map 'Header=params')", "params.secondary: Field required"),
        (6, 1, "params (no column; --map 'Header=params')", "params.miss_km: Field required"),
    ]
    assert info.value.report is not None
    assert "    K 'Details': not read (no inject field of that name; use --map)" in info.value.report.lines()
