"""The HSEEP AAR/IP of the tutorial played to the end and evaluated through commands: its data, the
DOCX (opened with python-docx) and the improvement plan XLSX (opened with openpyxl)."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from openpyxl import load_workbook

from tests.aar.tutorial_evaluated import (
    AFI_TITLE,
    CORRECTIVE,
    EDITED,
    EXERCISE,
    KEPT,
    RETRACTED,
    UNRATED_TEXT,
    Evaluated,
    play,
)
from wargame.aar import FORMATS, build_report
from wargame.aar.hseep import FALLBACK, FINAL, FROM_OBJECTIVES
from wargame.aar.hseep_xlsx import COLUMNS, HEADER_ROW

JsonDict = dict[str, Any]
MARKING = "EXERCISE EXERCISE EXERCISE - UNCLASSIFIED"
OBJECTIVES = ("obj-custody", "obj-satcom", "obj-safety", "obj-sharing", "obj-attribution")


@pytest.fixture(scope="module")
def game() -> Evaluated:
    return play()


@pytest.fixture(scope="module")
def report(game: Evaluated) -> JsonDict:
    return build_report(game.events(), "evaluator", catalogs=game.service.catalog)


@pytest.fixture(scope="module")
def docx(report: JsonDict) -> DocumentObject:
    data = FORMATS["docx"].exporter(report)
    assert isinstance(data, bytes)
    return Document(io.BytesIO(data))


def text_of(doc: DocumentObject) -> str:
    """Every paragraph and table cell of the body, in order."""
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_the_aar_ip_is_built_from_the_exercise_objectives_and_the_evaluation(report: JsonDict) -> None:
    aar = report["aar_ip"]
    assert aar["marking"] == MARKING
    overview = aar["overview"]
    assert [o["id"] for o in overview["objectives"]] == list(OBJECTIVES)
    assert overview["sponsor"] == "Combined Space Operations training cell (notional)"
    assert overview["mission_areas"] == ["SSA", "SATCOM", "ISR"]
    assert overview["core_capabilities"][:2] == ["Space Domain Awareness", "SATCOM Resilience"]
    assert overview["scope"].startswith("4 of 4 moves played, 24 hours of scenario time; 3 national teams")
    by_id = {o["id"]: o for o in aar["objectives"]}
    safety = by_id["obj-safety"]
    assert (safety["rating"]["rating"], safety["rating"]["label"], safety["rating"]["by_member"]) == (
        "M",
        FINAL,
        "Maj. Eva Lind",
    )
    assert [
        (o["text"], o["task"], o["inject_id"], o["nation"], o["edits"]) for o in safety["observations"]
    ] == [(EDITED, 2, "inj-002", "JPN", 1)]
    assert [t["observations"] for t in safety["critical_tasks"]] == [
        [],
        [safety["observations"][0]["observation_id"]],
        [],
    ]
    assert [(a["number"], a["title"], a["root_cause"]) for a in safety["afis"]] == [
        ("3.1", AFI_TITLE, "No tasking arrangement between JPN and USA")
    ]
    satcom = by_id["obj-satcom"]
    assert [o["text"] for o in satcom["observations"]] == [KEPT]  # the retracted one is left out
    assert satcom["strengths"][0]["text"] == "Anti-jam ordered at once"
    assert {m["mission_area"] for m in satcom["measures"]} == {"SATCOM"}
    assert all(isinstance(m["final_pct"], int) for o in aar["objectives"] for m in o["measures"])
    attribution = by_id["obj-attribution"]  # no final rating: the latest observation's, labelled
    assert (
        attribution["rating"]["rating"],
        attribution["rating"]["source"],
        attribution["rating"]["label"],
    ) == ("M", "observation", FALLBACK)
    assert by_id["obj-custody"]["rating"] == {
        "rating": None,
        "words": "",
        "source": None,
        "label": "not rated",
    }
    capabilities = {c["capability"]: c["rating"] for c in aar["capabilities"]}
    assert (capabilities["SATCOM Resilience"]["rating"], capabilities["SATCOM Resilience"]["label"]) == (
        "P",
        FINAL,
    )
    assert (capabilities["Spaceflight Safety"]["rating"], capabilities["Spaceflight Safety"]["label"]) == (
        "M",
        FROM_OBJECTIVES,
    )
    assert [(i["capability"], i["afi_number"], i["start_date"]) for i in aar["improvement_plan"]] == [
        ("Spaceflight Safety", "3.1", "2027-04-01"),
        ("Information Sharing", None, "2027-05-15"),
    ]
    assert aar["summary"]["objective_ratings"] == {"P": 0, "S": 1, "M": 2, "U": 0}
    assert (aar["summary"]["unrated"], aar["summary"]["provisional"], aar["observations_retracted"]) == (
        2,
        1,
        1,
    )
    seats = {s["seat"]: s["members"] for s in aar["participants"]["seats"]}
    assert seats["evaluator"] == ["Capt. Otto Reyes", "Maj. Eva Lind"] and seats["team:USA"] == ["ana"]
    history = [(h["type"], h["observation_id"]) for h in aar["observation_history"]]
    assert [t for t, _ in history] == ["observation_edited", "observation_retracted"]


def test_the_log_keeps_the_edit_and_retract_history(game: Evaluated) -> None:
    events = game.events()
    edited = next(e for e in events if e.body.type == "observation_edited")
    oid = edited.body.observation_id  # type: ignore[union-attr]
    versions = [
        (e.body.type, e.member, getattr(e.body, "text", None))
        for e in events
        if getattr(e.body, "observation_id", None) == oid
    ]
    assert versions[0][:2] == ("observation_recorded", "Maj. Eva Lind")
    assert versions[1] == ("observation_edited", "Maj. Eva Lind", EDITED)
    retracted = next(e for e in events if e.body.type == "observation_retracted")
    first = next(
        e for e in events if getattr(e.body, "observation_id", None) == retracted.body.observation_id
    )  # type: ignore[union-attr]
    assert first.body.text == RETRACTED  # type: ignore[union-attr]
    assert (retracted.member, retracted.body.reason) == ("Capt. Otto Reyes", "misread the log")  # type: ignore[union-attr]
    assert all(
        e.audience == ("control",)
        for e in events
        if e.body.type
        in ("observation_recorded", "observation_edited", "observation_retracted", "rating_set", "afi_set")
    )
    codes = [r["code"] for r in game.refusals]
    assert codes == ["not_owner", "forbidden", "forbidden"]


def test_the_docx_holds_the_hseep_sections_with_the_exercise_own_content(docx: DocumentObject) -> None:
    headings = [p.text for p in docx.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    for section in (
        "Executive Summary",
        "Exercise Overview",
        "Analysis of Capabilities",
        "Appendix A: Improvement Plan",
        "Appendix B: Exercise Participants",
    ):
        assert section in headings
    assert (
        headings.index("Executive Summary")
        < headings.index("Exercise Overview")
        < headings.index("Analysis of Capabilities")
        < headings.index("Appendix A: Improvement Plan")
    )
    objective_headings = [h for h in headings if h.startswith("Objective ")]
    assert len(objective_headings) == 5
    assert objective_headings[2].startswith("Objective 3: Screen, assess and act on conjunctions")
    body = text_of(docx)
    assert docx.paragraphs[0].text == "Tutorial: Grey Zone over the Pacific"
    assert "After-Action Report / Improvement Plan" in body
    assert "Sponsor: Combined Space Operations training cell (notional)" in body
    assert EDITED in body and KEPT in body and UNRATED_TEXT in body
    assert RETRACTED not in body
    assert "Rating: M (Performed with major challenges): final rating by Maj. Eva Lind" in body
    assert f"Rating: M (Performed with major challenges): provisional, the {FALLBACK}" in body
    assert f"Area for Improvement 3.1: {AFI_TITLE}" in headings
    assert "Root cause: No tasking arrangement between JPN and USA" in body
    assert "1. RED-INSPECTOR-1 is held by at least one coalition nation every move (0 observation(s))" in body


def test_every_docx_page_carries_the_marking_and_the_plan_is_a_table(docx: DocumentObject) -> None:
    assert len(docx.sections) == 2  # portrait, then the landscape improvement plan
    for section in docx.sections:
        assert section.header.paragraphs[0].text == MARKING
        assert section.footer.paragraphs[0].text == MARKING
    plan = next(
        t for t in docx.tables if t.rows[0].cells[0].text == "Core Capability" and len(t.columns) == 8
    )
    rows = [[c.text for c in r.cells] for r in plan.rows]
    assert rows[0][-2:] == ["Start Date", "Completion Date"]
    assert rows[1] == [
        "Spaceflight Safety",
        f"3.1 {AFI_TITLE}",
        CORRECTIVE,
        "Planning",
        "JASDF Space Operations Group",
        "Lt Col Ito",
        "1 April 2027",
        "30 September 2027",
    ]
    summary = next(t for t in docx.tables if t.rows[0].cells[0].text == "Objective")
    marks = {r.cells[0].text.split(".")[0]: [c.text for c in r.cells[2:6]] for r in summary.rows[1:]}
    assert (
        marks["3"] == ["", "", "X", ""] and marks["2"] == ["", "X", "", ""] and marks["1"] == ["", "", "", ""]
    )
    participants = next(t for t in docx.tables if t.rows[0].cells[0].text == "Nation")
    assert [r.cells[0].text for r in participants.rows[1:]] == ["USA", "GBR", "JPN", "RED"]


def test_the_improvement_plan_xlsx_has_headers_typed_cells_and_the_marking(report: JsonDict) -> None:
    data = FORMATS["xlsx"].exporter(report)
    assert isinstance(data, bytes)
    sheet = load_workbook(io.BytesIO(data))["Improvement Plan"]
    assert sheet["A1"].value == MARKING and "A1:J1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[HEADER_ROW]] == [header for header, _k, _w in COLUMNS]
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert len(rows) == 2
    first = dict(zip([h for h, _k, _w in COLUMNS], rows[0], strict=True))
    assert first["Core Capability"] == "Spaceflight Safety" and first["Corrective Action"] == CORRECTIVE
    assert first["Issue / Area for Improvement"] == f"3.1 {AFI_TITLE}"
    start, end = first["Start Date"], first["Completion Date"]
    assert isinstance(start, datetime) and isinstance(end, datetime)  # an Excel date cell, not text
    assert (start.date(), end.date()) == (date(2027, 4, 1), date(2027, 9, 30))
    assert first["Duration (days)"] == 183
    assert sheet.cell(HEADER_ROW + 1, 8).number_format == "yyyy-mm-dd"
    assert MARKING in sheet.oddHeader.center.text and MARKING in sheet.oddFooter.center.text


def test_a_team_aar_ip_holds_no_evaluation(game: Evaluated) -> None:
    report = build_report(game.events(), "team:JPN", catalogs=game.service.catalog)
    aar = report["aar_ip"]
    assert [o["id"] for o in aar["objectives"]] == list(OBJECTIVES)  # the objectives every seat knows
    assert all(
        not o["observations"] and o["rating"]["rating"] is None and not o["afis"] for o in aar["objectives"]
    )
    assert aar["improvement_plan"] == [] and aar["log_head"] is None
    data = FORMATS["docx"].exporter(report)
    assert isinstance(data, bytes)
    body = text_of(Document(io.BytesIO(data)))
    for secret in (EDITED, KEPT, AFI_TITLE, CORRECTIVE, "Maj. Eva Lind"):
        assert secret not in body


def test_exercise_id_in_the_report(report: JsonDict) -> None:
    assert report["aar_ip"]["overview"]["exercise_id"] == EXERCISE
    assert report["aar_ip"]["log_head"]["seq"] == report["exercise"]["last_seq"]


def test_the_report_observations_read_as_edited_without_the_retracted(report: JsonDict) -> None:
    observations = report["observations"]
    texts = [o["text"] for g in observations["by_objective"] for o in g["observations"]]
    assert EDITED in texts and KEPT in texts and RETRACTED not in texts
    markdown = FORMATS["md"].exporter(report)
    assert isinstance(markdown, str)
    section = markdown.split("## Observations by objective")[1].split("\n## ")[0]
    assert EDITED in section and RETRACTED not in section
    assert RETRACTED in markdown.split("## Timeline")[1]  # the log's history keeps it


def test_the_docx_carries_every_chart_of_the_report_as_a_picture(
    report: JsonDict, docx: DocumentObject
) -> None:
    charts = report["charts"]
    assert charts, "the tutorial's report has charts"
    headings = [p.text for p in docx.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert "Appendix C: Exercise Data" in headings
    drawn = [c for c in charts if c["kind"] != "network" or c["moves"]]
    assert len(docx.inline_shapes) == len(drawn) > 0
    for chart in charts:
        assert any(h.startswith(chart["title"]) for h in headings), chart["title"]
