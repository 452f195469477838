"""Regional Sentinel (9 nations, 5,090 objects) in the browser: two teams, the white cell and the
facilitator play two moves at once.

GBR releases its tracks to FRA, which has no standing agreement with it: FRA's page lists the
product in disclosure review during move 1, receiving from move 2, and its picture holds GBR's
tracks (shared or fused) once move 2 is adjudicated. GBR reloads its page in move 2 and gets the
same state back. The facilitator's timeline shows both advances; the white cell's picture panel
shows the ground truth of every object and any nation's picture.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, DemoServer, require_frontend, start_demo, stop

pytestmark = [pytest.mark.browser]

OBJECTS = 5_090
"""90 named objects and the 5,000-object background catalog of scenarios/regional-sentinel.yaml."""
SEATS = {
    "white": "White Cell",
    "facilitator": "Facilitator",
    "GBR": "United Kingdom team",
    "FRA": "France team",
}


@pytest.fixture(scope="module")
def regional_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    require_frontend()
    process, server = start_demo(
        tmp_path_factory.mktemp("regional"), ["--scenario", "regional-sentinel"], timeout_s=120
    )
    yield server
    stop(process)


def open_seat(browser: Any, link: str, errors: list[str]) -> Page:
    page: Page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(link)
    expect(page.get_by_test_id("connection-state")).to_have_attribute("data-state", "connected")
    return page


def source_count(page: Page, source: str) -> int:
    """Tracks of one source in the team's picture (0 when it holds none of that source)."""
    spans = page.get_by_test_id("track-count").locator(f"[data-source-count={source}]")
    return int(spans.first.get_attribute("data-count") or 0) if spans.count() else 0


def product_state(page: Page) -> list[tuple[str, str, str]]:
    """(label, marking, recipients) of each product the team releases."""
    rows = page.locator("[data-testid^='product-row-']")
    return [
        (
            rows.nth(i).locator("[data-testid^='product-label-']").inner_text(),
            rows.nth(i).locator("[data-testid^='product-marking-']").inner_text(),
            rows.nth(i).locator("[data-testid^='product-recipients-']").inner_text(),
        )
        for i in range(rows.count())
    ]


def wait_for_move(pages: dict[str, Page], move: int) -> None:
    for page in pages.values():
        expect(page.get_by_test_id("move-indicator")).to_have_text(f"Move {move} / 4", timeout=60_000)


def test_two_teams_share_through_review_over_two_moves(regional_server: DemoServer, browser: Any) -> None:
    errors: list[str] = []
    pages = {name: open_seat(browser, regional_server.links[label], errors) for name, label in SEATS.items()}
    try:
        play_two_moves(pages)
    except AssertionError:
        for name, page in pages.items():
            page.screenshot(path=str(ARTIFACTS / f"regional-failed-{name}.png"), full_page=True)
        raise
    assert errors == []


def play_two_moves(pages: dict[str, Page]) -> None:
    white, facilitator, gbr, fra = pages["white"], pages["facilitator"], pages["GBR"], pages["FRA"]
    expect(white.get_by_test_id("white-cell-page")).to_be_visible()
    expect(facilitator.get_by_test_id("facilitator-page")).to_be_visible()
    for page in pages.values():
        expect(page.get_by_test_id("marking-top")).to_have_text("EXERCISE EXERCISE EXERCISE - UNCLASSIFIED")

    white.get_by_test_id("start-exercise").click()
    wait_for_move(pages, 1)
    # Every team holds every object of the catalog from its start (the public catalog): the table
    # has as many rows as the resource's header says and the view's notice counts.
    for team in (gbr, fra):
        count = team.get_by_test_id("track-count")
        expect(count).to_have_attribute("data-total", str(OBJECTS), timeout=30_000)
        expect(count).to_have_attribute("data-held", str(OBJECTS))
        expect(count).to_have_attribute("data-move", "0")
    assert source_count(fra, "shared") + source_count(fra, "fused") == 0

    # GBR releases its tracks to FRA; the ruleset's disclosure review is one move.
    expect(gbr.get_by_test_id("release-review")).to_contain_text("1 move after it is released")
    gbr.get_by_test_id("release-kind").select_option("tracks")
    gbr.get_by_test_id("release-marking").select_option("REL")
    gbr.get_by_test_id("release-marking-nation-FRA").check()
    gbr.get_by_test_id("release-recipient-FRA").check()
    expect(gbr.get_by_test_id("release-review")).to_contain_text("FRA: move 2")
    gbr.get_by_test_id("release-submit").click()
    expect(gbr.locator("[data-testid^='product-row-']")).to_have_count(1)
    assert product_state(gbr) == [("tracks (all)", "REL FRA", "FRA from move 2")]
    received = fra.locator("[data-testid^='received-row-']")
    expect(received).to_have_count(1)
    expect(received).to_have_attribute("data-status", "in-review")
    expect(received).to_contain_text("United Kingdom (GBR)")
    expect(received.locator("[data-testid^='received-marking-']")).to_have_text("REL FRA")
    expect(received.locator("[data-testid^='received-effective-']")).to_have_text(
        "in disclosure review: reaches us in move 2"
    )
    for name, page in pages.items():
        page.screenshot(path=str(ARTIFACTS / f"regional-1-{name}.png"), full_page=True)

    white.get_by_test_id("advance-move").click()
    wait_for_move(pages, 2)
    expect(received).to_have_attribute("data-status", "receiving")
    expect(received.locator("[data-testid^='received-effective-']")).to_have_text(
        "fused into our picture when move 2 is adjudicated"
    )
    expect(fra.get_by_test_id("track-count")).to_have_attribute("data-move", "1", timeout=30_000)
    # Move 1 was adjudicated before FRA received anything.
    assert source_count(fra, "shared") + source_count(fra, "fused") == 0
    gbr_count = gbr.get_by_test_id("track-count")
    expect(gbr_count).to_have_attribute("data-move", "1", timeout=30_000)
    own_tracks = source_count(gbr, "own")
    assert own_tracks > 0

    # GBR reloads in move 2: the same move, products and picture come back.
    before = (product_state(gbr), gbr_count.get_attribute("data-total"), gbr_count.get_attribute("data-held"))
    gbr.reload()
    expect(gbr.get_by_test_id("player-page")).to_be_visible()
    expect(gbr.get_by_test_id("move-indicator")).to_have_text("Move 2 / 4")
    expect(gbr_count).to_have_attribute("data-move", "1", timeout=30_000)
    expect(gbr_count).to_have_attribute("data-total", str(OBJECTS))
    after = (product_state(gbr), gbr_count.get_attribute("data-total"), gbr_count.get_attribute("data-held"))
    assert after == before
    assert after[0] == [("tracks (all)", "REL FRA", "FRA since move 2")]
    assert source_count(gbr, "own") == own_tracks

    white.get_by_test_id("advance-move").click()
    wait_for_move(pages, 3)
    # Adjudicated with GBR's release in force: FRA's picture now holds GBR's tracks.
    expect(fra.get_by_test_id("track-count")).to_have_attribute("data-move", "2", timeout=30_000)
    assert source_count(fra, "shared") + source_count(fra, "fused") > 0
    expect(received.locator("[data-testid^='received-effective-']")).to_have_text(
        "fused into our picture since move 2"
    )
    fra_row = fra.locator("[data-testid^='track-row-']").first
    expect(fra_row).to_be_visible()

    # The facilitator's timeline lists both advances, with their moves.
    facilitator.get_by_test_id("timeline-filter-type").select_option("move_advanced")
    advances = facilitator.locator("[data-testid^='timeline-row-']")
    expect(advances).to_have_count(2)
    assert sorted(advances.nth(i).get_attribute("data-move") or "" for i in range(2)) == ["2", "3"]
    facilitator.get_by_test_id("timeline-filter-type").select_option("product_released")
    expect(facilitator.locator("[data-testid^='timeline-row-']")).to_contain_text("GBR released tracks")

    # The white cell sees the ground truth of every object, then what FRA holds.
    truth = white.get_by_test_id("truth-count")
    expect(truth).to_have_attribute("data-kind", "truth", timeout=30_000)
    expect(truth).to_have_attribute("data-move", "2")
    expect(truth).to_have_attribute("data-total", str(OBJECTS))
    white.get_by_test_id("truth-source").select_option("FRA")
    expect(truth).to_have_attribute("data-kind", "picture", timeout=30_000)
    expect(truth).to_have_attribute("data-total", white.get_by_test_id("picture-held-FRA").inner_text())
    cell = white.get_by_test_id("sharing-cell-GBR-FRA")
    expect(cell).to_contain_text(re.compile(r"tracks \(all\) full\s*REL FRA\s*m2"))
    for name, page in pages.items():
        page.screenshot(path=str(ARTIFACTS / f"regional-3-{name}.png"), full_page=True)
