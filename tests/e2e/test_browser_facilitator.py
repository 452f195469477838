"""The facilitator on a tutorial played to the end: grouped timeline rows collapse and expand, the
seat filter shows a team's own projected view, charts draw on canvases; the white cell's Monte
Carlo preview draws its histograms."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.conftest import ARTIFACTS, REPO, DemoServer

pytestmark = [pytest.mark.browser]

CHART_FIXTURE = REPO / "frontend" / "fixtures" / "aar-charts.json"
"""report.charts of the contract (wargame/aar/charts.py), used while the report carries none."""


def open_seat(browser: Any, link: str, errors: list[str], charts: bool = False) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page: Page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if charts:
        page.route("**/api/aar?format=json*", with_charts)
    page.goto(link)
    expect(page.get_by_test_id("connection-state")).to_have_attribute("data-state", "connected")
    return page


def with_charts(route: Route) -> None:
    """The real report; its charts, or the contract's fixture charts when it has none yet."""
    response = route.fetch()
    report = response.json()
    if not report.get("charts"):
        report["charts"] = json.loads(Path(CHART_FIXTURE).read_text(encoding="utf-8"))["charts"]
    route.fulfill(response=response, json=report)


def play_to_the_end(white: Page) -> None:
    white.get_by_test_id("start-exercise").click()
    expect(white.get_by_test_id("move-indicator")).to_have_text("Move 1 / 4")
    # The Monte Carlo preview of a jamming inject, drawn as histograms.
    white.get_by_test_id("preview-inject").select_option("inj-003")
    white.get_by_test_id("preview-samples").fill("400")
    white.get_by_test_id("preview-run").click()
    hits = white.get_by_test_id("chart-preview-hits")
    expect(hits).to_have_attribute("data-state", "ready")
    expect(hits).to_contain_text("Targets hit (400 samples)")
    expect(hits.locator("canvas")).to_have_count(1)
    expect(white.get_by_test_id("chart-preview-escalation").locator("canvas")).to_have_count(1)
    white.get_by_test_id("preview-histograms").screenshot(path=str(ARTIFACTS / "preview-histograms.png"))
    for move in (1, 2, 3, 4):
        expect(white.get_by_test_id("advance-move")).to_be_enabled(timeout=60_000)
        white.get_by_test_id("advance-move").click()
        if move < 4:
            indicator = white.get_by_test_id("move-indicator")
            expect(indicator).to_have_text(f"Move {move + 1} / 4", timeout=60_000)
    expect(white.get_by_test_id("phase-indicator")).to_have_text("ended", timeout=60_000)


def test_facilitator_groups_the_timeline_switches_seats_and_draws_charts(
    demo_server: DemoServer, browser: Any
) -> None:
    errors: list[str] = []
    white = open_seat(browser, demo_server.links["White Cell"], errors)
    play_to_the_end(white)

    page = open_seat(browser, demo_server.links["Facilitator"], errors, charts=True)
    expect(page.get_by_test_id("facilitator-page")).to_be_visible()
    count = page.get_by_test_id("timeline-count")
    expect(count).to_have_attribute("data-viewer", "facilitator")
    truth_events = int(count.get_attribute("data-events") or 0)
    assert int(count.get_attribute("data-groups") or 0) < truth_events

    # A move's three pictures are one row that expands to its events and collapses again.
    group = page.locator("[data-testid^='timeline-group-picture_updated@']").first
    expect(group).to_have_attribute("data-count", "3")
    expect(group).to_contain_text("3 pictures updated, move")
    key = (group.get_attribute("data-testid") or "").removeprefix("timeline-group-")
    members = page.locator(f"[data-group='{key}']")
    expect(members).to_have_count(0)
    page.get_by_test_id(f"timeline-toggle-{key}").click()
    expect(group).to_have_attribute("data-expanded", "true")
    expect(members).to_have_count(3)
    for nation in ("USA", "GBR", "JPN"):
        expect(members.filter(has_text=f"{nation} picture updated")).to_have_count(1)
    page.get_by_test_id("panel-timeline").screenshot(path=str(ARTIFACTS / "facilitator-timeline-grouped.png"))
    page.get_by_test_id(f"timeline-toggle-{key}").click()
    expect(members).to_have_count(0)

    # Seen by JPN: JPN's projected timeline, its own pictures only, nothing control-only.
    page.get_by_test_id("timeline-seat").select_option("team:JPN")
    expect(count).to_have_attribute("data-viewer", "team:JPN")
    jpn_events = int(count.get_attribute("data-events") or 0)
    assert 0 < jpn_events < truth_events
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator("[data-type='move_adjudicated']")).to_have_count(0)
    expect(timeline.locator("[data-type='exercise_created']")).to_have_count(0)
    expect(timeline.locator("[data-type='picture_updated']").first).to_contain_text("JPN picture updated")
    expect(timeline.locator("[data-type='picture_updated']").filter(has_text="USA picture")).to_have_count(0)
    # Filtered to pictures and every row expanded: JPN's own pictures, one per row.
    page.get_by_test_id("timeline-filter-type").select_option("picture_updated")
    expect(timeline.locator("[data-type]:not([data-type='picture_updated'])")).to_have_count(0)
    page.get_by_test_id("timeline-expand-all").click()
    rows = timeline.locator("[data-testid^='timeline-row-']")
    expect(rows).to_have_count(int(count.get_attribute("data-events") or 0))
    expect(rows.filter(has_not_text="JPN picture updated")).to_have_count(0)
    assert rows.count() >= 5  # the first picture and one per move
    page.get_by_test_id("timeline-seat").select_option("facilitator")
    expect(count).to_have_attribute("data-viewer", "facilitator")
    expect(timeline.locator("[data-testid^='timeline-group-picture_updated@']")).not_to_have_count(0)

    # Charts: every chart of the report draws on a canvas; the network steps through its moves.
    charts = page.get_by_test_id("panel-charts")
    expect(charts.locator("figure.chart[data-state='ready']").first).to_be_visible()
    expect(charts.locator("canvas").first).to_be_visible()
    assert charts.locator("canvas").count() >= 1
    network = charts.locator("figure.chart[data-kind='network']").first
    expect(network.locator("canvas")).to_have_count(1)
    network.locator("input[type='range']").fill("0")
    expect(network.locator("output")).to_contain_text("release")
    charts.screenshot(path=str(ARTIFACTS / "facilitator-charts.png"))
    assert errors == []
