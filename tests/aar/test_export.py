"""JSON and Markdown exports of an AAR, and the FORMATS registry."""

from __future__ import annotations

import json
import re

from tests.aar.game import MARKING
from wargame.aar import FORMATS, build_report, export_json, export_markdown
from wargame.aar.export import cell, table
from wargame.domain.events import EventEnvelope

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def test_json_round_trips_and_is_stable(events: list[EventEnvelope]) -> None:
    report = build_report(events)
    text = export_json(report)
    assert json.loads(text) == report
    assert export_json(build_report(events)) == text
    assert text.startswith("{\n  ")


def test_every_audience_export_carries_the_exercise_marking(events: list[EventEnvelope]) -> None:
    for viewer in ("facilitator", "white_cell", "team:USA", "team:FRA", "observer"):
        report = build_report(events, viewer)
        assert report["exercise"]["marking"] == MARKING, viewer
        md = export_markdown(report)
        assert md.startswith(f"**{MARKING}**") and md.rstrip().endswith(f"**{MARKING}**"), viewer


def test_markdown_has_the_expected_sections_and_rows(events: list[EventEnvelope]) -> None:
    md = export_markdown(build_report(events))
    banner = f"**{MARKING}**"
    assert md.startswith(f"{banner}\n\n# After-action review: Exercise | Pole Star\n")
    assert md.endswith(f"\n{banner}\n")  # the exercise marking heads and closes every export
    assert f"| Marking | {MARKING} |" in md.splitlines()
    for heading in ("## Exercise summary", "## Metrics by move", "## Escalation by move",
                    "## Sharing", "## Timeline", "## Decisions", "## Observations by objective",
                    "## Integrity"):
        assert f"\n{heading}\n" in md
    lines = md.splitlines()
    assert "| Nation | PNT | SATCOM | Custody | Precise |" in lines
    assert "| USA | 0.90 | 1.00 | 4 | - |" in lines  # move 1: an event without precise counts
    assert "| GBR | 1.00 | 0.25 | 3 | - |" in lines
    assert "| GBR | 1.00 | 1.00 | 4 | 3 |" in lines  # move 2
    assert "| 2 | 2 | Dazzling |" in lines
    assert "| From / to | USA | GBR | FRA |" in lines
    assert "| GBR | full | n/a | degraded |" in lines
    assert "| USA | n/a | withhold | withhold |" in lines
    assert any(line.startswith("| 12 | 1 | 2031-03-01T06:00:00+00:00 | team:GBR | GBR ordered "
                               "manoeuvre of SKYNET-5A") and "move away \\| from the jammer" in line
               for line in lines)
    request = next(e.body.request_id for e in events if e.body.type == "tasking_requested")
    assert f"| 15 | 1 | {request} | USA | GBR | accepted | radar has spare capacity |" in lines
    assert "### OBJ-1: Share SSA data | promptly" in lines
    assert "- Move 1 (seq 19, evaluator): [S] USA and GBR shared quickly" in lines  # after the feed line
    assert f"Chain integrity: OK ({len(events)} events, hash chain verified)." in lines


def test_markdown_tables_are_well_formed(events: list[EventEnvelope]) -> None:
    md = export_markdown(build_report(events))
    widths: list[int] = []
    for line in [*md.splitlines(), ""]:
        if line.startswith("|"):
            widths.append(len(UNESCAPED_PIPE.findall(line)))
        elif widths:
            assert len(set(widths)) == 1, widths
            widths = []


def test_team_markdown_shows_unknown_cells_and_no_secrets(events: list[EventEnvelope]) -> None:
    md = export_markdown(build_report(events, "team:USA"))
    assert "| GBR | full | n/a | - |" in md.splitlines()
    assert "GBR internal chat" not in md
    assert "No adjudicated metrics visible for this move." in md


def test_markdown_reports_a_broken_chain(events: list[EventEnvelope]) -> None:
    forged = events[3].model_copy(update={"actor": "team:FRA"})
    md = export_markdown(build_report([*events[:3], forged, *events[4:]]))
    assert "Chain integrity: BROKEN (1 problem(s))." in md
    assert "- seq 4: content does not match its hash" in md


def test_cell_escapes_pipes_and_flattens_lines() -> None:
    assert cell("a|b\nc") == "a\\|b c"
    assert cell(None) == "-"
    assert cell(0.5) == "0.5"
    assert cell(109.45227744249483) == "109"
    assert table(["A"], []) == []


def test_formats_registry(events: list[EventEnvelope]) -> None:
    assert {"json", "md", "html", "docx", "xlsx"} <= set(FORMATS)
    assert FORMATS["json"].content_type == "application/json"
    assert FORMATS["md"].content_type.startswith("text/markdown")
    assert FORMATS["docx"].content_type.endswith("wordprocessingml.document")
    assert FORMATS["xlsx"].content_type.endswith("spreadsheetml.sheet")
    report = build_report(events, "team:GBR")
    for name, (content_type, extension, exporter) in FORMATS.items():
        assert extension == name and content_type
        exported = exporter(report)
        if name in ("docx", "xlsx"):  # zip containers (Office Open XML)
            assert isinstance(exported, bytes) and exported[:2] == b"PK"
        else:
            assert isinstance(exported, str)
