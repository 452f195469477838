"""Requests on the team and white-cell pages in the system's Chromium: USA drafts a joint
statement naming GBR and JPN, JPN refuses with a reason, USA amends, both consent and every team
sees it issued; USA's RFI is answered by the white cell."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, DemoServer
from tests.e2e.test_browser_move import open_seat

pytestmark = [pytest.mark.browser]

SEATS = {
    "white": "White Cell",
    "USA": "United States team",
    "GBR": "United Kingdom team",
    "JPN": "Japan team",
}


def row_id(page: Page, prefix: str) -> str:
    """The id in the testid of the first row whose testid starts with `prefix`."""
    testid = page.locator(f"[data-testid^='{prefix}']").first.get_attribute("data-testid")
    assert testid is not None
    return testid.removeprefix(prefix)


def test_a_statement_refused_then_issued_and_an_rfi_answered(demo_server: DemoServer, browser: Any) -> None:
    errors: list[str] = []
    pages = {name: open_seat(browser, demo_server.links[label], errors) for name, label in SEATS.items()}
    white, usa, gbr, jpn = pages["white"], pages["USA"], pages["GBR"], pages["JPN"]
    white.get_by_test_id("start-exercise").click()
    for page in pages.values():
        expect(page.get_by_test_id("phase-indicator")).to_have_text("running")

    usa.get_by_test_id("statement-text").fill("We condemn the jamming by RED.")
    usa.get_by_test_id("statement-cosigner-GBR").check()
    usa.get_by_test_id("statement-cosigner-JPN").check()
    usa.get_by_test_id("statement-send").click()
    expect(jpn.locator("[data-testid^='statement-row-']")).to_have_count(1)
    sid = row_id(jpn, "statement-row-")
    jpn.get_by_test_id(f"statement-reason-{sid}").fill("name no state")
    jpn.get_by_test_id(f"statement-refuse-{sid}").click()
    expect(usa.get_by_test_id(f"statement-row-{sid}")).to_have_attribute("data-status", "returned")
    expect(usa.get_by_test_id(f"statement-row-{sid}")).to_contain_text("JPN refused v1: name no state")
    usa.get_by_test_id(f"statement-amend-text-{sid}").fill("We condemn the jamming.")
    usa.get_by_test_id(f"statement-amend-{sid}").click()
    expect(jpn.get_by_test_id(f"statement-consent-{sid}")).to_be_visible()
    jpn.get_by_test_id(f"statement-consent-{sid}").click()
    gbr.get_by_test_id(f"statement-consent-{sid}").click()
    for page in (usa, gbr, jpn):
        issued = page.get_by_test_id("statements-issued")
        expect(issued).to_contain_text("We condemn the jamming.")
        expect(issued.get_by_test_id(f"statement-row-{sid}")).to_have_attribute("data-status", "issued")

    usa.get_by_test_id("ask-text").fill("Who owns the inspector?")
    usa.get_by_test_id("ask-send").click()
    expect(white.locator("[data-testid^='ask-row-']")).to_have_count(1)
    rid = row_id(white, "ask-row-")
    expect(gbr.get_by_test_id(f"ask-row-{rid}")).to_have_count(0)
    white.get_by_test_id(f"ask-answer-{rid}").fill("RED, per the intel cell")
    white.get_by_test_id(f"ask-approve-{rid}").click()
    expect(usa.get_by_test_id(f"ask-row-{rid}")).to_have_attribute("data-status", "approved")
    expect(usa.get_by_test_id(f"ask-row-{rid}")).to_contain_text("RED, per the intel cell")
    for name, page in pages.items():
        page.screenshot(path=str(ARTIFACTS / f"requests-{name}.png"), full_page=True)
    assert errors == []
