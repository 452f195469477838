"""A page that cannot load says why; presence, markings and the map without WebGL.

The websocket is routed through Playwright: either to a scripted fake server (to produce a
protocol mismatch, an oversized message, an unreadable snapshot) or to the real server with the
snapshot rewritten on the way (a picture that cannot be fetched, another marking, a REL inject).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from tests.e2e.conftest import CHROMIUM, NO_WEBGL_ARGS, DemoServer, proxy_snapshots

pytestmark = [pytest.mark.browser]

WS = re.compile(r"/ws/exercise/")
WELCOME = {
    "type": "welcome", "protocol": 2, "exercise_id": "x1", "viewer": "team:USA", "role": "player",
    "nation": "USA", "label": "USA",
}
MARKING = "EXERCISE EXERCISE EXERCISE - UNCLASSIFIED"
"""The tutorial's marking (the scenario's default)."""


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
    scripted(page, lambda ws: ws.send(json.dumps({**WELCOME, "protocol": 3})))
    page.goto(demo_server.links["United States team"])
    expect(page.get_by_test_id("load-error")).to_contain_text(
        "Protocol mismatch: the server speaks protocol 3, this page speaks 2"
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
        view = json.dumps({"title": "no ids"})
        ws.send(json.dumps({"type": "snapshot", "pos": 3, "part": 1, "parts": 1, "data": view}))

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


def test_a_snapshot_part_out_of_order_asks_for_a_fresh_one(demo_server: DemoServer, browser: Any) -> None:
    """A snapshot's parts must arrive in order: a part 2 without its part 1 is discarded and the
    page asks for a resync, which the real server answers."""
    page = new_page(browser)
    sent: list[str] = []

    def broken(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        first = [True]

        def from_server(text: str | bytes) -> None:
            data = json.loads(text)
            if data.get("type") == "snapshot" and first[0]:
                first[0] = False
                ws.send(json.dumps({**data, "part": 2, "parts": 2, "data": "}"}))
                return
            ws.send(text if isinstance(text, str) else text.decode())

        def to_server(text: str | bytes) -> None:
            sent.append(json.loads(text)["type"])
            server.send(text)

        server.on_message(from_server)
        ws.on_message(to_server)

    page.route_web_socket(WS, broken)
    page.goto(demo_server.links["United States team"])
    expect(page.get_by_test_id("player-page")).to_be_visible()
    assert "resync" in sent and sent.index("hello") < sent.index("resync"), sent


def test_a_missing_picture_resource_is_named(demo_server: DemoServer, browser: Any) -> None:
    """The view names the picture to fetch; a failed fetch is shown on the picture panel."""
    page = new_page(browser)

    def with_picture(view: dict[str, Any]) -> None:
        view["picture"] = {"nation": "USA", "move": 1, "held": 3, "by_source": {}, "precise": None,
                           "url": "/api/picture?move=1"}
        view["picture_move"] = 1

    proxy_snapshots(page, with_picture)
    missing = {"type": "error", "code": "not_found", "message": "no picture after move 1"}
    page.route(
        "**/api/picture*",
        lambda route: route.fulfill(status=404, content_type="application/json", body=json.dumps(missing)),
    )
    page.goto(demo_server.links["United States team"])
    expect(page.get_by_test_id("picture-error")).to_contain_text("The picture after move 1 failed to load")
    expect(page.get_by_test_id("picture-error")).to_contain_text("HTTP 404")


OTHER_MARKING = "EXERCISE EXERCISE EXERCISE - NATO UNCLASSIFIED"


@pytest.fixture
def marked_usa(demo_server: DemoServer, browser: Any) -> Iterator[Page]:
    """The USA page on the real server, its view's marking changed and a REL inject added."""
    page = new_page(browser)

    def marked(view: dict[str, Any]) -> None:
        view["marking"] = OTHER_MARKING
        view["injects"].append(
            {"id": "inj-rel", "serial": 99, "title": "Partner warning", "type": "message",
             "sender": "CSpOC", "channel": "email", "text": "REL test", "releasability": "REL",
             "releasable_to": ["USA", "GBR"], "marking": "REL USA, GBR", "released_move": 0}
        )

    proxy_snapshots(page, marked)
    page.goto(demo_server.links["United States team"])
    yield page
    page.context.close()


def test_markings_and_presence(marked_usa: Page, demo_server: DemoServer, browser: Any) -> None:
    page = marked_usa
    expect(page.get_by_test_id("marking-top")).to_have_text(OTHER_MARKING)
    expect(page.get_by_test_id("marking-bottom")).to_have_text(OTHER_MARKING)
    expect(page.get_by_test_id("inject-marking-inj-rel")).to_have_text("REL USA, GBR")
    # Presence: this team sees itself, and control once the white cell is on line.
    presence = page.get_by_test_id("presence")
    expect(presence.locator("[data-viewer='team:USA']")).to_have_text("USA")
    white = new_page(browser)
    white.goto(demo_server.links["White Cell"])
    expect(white.get_by_test_id("white-cell-page")).to_be_visible()
    expect(presence.locator("[data-viewer='white_cell']")).to_contain_text("White cell", timeout=30_000)
    expect(white.get_by_test_id("presence")).to_contain_text("USA")
    # The white cell's banner is the exercise's marking, as its view says.
    expect(white.get_by_test_id("marking-top")).to_have_text(MARKING)
    expect(white.get_by_test_id("marking-bottom")).to_have_text(MARKING)
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
