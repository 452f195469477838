"""MSEL spreadsheets: CSV and XLSX round trips, time offsets, and located import errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from wargame.cli import main as scenario_cli
from wargame.domain.scenario_model import Scenario
from wargame.scenario import LoadError, load_scenario
from wargame.scenario.msel_columns import FIELDS, HEADERS
from wargame.scenario.msel_io import COLUMNS, format_time, import_msel, parse_time, write_msel

H = HEADERS


@pytest.fixture(
    scope="module", params=["tutorial", "regional-sentinel", "global-sentinel", "schriever-escalation"]
)
def scenario(request: pytest.FixtureRequest, repo_root: Path) -> Scenario:
    return load_scenario(repo_root / "scenarios" / f"{request.param}.yaml")


@pytest.fixture(scope="module")
def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_msel_round_trips_without_loss(scenario: Scenario, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"msel{suffix}"
    assert write_msel(scenario, path) == len(scenario.msel)
    assert import_msel(path, scenario) == scenario.msel


def test_time_offsets_map_to_move_and_offset(repo_root: Path) -> None:
    tutorial = load_scenario(repo_root / "scenarios" / "tutorial.yaml")
    assert format_time(tutorial, 3, 2.5) == "D+0 H+14 M+30"
    assert parse_time("D+0 H+14 M+30", tutorial) == (3, 2.5)
    assert parse_time("D+0 H+3 M+45", tutorial) == (1, 3.75)
    assert parse_time("H+6", tutorial) == (2, 0.0)
    assert parse_time("2027-03-01T14:30:00Z", tutorial) == (3, 2.5)
    assert parse_time("2027-03-01T15:30:00+01:00", tutorial) == (3, 2.5)
    for move, offset in [(1, 1 / 3), (2, 0.1), (4, 5.123456789), (1, 0.0001)]:
        assert parse_time(format_time(tutorial, move, offset), tutorial) == (move, offset)
    assert parse_time("2027-03-01T14:30:00", tutorial) == (3, 2.5)  # no zone: UTC, the scenario clock
    for bad in ("tomorrow", "2027-02-28T00:00:00Z"):
        with pytest.raises(ValueError):
            parse_time(bad, tutorial)


def test_import_reports_row_column_and_message(repo_root: Path, tmp_path: Path) -> None:
    tutorial = load_scenario(repo_root / "scenarios" / "tutorial.yaml")
    path = tmp_path / "msel.csv"
    write_msel(tutorial, path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[1][H["time"]], rows[1][H["move"]] = "D+1 H+0", ""  # move 5: after the last move
    rows[2][H["type"]] = "teleport"
    rows[3][H["recipients"]] = "GBR, XYZ"
    rows[4][H["params"]] = "{bad json"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(LoadError) as info:
        import_msel(path, tutorial)
    lines = path.read_text(encoding="utf-8").splitlines()
    start = {
        row[H["id"]]: next(
            i for i, t in enumerate(lines, 1) if t.startswith(f"{row[H['serial']]},{row[H['id']]},")
        )
        for row in rows
    }
    found = [(p.line, p.col, p.path) for p in info.value.problems]
    assert found == [
        (start["inj-003"], FIELDS.index("type") + 1, "Event Type"),
        (start["inj-004"], FIELDS.index("recipients") + 1, "To"),
        (start["inj-005"], FIELDS.index("params") + 1, "Parameters"),
    ]
    assert info.value.problems[1].message.startswith("'XYZ' is not a nation of the scenario: USA (United")
    assert "'teleport' is not an inject type" in info.value.problems[0].message
    assert all(str(p).startswith(f"{path}:") for p in info.value.problems)
    # Once the row-level problems are fixed, cross-references are checked and located too.
    rows[2][H["type"]], rows[4][H["params"]] = "Uplink Jamming", "{}"
    rows[3][H["recipients"]] = "GBR, JPN"  # a NOFORN inject: one nation only
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(LoadError) as info:
        import_msel(path, tutorial)
    messages = {(p.line, p.path): p.message for p in info.value.problems}
    assert "move 5 is after the last move 4" in messages[(start["inj-002"], "Move")]
    assert "NOFORN goes to one nation only, not to GBR, JPN" in messages[(start["inj-004"], "Releasability")]


def test_cli_import_rewrites_only_the_msel(repo_root: Path, tmp_path: Path) -> None:
    source = tmp_path / "tutorial.yaml"
    original = (repo_root / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    source.write_text(original, encoding="utf-8")
    (tmp_path / "rulesets").mkdir()
    sheet = tmp_path / "msel.xlsx"
    assert scenario_cli(["msel", "export", str(source), str(sheet)]) == 0
    out = tmp_path / "out.yaml"
    assert scenario_cli(["msel", "import", str(source), str(sheet), "--out", str(out)]) == 0
    head = original.split("\nmsel:\n")[0]
    assert out.read_text(encoding="utf-8").startswith(head)
    assert load_scenario(out) == load_scenario(source)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_refuses_params_the_core_cannot_use_at_their_row_and_column(
    repo_root: Path, tmp_path: Path, suffix: str
) -> None:
    tutorial = load_scenario(repo_root / "scenarios" / "tutorial.yaml")
    path = tmp_path / f"msel{suffix}"
    write_msel(tutorial, path)
    edits = {
        "inj-004": '{"approacher": "red-inspector-1", "range_km": "five"}',
        "inj-005": '{"g_level": 3}',
        "inj-009": '{"site_lat_deg": 38.0}',
    }
    if suffix == ".csv":
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
        for row in rows:
            row[H["params"]] = edits.get(row[H["id"]], row[H["params"]])
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        lines = path.read_text(encoding="utf-8").splitlines()
        row_of = {
            r[H["id"]]: next(
                i for i, t in enumerate(lines, 1) if t.startswith(f"{r[H['serial']]},{r[H['id']]},")
            )
            for r in rows
        }
    else:
        from openpyxl import load_workbook

        book = load_workbook(path)
        sheet = book.active
        assert sheet is not None
        row_of = {}
        for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
            inject_id = cells[FIELDS.index("id")].value
            row_of[str(inject_id)] = number
            if inject_id in edits:
                cells[FIELDS.index("params")].value = edits[str(inject_id)]
        book.save(path)
    with pytest.raises(LoadError) as info:
        import_msel(path, tutorial)
    column = FIELDS.index("params") + 1
    found = [(p.line, p.col, p.path, p.message) for p in info.value.problems]
    assert found == [
        (row_of["inj-004"], column, "Parameters",
         "params.range_km: Input should be a valid number, unable to parse string as a number (got 'five')"),
        (row_of["inj-005"], column, "Parameters",
         "params.g_level: not a parameter of space_weather injects (they take duration_moves, severity)"),
        (row_of["inj-009"], column, "Parameters",
         "params: site_lat_deg and site_lon_deg are given together (got only site_lat_deg)"),
    ]
    where = f"{path}:{row_of['inj-004']}:{column}"
    assert str(info.value.problems[0]).startswith(f"{where}: Parameters: params.range_km")
