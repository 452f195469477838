"""The facilitator runs the value-of-sharing analysis of the tutorial played to the end, follows
its progress and reads the per-nation, per-move table, in the system's Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, DemoServer, require_frontend, start_demo, stop

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def tutorial_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A demo server of its own: this module plays its tutorial to the end."""
    require_frontend()
    process, server = start_demo(tmp_path_factory.mktemp("sharing"))
    yield server
    stop(process)


def open_seat(browser: Any, link: str, errors: list[str]) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page: Page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(link)
    expect(page.get_by_test_id("connection-state")).to_have_attribute("data-state", "connected")
    return page


def test_the_facilitator_runs_the_analysis_and_reads_the_deltas(
    tutorial_server: DemoServer, browser: Any
) -> None:
    errors: list[str] = []
    white = open_seat(browser, tutorial_server.links["White Cell"], errors)
    usa = open_seat(browser, tutorial_server.links["United States team"], errors)
    facilitator = open_seat(browser, tutorial_server.links["Facilitator"], errors)
    panel = facilitator.get_by_test_id("panel-sharing-value")
    expect(panel).to_contain_text("No analysis recorded yet.")

    white.get_by_test_id("start-exercise").click()
    expect(white.get_by_test_id("move-indicator")).to_have_text("Move 1 / 4")
    # USA releases its tracks REL GBR (the USA-GBR agreement: received at once).
    usa.get_by_test_id("release-kind").select_option("tracks")
    usa.get_by_test_id("release-marking").select_option("REL")
    usa.get_by_test_id("release-marking-nation-GBR").check()
    usa.get_by_test_id("release-submit").click()
    expect(usa.locator("[data-testid^='product-row-']")).to_have_count(1)
    for move in (1, 2, 3, 4):
        expect(white.get_by_test_id("move-indicator")).to_have_text(f"Move {move} / 4")
        white.get_by_test_id("advance-move").click()
    expect(facilitator.get_by_test_id("phase-indicator")).to_have_text("ended")

    # After the end: nobody sharing and USA's release withheld, without the per-release runs.
    facilitator.get_by_test_id("sharing-variant-all_full").uncheck()
    facilitator.get_by_test_id("sharing-variant-no_review").uncheck()
    facilitator.get_by_test_id("sharing-nation").select_option("USA")
    facilitator.get_by_test_id("sharing-variant-nation-withhold").check()
    facilitator.get_by_test_id("sharing-per-release").uncheck()
    facilitator.get_by_test_id("sharing-run").click()
    progress = facilitator.get_by_test_id("sharing-progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("data-phase", "done", timeout=180_000)
    expect(progress).to_have_attribute("data-total", "13")  # as played 5, nobody 4, USA withholding 4
    expect(facilitator.get_by_test_id("sharing-exact")).to_have_attribute("data-exact", "true")

    table = facilitator.get_by_test_id("sharing-table")
    expect(table).to_be_visible()
    rows = table.locator("[data-testid^='sharing-row-']")
    expect(rows).to_have_count(12)  # 4 moves x 3 nations
    # Nobody sharing: GBR, which held USA's tracks, holds fewer objects precisely in move 1.
    cell = facilitator.get_by_test_id("sharing-row-1-GBR").locator("td[data-metric='precise_custody']")
    expect(cell).to_have_text("12 (-16)")
    assert float(cell.get_attribute("data-delta") or "0") < 0
    facilitator.get_by_test_id("sharing-variant-select").select_option("withhold:USA")
    expect(cell).to_have_text("12 (-16)")  # USA's was the only release: the same as nobody sharing
    expect(facilitator.get_by_test_id("sharing-totals")).to_contain_text("USA releases nothing")
    expect(facilitator.get_by_test_id("sharing-bought")).to_contain_text("all of USA's releases")
    facilitator.screenshot(path=str(ARTIFACTS / "sharing-value.png"), full_page=True)
    assert errors == []
