"""A team page with a large picture (the tutorial plus a synthetic catalog) stays small and fast.

The catalog size comes from WARGAME_E2E_LARGE_OBJECTS (default 20,000; 50,000 is two synthetic
catalogs). Timings are printed (`-s`) for docs/benchmarks-style reporting, never asserted: the
assertions are on behaviour (sorted order, filtered rows, the selection linking map and table)
and on the page's size in DOM nodes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, REPO, DemoServer, require_frontend, start_demo, stop
from tests.e2e.measure import CLICK_SORT, dom_nodes, keystroke_ms, median_ms, set_filter, timed

pytestmark = [pytest.mark.browser]

OBJECTS = int(os.environ.get("WARGAME_E2E_LARGE_OBJECTS", "20000"))
DOM_BUDGET = 20_000
SYNTHETIC_MAX = 40_000  # scenario_model.SyntheticCatalog.count


def large_scenario(directory: Path, objects: int) -> Path:
    """The tutorial scenario with a synthetic background catalog of `objects` objects."""
    scenario = yaml.safe_load((REPO / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8"))
    catalogs = []
    left, part = objects, 0
    while left > 0:
        count = min(left, SYNTHETIC_MAX)
        catalogs.append(
            {"generator": "synthetic", "count": count, "seed": 11 + part, "id_prefix": f"bg{part}"}
        )
        left -= count
        part += 1
    scenario["background_catalog"] = catalogs
    path = directory / "tutorial-large.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def large_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    require_frontend()
    directory = tmp_path_factory.mktemp("large")
    scenario = large_scenario(directory, OBJECTS)
    process, server = start_demo(directory / "data", ["--scenario", str(scenario)], timeout_s=240)
    yield server
    stop(process)


def rendered_rows(page: Page) -> list[dict[str, Any]]:
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll(
                '[data-testid=picture-table] tbody tr[data-testid]')].map((tr) => ({
                id: tr.dataset.testid.slice('track-row-'.length),
                cells: [...tr.children].map((c) => c.textContent.trim()),
                selected: tr.getAttribute('aria-selected') === 'true',
            }))"""
        )
    )


def shown_in_table(page: Page, object_id: str) -> bool:
    """Whether the row is rendered inside the visible part of the table's scrolling viewport."""
    return bool(
        page.evaluate(
            """(id) => {
                const row = document.querySelector(`[data-testid="track-row-${id}"]`);
                if (!row) return false;
                const box = row.getBoundingClientRect();
                const view = row.closest('.vscroll').getBoundingClientRect();
                return box.top >= view.top && box.bottom <= view.bottom;
            }""",
            object_id,
        )
    )


def click_on_map(page: Page, lat: float, lon: float) -> None:
    """Click the map where (lat, lon) is drawn, from the extent the map publishes."""
    world = page.get_by_test_id("world-map")
    world.scroll_into_view_if_needed()
    west, south, east, north = (float(x) for x in (world.get_attribute("data-bounds") or "").split(","))
    box = world.bounding_box()
    assert box is not None
    x = box["x"] + (lon - west) / (east - west) * box["width"]
    y = box["y"] + (north - lat) / (north - south) * box["height"]
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def test_a_team_page_with_a_large_picture(large_server: DemoServer, browser: Any) -> None:
    errors: list[str] = []
    pages: dict[str, Page] = {}
    for name, label in (("white", "White Cell"), ("usa", "United States team")):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(large_server.links[label])
        expect(page.get_by_test_id("connection-state")).to_have_attribute("data-state", "connected")
        pages[name] = page
    white, usa = pages["white"], pages["usa"]
    expect(white.get_by_test_id("white-cell-page")).to_be_visible(timeout=60_000)
    expect(usa.get_by_test_id("player-page")).to_be_visible(timeout=60_000)
    # The map is WebGL in this browser (SwiftShader), not the fallback.
    expect(usa.get_by_test_id("world-map")).to_have_attribute("data-renderer", "webgl", timeout=60_000)

    # Baseline of the same run: a keystroke in chat before any picture is held.
    chat_before_ms = keystroke_ms(usa, "baseline")
    usa.get_by_test_id("chat-input").fill("")

    started = usa.evaluate("performance.now()")
    white.get_by_test_id("start-exercise").click()
    count = usa.get_by_test_id("track-count")
    expect(count).not_to_have_attribute("data-total", "0", timeout=240_000)
    first_picture_s = (usa.evaluate("performance.now()") - started) / 1000
    total = int(count.get_attribute("data-total") or 0)
    assert total > OBJECTS * 0.5, f"USA holds only {total} of {OBJECTS} objects"
    expect(usa.get_by_test_id("world-map")).to_have_attribute("data-tracks", str(total))
    usa.screenshot(path=str(ARTIFACTS / "large-usa.png"))
    figures: dict[str, float] = {
        "objects": OBJECTS, "tracks": total, "first_picture_s": round(first_picture_s, 1)
    }
    figures["dom_nodes"] = dom_nodes(usa)
    assert figures["dom_nodes"] < DOM_BUDGET

    # Sort by sigma, descending: the rendered rows are in that order.
    figures["idle_frame_ms"] = median_ms(usa, [""] * 3)
    figures["sort_first_ms"] = timed(usa, CLICK_SORT.format("sigma_km"))
    # sigma ascending -> descending -> ascending ... ending descending.
    figures["sort_ms"] = median_ms(usa, [CLICK_SORT.format("sigma_km")] * 5)
    expect(usa.get_by_test_id("sort-sigma_km")).to_contain_text("▼")
    sigmas = [float(r["cells"][4]) for r in rendered_rows(usa)]
    assert len(sigmas) > 10 and sigmas == sorted(sigmas, reverse=True)
    by_name_then_owner = [CLICK_SORT.format(k) for k in ("name", "owner", "name", "owner", "name")]
    figures["sort_name_ms"] = median_ms(usa, by_name_then_owner)

    # Filter: only GEO tracks (or names with "geo") remain, and the map draws exactly the filtered rows.
    figures["filter_ms"] = median_ms(usa, [set_filter(t) for t in ("G", "GE", "GEO", "", "GEO")])
    shown = int(count.get_attribute("data-shown") or 0)
    assert 0 < shown < total
    assert all(r["cells"][3] == "GEO" or "geo" in r["cells"][0].lower() for r in rendered_rows(usa))
    expect(usa.get_by_test_id("world-map")).to_have_attribute("data-tracks", str(shown))
    figures["clear_filter_ms"] = timed(usa, set_filter(""))
    expect(count).to_have_attribute("data-shown", str(total))

    # Scroll the table to the end: rows are rendered in place, the DOM stays small.
    usa.evaluate("document.querySelector('[data-testid=panel-picture] .vscroll').scrollTop = 1e9")
    expect(usa.locator("[data-testid=picture-table] tbody tr[data-testid]").first).to_be_visible()
    figures["dom_nodes_scrolled"] = dom_nodes(usa)
    assert figures["dom_nodes_scrolled"] < DOM_BUDGET

    # Click a marker on the map: with one track left by the filter, the click selects exactly it.
    target = "usa-gps-iii-5"
    usa.evaluate(set_filter(target))
    expect(count).to_have_attribute("data-shown", "1")
    row = usa.get_by_test_id(f"track-row-{target}")
    cells = row.locator("td")
    lat, lon = float(cells.nth(6).inner_text()), float(cells.nth(7).inner_text())
    click_on_map(usa, lat, lon)
    expect(row).to_have_attribute("aria-selected", "true")
    expect(usa.get_by_test_id("map-selected")).to_have_attribute("data-object-id", target)
    expect(usa.get_by_test_id("map-hover")).to_contain_text(target)

    # With every track drawn, a click picks the nearest marker and the table scrolls to it.
    usa.evaluate(set_filter(""))
    expect(count).to_have_attribute("data-shown", str(total))
    click_on_map(usa, 0.0, 75.0)  # the GEO belt over the Indian Ocean
    picked = usa.get_by_test_id("map-selected")
    expect(picked).not_to_have_attribute("data-object-id", target)
    picked_id = picked.get_attribute("data-object-id") or ""
    assert picked_id
    picked_row = usa.get_by_test_id(f"track-row-{picked_id}")
    expect(picked_row).to_have_attribute("aria-selected", "true")
    assert shown_in_table(usa, picked_id)
    picked_cells = picked_row.locator("td")
    assert abs(float(picked_cells.nth(6).inner_text())) < 3
    assert abs(float(picked_cells.nth(7).inner_text()) - 75.0) < 3

    # Keyboard: the table moves the selection with the arrow keys.
    usa.locator("[data-testid=panel-picture] .vscroll").focus()
    usa.keyboard.press("ArrowDown")
    expect(usa.get_by_test_id("map-selected")).not_to_have_attribute("data-object-id", picked_id)

    # The search box finds a track by name as you type and selects it in the table.
    search = usa.get_by_test_id("track-search")
    search.fill("GSSAP-5")
    usa.get_by_test_id("track-search-option-usa-gssap-5").click()
    expect(usa.get_by_test_id("track-row-usa-gssap-5")).to_have_attribute("aria-selected", "true")
    assert shown_in_table(usa, "usa-gssap-5")

    # Typing in chat stays instant with the picture loaded (one frame per keystroke).
    figures["chat_keystroke_empty_ms"] = chat_before_ms
    figures["chat_keystroke_ms"] = keystroke_ms(usa, "EXERCISE status check")
    expect(usa.get_by_test_id("chat-input")).to_have_value("EXERCISE status check")
    usa.get_by_test_id("chat-send").click()
    expect(usa.get_by_test_id("chat-log")).to_contain_text("EXERCISE status check")

    heap = usa.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
    figures["js_heap_mb"] = round(heap / 2**20, 1)
    figures["white_dom_nodes"] = dom_nodes(white)
    assert figures["white_dom_nodes"] < DOM_BUDGET
    usa.screenshot(path=str(ARTIFACTS / "large-usa-selected.png"))
    print("\nlarge picture:", json.dumps({k: round(v, 1) for k, v in figures.items()}))
    assert errors == []
