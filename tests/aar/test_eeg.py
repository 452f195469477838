"""Exercise Evaluation Guides generated from the tutorial's objectives and critical tasks."""

from __future__ import annotations

import io

from docx import Document

from tests.aar.tutorial_evaluated import EDITED, EXERCISE, RETRACTED, play
from wargame.aar.eeg import BLANK_LINES, evaluation_guides, export_eeg_docx


def test_one_guide_per_objective_with_its_critical_tasks_observations_and_rating() -> None:
    game = play()
    guides = evaluation_guides(game.service.state(EXERCISE))
    assert guides["marking"] == "EXERCISE EXERCISE EXERCISE - UNCLASSIFIED"
    assert [g["objective_id"] for g in guides["guides"]] == [
        "obj-custody",
        "obj-satcom",
        "obj-safety",
        "obj-sharing",
        "obj-attribution",
    ]
    safety = guides["guides"][2]
    assert (safety["number"], safety["capability"], safety["mission_areas"]) == (
        3,
        "Spaceflight Safety",
        ["SSA", "ISR"],
    )
    assert [t["number"] for t in safety["critical_tasks"]] == [1, 2, 3]
    assert safety["critical_tasks"][0]["text"].startswith("Each conjunction is assessed against the CARA")
    (observation,) = safety["observations"]
    assert observation["text"] == EDITED and safety["critical_tasks"][1]["observations"] == [
        observation["observation_id"]
    ]
    assert safety["rating"] == "M"
    satcom = guides["guides"][1]
    assert RETRACTED not in [o["text"] for o in satcom["observations"]]
    assert guides["ratings"]["U"] == "Unable to be performed"

    document = Document(io.BytesIO(export_eeg_docx(guides)))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [
        f"Objective {k} ({g['objective_id']})" for k, g in enumerate(guides["guides"], start=1)
    ]
    assert document.sections[0].header.paragraphs[0].text == guides["marking"]
    task_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Task"]
    assert [len(t.rows) - 1 for t in task_tables] == [3, 3, 3, 2, 3]
    blank = [t for t in document.tables if t.rows[0].cells[0].text == "Time"]
    assert len(blank) == 5 and all(len(t.rows) == BLANK_LINES + 1 for t in blank)
    ratings = [t for t in document.tables if t.rows[0].cells[-1].text == "Mark one"]
    assert [r.cells[2].text for r in ratings[2].rows[1:]] == ["", "", "X", ""]
