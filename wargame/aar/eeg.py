"""Exercise Evaluation Guides: one form per objective (capability, critical tasks, space for
observations and the rating), generated from the scenario's objectives, as JSON and DOCX."""

from __future__ import annotations

from typing import Any

from docx.shared import Cm

from wargame.aar.docx_layout import add_labelled, add_table, new_document, to_bytes
from wargame.domain.evaluation import RATING_WORDS, objective_capabilities, rating_key
from wargame.domain.state import ExerciseState

JsonDict = dict[str, Any]

BLANK_LINES = 6
"""Empty rows under each form for handwritten observations."""
FILL_IN = "_" * 40
EEG_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def evaluation_guides(state: ExerciseState) -> JsonDict:
    """The EEGs of the exercise: per objective its text, core capability, mission areas, numbered
    critical tasks, the standing observations recorded against it (by task) and its final rating."""
    evaluation = state.evaluation
    standing = [o for o in evaluation.observations.values() if not o.retracted]
    guides = []
    for number, objective in enumerate(state.scenario.objectives, start=1):
        mine = [o for o in standing if o.objective_id == objective.id]
        final = evaluation.ratings.get(rating_key("objective", objective.id))
        guides.append({
            "number": number,
            "objective_id": objective.id,
            "objective": objective.text,
            "capability": objective.capability,
            "capabilities": objective_capabilities(objective),
            "mission_areas": [a.value for a in objective.mission_areas],
            "nations": list(objective.nations),
            "critical_tasks": [
                {"number": k, "text": text, "observations": [o.observation_id for o in mine if o.task == k]}
                for k, text in enumerate(objective.criteria, start=1)
            ],
            "observations": [o.model_dump(mode="json") for o in mine],
            "rating": final.rating if final is not None else None,
            "rating_rationale": final.rationale if final is not None else "",
        })
    return {
        "exercise_id": state.exercise_id,
        "title": state.title,
        "marking": state.scenario.marking,
        "ratings": RATING_WORDS,
        "guides": guides,
    }


def export_eeg_docx(guides: JsonDict) -> bytes:
    """The EEGs as a Word document: one objective per page, with blank space to write in."""
    title = f"{guides['title']}: Exercise Evaluation Guides"
    doc = new_document(guides["marking"], title, "Exercise Evaluation Guide")
    doc.add_paragraph(guides["title"], style="Title")
    doc.add_paragraph("Exercise Evaluation Guides", style="Subtitle")
    doc.add_paragraph(
        "One guide per exercise objective. Record what you observe against each critical task, tie "
        "each observation to an inject and a nation where relevant, and rate the objective: "
        + "; ".join(f"{k}: {v}" for k, v in guides["ratings"].items()) + "."
    )
    for guide in guides["guides"]:
        doc.add_page_break()
        doc.add_heading(f"Objective {guide['number']} ({guide['objective_id']})", level=1)
        doc.add_paragraph(guide["objective"])
        add_labelled(doc, "Core capability", "; ".join(guide["capabilities"]) or "-")
        add_labelled(doc, "Mission areas", ", ".join(guide["mission_areas"]) or "-")
        if guide["nations"]:
            add_labelled(doc, "Nations evaluated", ", ".join(guide["nations"]))
        doc.add_heading("Critical tasks", level=2)
        tasks = [(t["number"], t["text"], "") for t in guide["critical_tasks"]]
        if tasks:
            add_table(doc, ("Task", "Critical task", "Observed (time, inject, nation, what was done)"), tasks)
        else:
            doc.add_paragraph("No critical tasks are written for this objective.")
        if guide["observations"]:
            doc.add_heading("Observations recorded so far", level=2)
            add_table(doc, ("Id", "Task", "Inject", "Nation", "Rating", "Observation"), [
                (o["observation_id"], o["task"], o["inject_id"], o["nation"], o["rating"], o["text"])
                for o in guide["observations"]
            ])
        doc.add_heading("Evaluator observations", level=2)
        blank = add_table(doc, ("Time", "Task", "Inject / nation", "Observation"), [(" ",) * 4] * BLANK_LINES)
        for row in blank.rows[1:]:
            row.height = Cm(1.2)
        doc.add_heading("Rating", level=2)
        add_table(doc, ("Rating", "Meaning", "Mark one"), [
            (k, v, "X" if guide["rating"] == k else "") for k, v in guides["ratings"].items()
        ])
        add_labelled(doc, "Rationale", guide["rating_rationale"] or FILL_IN)
        add_labelled(doc, "Evaluator name and date", FILL_IN)
    return to_bytes(doc)
