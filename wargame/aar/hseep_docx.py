"""The AAR/IP as a Word document in the HSEEP layout (title page, executive summary, overview,
analysis of capabilities, improvement plan, participants), the marking on every page."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH

from wargame.aar.docx_layout import (
    DASH,
    add_bullets,
    add_labelled,
    add_table,
    date_range,
    landscape_section,
    long_date,
    new_document,
    to_bytes,
)
from wargame.aar.hseep import RATINGS
from wargame.domain.evaluation import RATING_WORDS

JsonDict = dict[str, Any]

TITLE = "After-Action Report / Improvement Plan"
PLAN_HEADERS = (
    "Core Capability", "Issue / Area for Improvement", "Corrective Action", "Capability Element",
    "Primary Responsible Organization", "Organization POC", "Start Date", "Completion Date",
)
OBSERVATION_HEADERS = (
    "Id", "Move", "Critical task", "Inject", "Nation", "Rating", "Observation", "Evaluator",
)


def export_docx(report: JsonDict) -> bytes:
    """The report's AAR/IP (`report["aar_ip"]`) as a .docx document."""
    aar = report["aar_ip"]
    overview = aar["overview"]
    doc = new_document(aar["marking"], f"{overview['name']}: {TITLE}", TITLE)
    _title_page(doc, aar)
    _executive_summary(doc, aar)
    _exercise_overview(doc, aar)
    _analysis(doc, aar)
    _improvement_plan(doc, aar["improvement_plan"])
    _participants(doc, aar["participants"])
    _charts(doc, report.get("charts") or [])
    return to_bytes(doc)


CHART_WIDTH_INCHES = 6.0


def _charts(doc: DocumentObject, charts: Sequence[JsonDict]) -> None:
    """Appendix C: the report's charts (wargame.aar.charts) as pictures; a sharing network as
    of its last move."""
    if not charts:
        return
    from docx.shared import Inches

    from wargame.aar.chart_render import png

    doc.add_heading("Appendix C: Exercise Data", level=1)
    for chart in charts:
        network = chart["kind"] == "network"
        moves = [m["move"] for m in chart.get("moves") or []] if network else []
        last = moves[-1] if moves else None
        doc.add_heading(chart["title"] + (f" (move {last})" if last is not None else ""), level=2)
        if network and last is None:
            doc.add_paragraph("Nothing was released in this exercise.")
            continue
        doc.add_picture(io.BytesIO(png(chart, last)), width=Inches(CHART_WIDTH_INCHES))


def _conducted(dates: JsonDict) -> str:
    return date_range(dates.get("conducted_from"), dates.get("conducted_to"))


def _scenario_dates(dates: JsonDict) -> str:
    return date_range(dates.get("scenario_start"), dates.get("scenario_end"))


def _title_page(doc: DocumentObject, aar: JsonDict) -> None:
    overview = aar["overview"]
    doc.add_paragraph(overview["name"], style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(TITLE, style="Subtitle").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in (
        f"Conducted {_conducted(overview['dates'])}",
        f"Scenario time {_scenario_dates(overview['dates'])}",
        f"Sponsor: {overview['sponsor']}" if overview.get("sponsor") else "",
    ):
        if line:
            doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    head = aar.get("log_head")
    if head and head.get("hash"):
        doc.add_paragraph(
            f"Built from the event log of exercise {overview['exercise_id']} up to event {head['seq']} "
            f"(hash {head['hash']})."
        ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading("Handling instructions", level=2)
    doc.add_paragraph(
        f"This document is marked {aar['marking']}. Handle, store and release it as that marking "
        "requires. It records the exercise's objectives, the evaluators' observations and ratings, "
        "and the improvement plan agreed from them."
    )
    doc.add_page_break()


def _rating_text(rating: JsonDict) -> str:
    if rating["rating"] is None:
        return "Not rated"
    text = f"{rating['rating']} ({rating['words']})"
    if rating["source"] == "observation":
        return f"{text}: provisional, the {rating['label']} ({rating['observation_id']})"
    who = rating.get("by_member") or rating.get("by") or ""
    return f"{text}: final rating" + (f" by {who}" if who else "")


def _executive_summary(doc: DocumentObject, aar: JsonDict) -> None:
    overview, summary = aar["overview"], aar["summary"]
    doc.add_heading("Executive Summary", level=1)
    capabilities = "; ".join(overview["core_capabilities"]) or "none named"
    doc.add_paragraph(
        f"{overview['name']} was conducted {_conducted(overview['dates'])} ({overview['scope']}). "
        f"It exercised {summary['objectives']} objective(s) across these core capabilities: {capabilities}."
    )
    counts = ", ".join(f"{r}: {summary['objective_ratings'][r]}" for r in RATINGS)
    line = f"Objective ratings: {counts}; not rated: {summary['unrated']}."
    if summary["provisional"]:
        line += (f" {summary['provisional']} rating(s) are provisional: the latest observation's, "
                 "no final rating was given.")
    doc.add_paragraph(line)
    doc.add_heading("Major Strengths", level=2)
    strengths = [f"{s['text']} ({s['objective']})" for s in summary["strengths"]]
    add_bullets(doc, strengths, "No strengths recorded.")
    doc.add_heading("Primary Areas for Improvement", level=2)
    add_bullets(doc, [f"{a['number']} {a['title']} ({a['objective']})" for a in summary["afis"]],
                "No areas for improvement recorded.")


def _exercise_overview(doc: DocumentObject, aar: JsonDict) -> None:
    overview = aar["overview"]
    doc.add_heading("Exercise Overview", level=1)
    objectives = "\n".join(f"{k}. {o['text']}" for k, o in enumerate(overview["objectives"], start=1))
    nations = ", ".join(f"{n['name']} ({n['id']})" for n in aar["participants"]["nations"] if n.get("played"))
    scenario, dates = overview["scenario"], overview["dates"]
    rows = [
        ("Exercise Name", overview["name"]),
        ("Exercise Dates", f"{_conducted(dates)} (scenario time {_scenario_dates(dates)})"),
        ("Scope", overview["scope"]),
        ("Mission Area(s)", ", ".join(overview["mission_areas"]) or DASH),
        ("Core Capabilities", "; ".join(overview["core_capabilities"]) or DASH),
        ("Objectives", objectives or DASH),
        ("Scenario", f"{scenario.get('title') or scenario.get('id')}. {scenario.get('description') or ''}"),
        ("Sponsor", overview.get("sponsor") or DASH),
        ("Participating Organizations", nations or DASH),
    ]
    add_table(doc, ("Item", "Description"), rows)


def _analysis(doc: DocumentObject, aar: JsonDict) -> None:
    doc.add_heading("Analysis of Capabilities", level=1)
    doc.add_paragraph(
        "Each objective is aligned with the core capability it exercises and rated against its "
        "critical tasks. Ratings are the evaluators' final ratings; where none was given, the latest "
        "rated observation stands in and is marked provisional."
    )
    add_table(doc, ("Rating", "Meaning"), [(r, RATING_WORDS[r]) for r in RATINGS])
    doc.add_paragraph()
    doc.add_paragraph("Table 1. Summary of core capability performance", style="Caption")
    add_table(doc, ("Objective", "Core Capability", *RATINGS, "Source"), [
        (f"{o['number']}. {o['text']}", "; ".join(o["capabilities"]) or DASH,
         *["X" if o["rating"]["rating"] == r else "" for r in RATINGS], o["rating"]["label"])
        for o in aar["objectives"]
    ])
    doc.add_paragraph()
    doc.add_paragraph("Table 2. Core capability ratings", style="Caption")
    add_table(doc, ("Core Capability", "Objectives", "Rating", "Source"), [
        (c["capability"], ", ".join(c["objectives"]), c["rating"]["rating"] or "not rated",
         c["rating"]["label"])
        for c in aar["capabilities"]
    ])
    for objective in aar["objectives"]:
        _objective(doc, objective)


def _objective(doc: DocumentObject, o: JsonDict) -> None:
    doc.add_heading(f"Objective {o['number']}: {o['text']}", level=2)
    add_labelled(doc, "Core capability", "; ".join(o["capabilities"]) or DASH)
    if o["mission_areas"]:
        add_labelled(doc, "Mission areas", ", ".join(o["mission_areas"]))
    add_labelled(doc, "Rating", _rating_text(o["rating"]))
    if o["rating"].get("rationale"):
        add_labelled(doc, "Rationale", o["rating"]["rationale"])
    for m in o["measures"]:
        add_labelled(doc, f"{m['mission_area']} service", (
            f"{m['final_pct']} % of required at move {m['final_move']} "
            f"(lowest {m['lowest_pct']} % in move {m['lowest_move']})"
        ))
    doc.add_heading("Critical tasks", level=3)
    add_bullets(doc, [f"{t['number']}. {t['text']} ({len(t['observations'])} observation(s))"
                      for t in o["critical_tasks"]], "No critical tasks are written for this objective.")
    doc.add_heading("Strengths", level=3)
    add_bullets(doc, [s["text"] + _refs(s["observation_ids"]) for s in o["strengths"]], "None recorded.")
    doc.add_heading("Areas for Improvement", level=3)
    if not o["afis"]:
        doc.add_paragraph("None recorded.")
    for afi in o["afis"]:
        doc.add_heading(f"Area for Improvement {afi['number']}: {afi['title']}", level=4)
        for label, key in (("Observation", "observation"), ("Analysis", "analysis"),
                           ("Root cause", "root_cause"), ("Recommendation", "recommendation")):
            add_labelled(doc, label, afi[key] or "(not stated)")
        if afi["observation_ids"]:
            add_labelled(doc, "References", ", ".join(afi["observation_ids"]))
    doc.add_heading("Observations", level=3)
    if not o["observations"]:
        doc.add_paragraph("No observations recorded.")
        return
    add_table(doc, OBSERVATION_HEADERS, [
        (x["observation_id"], x["move"], x["task"], x["inject_id"], x["nation"], x["rating"], x["text"],
         _author(x) + (f" (edited {x['edits']}x)" if x["edits"] else ""))
        for x in o["observations"]
    ])


def _refs(ids: Sequence[str]) -> str:
    return f" (observations {', '.join(ids)})" if ids else ""


def _author(x: JsonDict) -> str:
    member = f"({x['author_member']})" if x.get("author_member") else ""
    return " ".join(p for p in (str(x.get("author") or ""), member) if p) or DASH


def _improvement_plan(doc: DocumentObject, plan: Sequence[JsonDict]) -> None:
    landscape_section(doc)
    doc.add_heading("Appendix A: Improvement Plan", level=1)
    doc.add_paragraph("The corrective actions agreed for each area for improvement, who is responsible, "
                      "and when they start and are due.")
    if not plan:
        doc.add_paragraph("No improvement items recorded.")
        return
    add_table(doc, PLAN_HEADERS, [
        (i["capability"], f"{i['afi_number']} {i['afi_title']}" if i.get("afi_number") else DASH,
         i["corrective_action"], (i.get("capability_element") or "").capitalize() or None, i["organisation"],
         i.get("poc") or None, long_date(i["start_date"]), long_date(i["end_date"]))
        for i in plan
    ])


def _participants(doc: DocumentObject, participants: JsonDict) -> None:
    doc.add_heading("Appendix B: Exercise Participants", level=1)
    doc.add_heading("Nations", level=2)
    add_table(doc, ("Nation", "Name", "Side", "Played"), [
        (n["id"], n["name"], n["side"], "yes" if n.get("played") else "no (white cell)")
        for n in participants["nations"]
    ])
    doc.add_heading("Seats", level=2)
    add_table(doc, ("Seat", "Named members"), [
        (s["label"], ", ".join(s["members"]) or "(unnamed link)") for s in participants["seats"]
    ])
