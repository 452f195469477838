"""The white cell holds, lifts the hold on, retimes, edits and skips a scheduled inject from the
tutorial's MSEL panel in the system's Chromium, and the panel shows each state change."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, DemoServer

pytestmark = [pytest.mark.browser]

INJECT = "inj-003"
"""The tutorial's time-triggered inject planned for move 2 at +1.0 h."""
REASON = "Control wants the jamming after the storm"


def test_hold_lift_retime_edit_and_skip_from_the_msel(demo_server: DemoServer, browser: Any) -> None:
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    white: Page = context.new_page()
    white.on("pageerror", lambda exc: errors.append(str(exc)))
    white.goto(demo_server.links["White Cell"])
    expect(white.get_by_test_id("connection-state")).to_have_attribute("data-state", "connected")
    white.get_by_test_id("start-exercise").click()
    expect(white.get_by_test_id("move-indicator")).to_have_text("Move 1 / 4")

    state = white.get_by_test_id(f"msel-state-{INJECT}")
    row = white.get_by_test_id(f"msel-row-{INJECT}")
    expect(state).to_have_text("as planned")
    white.get_by_test_id(f"msel-control-{INJECT}").click()
    hold = white.get_by_test_id(f"msel-hold-{INJECT}")
    expect(hold).to_be_disabled()  # no reason yet
    white.get_by_test_id(f"msel-reason-{INJECT}").fill("short")
    expect(hold).to_be_disabled()  # a reason has at least 8 characters
    white.get_by_test_id(f"msel-reason-{INJECT}").fill(REASON)
    hold.click()
    expect(state).to_have_text("held")
    expect(white.get_by_test_id(f"msel-hold-{INJECT}")).to_have_count(0)
    white.screenshot(path=str(ARTIFACTS / "msel-control-held.png"), full_page=True)

    white.get_by_test_id(f"msel-reason-{INJECT}").fill(REASON)
    white.get_by_test_id(f"msel-lift-{INJECT}").click()
    expect(state).to_have_text("as planned")
    expect(white.get_by_test_id(f"msel-hold-{INJECT}")).to_be_visible()

    white.get_by_test_id(f"msel-reason-{INJECT}").fill(REASON)
    white.get_by_test_id(f"msel-retime-move-{INJECT}").fill("3")
    white.get_by_test_id(f"msel-retime-offset-{INJECT}").fill("2.5")
    white.get_by_test_id(f"msel-retime-{INJECT}").click()
    expect(state).to_have_text("retimed (planned move 2 +1.0 h)")
    expect(row.locator("td.num").nth(1)).to_have_text("3")
    expect(row.locator("td.num").nth(2)).to_have_text("2.5")

    # A retime into a move already open is refused, and the server's reason shows by the form.
    white.get_by_test_id(f"msel-reason-{INJECT}").fill(REASON)
    white.get_by_test_id(f"msel-retime-move-{INJECT}").fill("1")
    white.get_by_test_id(f"msel-retime-{INJECT}").click()
    expect(white.get_by_test_id(f"msel-control-error-{INJECT}")).to_contain_text("move 1 has opened already")
    expect(state).to_have_text("retimed (planned move 2 +1.0 h)")
    white.screenshot(path=str(ARTIFACTS / "msel-control-retimed.png"), full_page=True)

    # Edit a title, then skip: the row shows both, and a skipped inject has no controls left.
    white.get_by_test_id(f"msel-reason-{INJECT}").fill(REASON)
    white.get_by_test_id(f"msel-edit-title-{INJECT}").fill("Uplink jamming, later")
    white.get_by_test_id(f"msel-edit-{INJECT}").click()
    expect(state).to_contain_text("edited (title)")
    expect(row.locator("th")).to_contain_text("Uplink jamming, later")
    white.get_by_test_id(f"msel-reason-{INJECT}").fill(REASON)
    white.get_by_test_id(f"msel-skip-{INJECT}").click()
    expect(state).to_contain_text("skipped")
    expect(white.get_by_test_id(f"msel-control-{INJECT}")).to_have_count(0)
    assert errors == []
    context.close()
