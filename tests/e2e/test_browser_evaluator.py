"""An evaluator records, edits and retracts observations and rates an objective in Chromium; the
facilitator sees them; the AAR/IP downloaded as DOCX holds the observation and the rating."""

from __future__ import annotations

from typing import Any

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, DemoServer
from tests.e2e.test_browser_move import open_seat

pytestmark = [pytest.mark.browser]

FIRST = "JPN assessed the IGS-Optical 8 conjunction at once"
EDITED = "JPN assessed the conjunction but manoeuvred before asking USA for a precise track"
WRONG = "GBR ignored the Skynet jamming"


def record(page: Page, text: str, **selects: str) -> None:
    for field, value in selects.items():
        page.get_by_test_id(f"observation-{field}").select_option(value)
    page.get_by_test_id("observation-text").fill(text)
    page.get_by_test_id("observation-submit").click()


def row_of(page: Page, text: str) -> Any:
    return page.locator("[data-testid^='observation-row-OBS-']").filter(has_text=text)


def test_an_evaluator_records_edits_retracts_rates_and_downloads_the_aar_ip(
    demo_server: DemoServer, browser: Any
) -> None:
    errors: list[str] = []
    white = open_seat(browser, demo_server.links["White Cell"], errors)
    white.get_by_test_id("start-exercise").click()
    expect(white.get_by_test_id("move-indicator")).to_have_text("Move 1 / 4")
    page = open_seat(browser, demo_server.links["Evaluator"], errors)
    expect(page.get_by_test_id("evaluator-page")).to_be_visible()
    # The evaluation guides: one per objective, with its critical tasks.
    expect(page.locator("[data-testid^='eeg-obj-']")).to_have_count(5)
    expect(page.get_by_test_id("eeg-task-obj-safety-2")).to_contain_text("precise track")

    # Record an observation tied to an objective, a critical task, an inject and a nation.
    record(page, FIRST, objective="obj-safety", task="1", inject="inj-002", nation="JPN", rating="S")
    row = row_of(page, FIRST)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("obj-safety · task 1 · inj-002 · JPN")
    expect(page.get_by_test_id("eeg-task-obj-safety-1")).to_contain_text("1 obs.")

    # Edit it: the form takes its content; the list shows the new text, once edited.
    row.locator("[data-testid^='observation-edit-']").click()
    expect(page.get_by_test_id("observation-text")).to_have_value(FIRST)
    page.get_by_test_id("observation-task").select_option("2")
    page.get_by_test_id("observation-rating").select_option("M")
    page.get_by_test_id("observation-text").fill(EDITED)
    page.get_by_test_id("observation-submit").click()
    edited = row_of(page, EDITED)
    expect(edited).to_contain_text("edited once")
    expect(edited).to_contain_text("task 2")
    expect(row_of(page, FIRST)).to_have_count(0)

    # Record another and retract it: it leaves the list, and shows struck out on demand.
    record(page, WRONG, objective="obj-satcom", task="", inject="", nation="GBR", rating="U")
    wrong = row_of(page, WRONG)
    expect(wrong).to_have_count(1)
    wrong.locator("[data-testid^='observation-retract-OBS-']").click()
    page.get_by_test_id("observation-retract-reason").fill("misread the log")
    page.get_by_test_id("observation-retract-confirm").click()
    expect(row_of(page, WRONG)).to_have_count(0)
    page.get_by_test_id("observation-show-retracted").check()
    expect(row_of(page, WRONG)).to_have_attribute("data-retracted", "true")
    expect(row_of(page, WRONG)).to_contain_text("Retracted: misread the log")

    # Rate the objective: the final rating replaces the provisional one.
    expect(page.get_by_test_id("rating-final-objective-obj-safety")).to_contain_text("provisional M")
    page.get_by_test_id("rating-select-objective-obj-safety").select_option("M")
    page.get_by_test_id("rating-save-objective-obj-safety").click()
    expect(page.get_by_test_id("rating-final-objective-obj-safety")).to_contain_text("M by evaluator")
    # An evaluator sends no white-cell command: the page offers none.
    expect(page.get_by_test_id("start-exercise")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "evaluator.png"), full_page=True)

    # The facilitator's Observations view lists them too, with the edit history's result.
    facilitator = open_seat(browser, demo_server.links["Facilitator"], errors)
    expect(row_of(facilitator, EDITED)).to_have_count(1)
    expect(row_of(facilitator, EDITED).locator("[data-testid^='observation-edit-']")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_test_id("aar-docx").click()
    path = ARTIFACTS / "aar-ip.docx"
    download_info.value.save_as(str(path))
    document = Document(str(path))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert EDITED in cells and FIRST not in cells and WRONG not in cells
    assert "Rating: M (Performed with major challenges): final rating by evaluator" in paragraphs
    assert document.sections[0].header.paragraphs[0].text == "EXERCISE EXERCISE EXERCISE - UNCLASSIFIED"
    assert errors == []
