"""Replay in the browser: on a tutorial played to the end, the facilitator picks a team and
scrubs to two points; what the page shows there is what /api/replay says that team held."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import ARTIFACTS, DemoServer
from wargame.ops.client import StreamClient, start_clients
from wargame.ops.game import play

pytestmark = [pytest.mark.browser]

TEAMS = {"USA": "United States team", "GBR": "United Kingdom team", "JPN": "Japan team"}


def token(link: str) -> str:
    return link.split("#seat=", 1)[1]


async def play_tutorial(server: DemoServer) -> None:
    """Start, then each move a coalition chat and a track release per team, to the end."""
    url = server.url.replace("http://", "ws://") + "/ws/exercise/"
    control = StreamClient([url], token(server.links["White Cell"]), reconnect=False)
    teams = {
        n: StreamClient([url], token(server.links[label]), reconnect=False) for n, label in TEAMS.items()
    }
    await start_clients([control, *teams.values()])
    try:
        await play(control, teams, 4, tag="replay")
    finally:
        for client in (control, *teams.values()):
            await client.stop()


def replay_api(server: DemoServer, seat: str, viewer: str, at: int | None = None) -> dict[str, Any]:
    query = f"viewer={viewer}" + (f"&at={at}" if at is not None else "")
    request = urllib.request.Request(
        f"{server.url}/api/replay?{query}", headers={"Authorization": f"Bearer {token(server.links[seat])}"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        document: dict[str, Any] = json.load(response)
    return document


def open_replay(browser: Any, link: str, errors: list[str]) -> tuple[Page, Locator]:
    page: Page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(link)
    expect(page.get_by_test_id("connection-state")).to_have_attribute("data-state", "connected")
    page.get_by_test_id("replay-open").click()
    return page, page.get_by_test_id("replay")


def shows(replay: Locator, doc: dict[str, Any]) -> None:
    """The replay panel shows the seat's view and ground truth of `doc`'s point."""
    status = replay.get_by_test_id("replay-status")
    expect(status).to_have_attribute("data-at", str(doc["at"]))
    expect(status).to_have_attribute("data-loading", "false")
    expect(status).to_have_attribute("data-viewer", doc["viewer"])
    expect(status).to_have_attribute("data-move", str(doc["move"]))
    expect(status).to_have_attribute("data-pos", str(doc["pos"]))
    received = doc["received"]["event"]["type"] if doc["received"] else ""
    expect(replay.get_by_test_id("replay-received")).to_have_attribute("data-type", received)
    view = doc["view"]
    seat = replay.get_by_test_id("replay-seat-view")
    if view["kind"] == "team":
        count = seat.get_by_test_id("track-count")
        held = view["picture"] or {"move": "", "held": 0}
        expect(count).to_have_attribute("data-move", str(held["move"]))
        expect(count).to_have_attribute("data-total", str(held["held"]))
        expect(seat.locator("[data-testid^='product-row-']")).to_have_count(len(view["products"]))
        expect(seat.locator("[data-testid^='received-row-']")).to_have_count(len(view["received"]))
        expect(seat.locator("[data-testid^='assessment-']")).to_have_count(len(view["assessments"]))
        expect(seat.get_by_test_id("release-submit")).to_have_count(0)  # read-only
    injects = seat.get_by_test_id("inject-feed").locator(":scope > li.inject:not(.forwarded)")
    expect(injects).to_have_count(len(view["injects"]))
    truth = replay.get_by_test_id("replay-truth").get_by_test_id("truth-count")
    url = doc["truth_url"]
    expect(truth).to_have_attribute("data-kind", "truth" if url else "")
    expect(truth).to_have_attribute("data-move", parse_qs(urlparse(url).query)["move"][0] if url else "")


def test_the_facilitator_scrubs_a_team_through_the_played_tutorial(
    demo_server: DemoServer, browser: Any
) -> None:
    with ThreadPoolExecutor(1) as thread:  # Playwright's own loop runs in this one
        thread.submit(asyncio.run, play_tutorial(demo_server)).result(timeout=600)
    end = replay_api(demo_server, "Facilitator", "team:USA")
    last, markers = end["last_seq"], end["markers"]
    assert end["view"]["phase"] == "ended" and end["at"] == last
    assert [m["type"] for m in markers] == ["exercise_started", *["move_advanced"] * 3, "exercise_ended"]

    errors: list[str] = []
    page, replay = open_replay(browser, demo_server.links["Facilitator"], errors)
    replay.get_by_test_id("replay-seat").select_option("team:USA")
    expect(replay.get_by_test_id("replay-status")).to_have_attribute("data-at", str(last))

    # A move marker: the start of move 2, when USA held its picture after move 1.
    move2 = next(m["seq"] for m in markers if m["type"] == "move_advanced" and m["move"] == 2)
    replay.get_by_test_id(f"replay-marker-{move2}").click()
    first = replay_api(demo_server, "Facilitator", "team:USA", move2)
    assert first["view"]["move"] == 2 and first["view"]["picture"]["move"] == 1
    shows(replay, first)
    page.screenshot(path=str(ARTIFACTS / "replay-1-move-2.png"), full_page=True)

    # The scrubber, into move 3 (after its releases); then a step back one event.
    move3 = next(m["seq"] for m in markers if m["type"] == "move_advanced" and m["move"] == 3)
    point = move3 + 6
    replay.get_by_test_id("replay-scrubber").fill(str(point))
    second = replay_api(demo_server, "Facilitator", "team:USA", point)
    assert second["view"]["move"] == 3 and second["view"]["picture"]["move"] == 2
    assert len(second["view"]["products"]) > len(first["view"]["products"])  # a release a move
    shows(replay, second)
    replay.get_by_test_id("replay-previous").click()
    shows(replay, replay_api(demo_server, "Facilitator", "team:USA", point - 1))
    page.screenshot(path=str(ARTIFACTS / "replay-2-move-3.png"), full_page=True)

    # Another seat at the same point: the observer sees public facts only.
    replay.get_by_test_id("replay-seat").select_option("observer")
    shows(replay, replay_api(demo_server, "Facilitator", "observer", point - 1))
    assert errors == []

    # The white cell has it too.
    white, white_replay = open_replay(browser, demo_server.links["White Cell"], errors)
    white_replay.get_by_test_id("replay-seat").select_option("team:JPN")
    white_replay.get_by_test_id("replay-first").click()
    shows(white_replay, replay_api(demo_server, "White Cell", "team:JPN", 1))
    white_replay.get_by_test_id("replay-next-move").click()
    started = next(m["seq"] for m in markers if m["type"] == "exercise_started")
    shows(white_replay, replay_api(demo_server, "White Cell", "team:JPN", started))
    white.screenshot(path=str(ARTIFACTS / "replay-3-white-cell.png"), full_page=True)
    assert errors == []
