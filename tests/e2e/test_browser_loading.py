"""A page that cannot load says why; presence, markings and the map without WebGL.

The websocket is routed through Playwright: either to a scripted fake server (to produce a
protocol mismatch, an oversized message, an unreadable snapshot) or to the real server with a
message rewritten on the way (an exercise marking the server does not send yet).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.e2e.conftest import CHROMIUM, NO_WEBGL_ARGS, DemoServer

pytestmark = [pytest.mark.browser]

WS = re.compile(r"/ws/exercise/")
WELCOME = {
    "type": "welcome", "protocol": 1, "exercise_id": "x1", "viewer": "team:USA", "role": "player",
    "nation": "USA", "label": "USA",
}
MARKING = "EXERCISE EXERCISE EXERCISE - UNCLASSIFIED"


def scripted(page: Page, on_hello: Callable[[WebSocketRoute], None]) -> None:
    """Answer the page's websocket with a fake server that runs `on_hello` after the hello."""

    def handler(ws: WebSocketRoute) -> None:
        def message(text: str | bytes) -> None:
            if json.loads(text).get("type") == "hello":
                on_hello(ws)

        ws.on_message(message)

    page.route_web_socket(WS, handler)


def new_page(browser: Any) -> Page:
    return browser.new_context(viewport={"width": 1280, "height": 900}).new_page()


def test_a_protocol_mismatch_is_named(demo_server: DemoServer, browser: Any) -> None:
    page = new_page(browser)
    scripted(page, lambda ws: ws.send(json.dumps({**WELCOME, "protocol": 2})))
    page.goto(demo_server.links["United States team"])
    expect(page.get_by_test_id("load-error")).to_contain_text(
        "Protocol mismatch: the server speaks protocol 2"
    )
    expect(page.get_by_test_id("connection-state")).to_have_attribute("data-state", "closed")


def test_a_message_over_the_transport_ceiling_is_named(demo_server: DemoServer, browser: Any) -> None:
    page = new_page(browser)

    def too_large(ws: WebSocketRoute) -> None:
        ws.send(json.dumps(WELCOME))
        ws.close(code=1009, reason="message too big")

    scripted(page, too_large)
    page.goto(demo_server.links["United States team"])
    expect(page.get_by_test_id("load-error")).to_contain_text("larger than the connection allows")
    expect(page.get_by_test_id("load-error")).to_contain_text("accepted this seat")


def test_an_unreadable_snapshot_is_named(demo_server: DemoServer, browser: Any) -> None:
    page = new_page(browser)

    def garbage(ws: WebSocketRoute) -> None:
        ws.send(json.dumps(WELCOME))
        ws.send(json.dumps({"type": "snapshot", "seq": 3, "view": {"title": "no ids"}}))

    scripted(page, garbage)
    page.goto(demo_server.links["United States team"])
    expect(page.get_by_test_id("load-error")).to_contain_text("snapshot this page cannot read")


def test_a_server_error_before_the_snapshot_is_named(demo_server: DemoServer, browser: Any) -> None:
    page = new_page(browser)

    def refuse(ws: WebSocketRoute) -> None:
        ws.send(json.dumps(WELCOME))
        error = {"type": "error", "code": "internal", "message": "snapshot failed", "details": []}
        ws.send(json.dumps(error))

    scripted(page, refuse)
    page.goto(demo_server.links["United States team"])
    expect(page.get_by_test_id("load-error")).to_contain_text("Error (internal): snapshot failed")


def test_a_missing_picture_resource_is_named(demo_server: DemoServer, browser: Any) -> None:
    """Protocol v2 names the picture to fetch; a failed fetch is shown on the picture panel."""
    page = new_page(browser)

    def marked(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_server(text: str | bytes) -> None:
            data = json.loads(text)
            if data.get("type") == "snapshot":
                data["view"].pop("picture", None)
                data["view"]["picture_move"] = 1
            ws.send(json.dumps(data))

        server.on_message(from_server)
        ws.on_message(lambda text: server.send(text))

    page.route_web_socket(WS, marked)
    missing = {"type": "error", "code": "not_found", "message": "no picture after move 1"}
    page.route(
        "**/api/picture*",
        lambda route: route.fulfill(status=404, content_type="application/json", body=json.dumps(missing)),
    )
    page.goto(demo_server.links["United States team"])
    expect(page.get_by_test_id("picture-error")).to_contain_text("The picture after move 1 failed to load")
    expect(page.get_by_test_id("picture-error")).to_contain_text("HTTP 404")


@pytest.fixture
def marked_usa(demo_server: DemoServer, browser: Any) -> Iterator[Page]:
    """The USA page on the real server, with a marking in the welcome and a REL inject added."""
    page = new_page(browser)

    def proxy(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def from_server(text: str | bytes) -> None:
            data = json.loads(text)
            if data.get("type") == "welcome":
                data["marking"] = MARKING
            if data.get("type") == "snapshot":
                data["view"].setdefault("injects", []).append(
                    {"id": "inj-rel", "serial": 99, "title": "Partner warning", "type": "message",
                     "sender": "CSpOC", "channel": "email", "text": "REL test", "releasability": "REL",
                     "releasable_to": ["USA", "GBR"], "released_move": 0}
                )
            ws.send(json.dumps(data))

        server.on_message(from_server)
        ws.on_message(lambda text: server.send(text))

    page.route_web_socket(WS, proxy)
    page.goto(demo_server.links["United States team"])
    yield page
    page.context.close()


def test_markings_and_presence(marked_usa: Page, demo_server: DemoServer, browser: Any) -> None:
    page = marked_usa
    expect(page.get_by_test_id("marking-top")).to_have_text(MARKING)
    expect(page.get_by_test_id("marking-bottom")).to_have_text(MARKING)
    expect(page.get_by_test_id("inject-marking-inj-rel")).to_have_text("REL USA, GBR")
    # Presence: this team sees itself, and control once the white cell is on line.
    presence = page.get_by_test_id("presence")
    expect(presence.locator("[data-viewer='team:USA']")).to_have_text("USA")
    white = new_page(browser)
    white.goto(demo_server.links["White Cell"])
    expect(white.get_by_test_id("white-cell-page")).to_be_visible()
    expect(presence.locator("[data-viewer='white_cell']")).to_contain_text("White cell", timeout=30_000)
    expect(white.get_by_test_id("presence")).to_contain_text("USA")
    # No marking from the server: no banner.
    expect(white.get_by_test_id("marking-top")).to_have_count(0)
    white.context.close()


def test_without_webgl_the_map_is_a_plain_canvas(demo_server: DemoServer, browser: Any) -> None:
    plain = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=NO_WEBGL_ARGS)
    try:
        page = new_page(plain)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(demo_server.links["Japan team"])
        world = page.get_by_test_id("world-map")
        expect(world).to_have_attribute("data-renderer", "canvas2d")
        expect(page.get_by_test_id("map-fallback")).to_contain_text("WebGL is not available")
        assert world.locator("canvas").count() == 1
        assert world.locator("svg, circle").count() == 0
        # Hovering a sensor site names it (drawn and picked on the canvas).
        box = world.bounding_box()
        assert box is not None
        west, south, east, north = (float(x) for x in (world.get_attribute("data-bounds") or "").split(","))
        lat, lon = 35.3, 133.9  # the Kamisaibara radar (JPN), searched around in steps of 2 degrees
        found = ""
        for dlat in (-4, -2, 0, 2, 4):
            for dlon in (-4, -2, 0, 2, 4):
                x = box["x"] + (lon + dlon - west) / (east - west) * box["width"]
                y = box["y"] + (north - lat - dlat) / (north - south) * box["height"]
                page.mouse.move(x, y)
                found = page.get_by_test_id("map-hover").inner_text()
                if "JPN" in found:
                    break
            if "JPN" in found:
                break
        assert "JPN" in found, found
        assert errors == []
    finally:
        plain.close()
