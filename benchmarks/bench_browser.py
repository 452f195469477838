"""Benchmark: a team page and the white cell on global-sentinel against the tutorial, same run.

Run: .venv/bin/python benchmarks/bench_browser.py [--scenario global-sentinel] [--json]

Starts `wargame demo` twice (the large scenario and the tutorial, SQLite and the in-memory
layer, the real ceilings), opens a team seat and the white cell on each in /usr/bin/chromium,
starts the exercise and reports for each: `first_picture_s` (start pressed until the team's
table holds its picture), `dom_nodes`, `js_heap_mb`, `sort_ms` and `filter_ms` (median of 5,
click or keystroke to the next painted frame), the white cell's `dom_nodes`, and the ratios of
the large scenario's figures to the tutorial's. Issue 14's targets: first picture <= 3x the
tutorial's; <= 20,000 DOM nodes; sort and filter <= 300 ms.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_demo, stop
from tests.e2e.measure import CLICK_SORT, dom_nodes, median_ms, set_filter

TEAM_SEAT = "United States team"
FILTERS = ("G", "GE", "GEO", "", "GEO")


def open_seat(browser: Browser, link: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(link)
    state = page.get_by_test_id("connection-state")
    expect(state).to_have_attribute("data-state", "connected", timeout=120_000)
    return page


def measure(browser: Browser, scenario: str, workdir: Path) -> dict[str, Any]:
    """One scenario's figures: a fresh demo server, its team seat and white cell."""
    process, server = start_demo(workdir / scenario, ["--scenario", scenario], timeout_s=600)
    try:
        white = open_seat(browser, server.links["White Cell"])
        team = open_seat(browser, server.links[TEAM_SEAT])
        expect(white.get_by_test_id("white-cell-page")).to_be_visible(timeout=120_000)
        expect(team.get_by_test_id("player-page")).to_be_visible(timeout=120_000)
        started = team.evaluate("performance.now()")
        white.get_by_test_id("start-exercise").click()
        count = team.get_by_test_id("track-count")
        expect(count).not_to_have_attribute("data-total", "0", timeout=600_000)
        first_picture_s = (team.evaluate("performance.now()") - started) / 1000
        tracks = int(count.get_attribute("data-total") or 0)
        median_ms(team, [""] * 3)  # settle: a few idle frames
        sort_ms = median_ms(team, [CLICK_SORT.format("sigma_km")] * 5)
        filter_ms = median_ms(team, [set_filter(t) for t in FILTERS])
        team.evaluate(set_filter(""))
        heap = team.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
        figures = {
            "tracks": tracks,
            "first_picture_s": round(first_picture_s, 2),
            "dom_nodes": dom_nodes(team),
            "js_heap_mb": round(heap / 2**20, 1),
            "sort_ms": round(sort_ms, 1),
            "filter_ms": round(filter_ms, 1),
            "white_dom_nodes": dom_nodes(white),
        }
        for page in (white, team):
            page.context.close()
        return figures
    finally:
        stop(process)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="global-sentinel")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wargame-bench-browser-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        baseline = measure(browser, "tutorial", Path(tmp))
        large = measure(browser, args.scenario, Path(tmp))
        browser.close()
    ratios = {
        key: round(large[key] / baseline[key], 2) if baseline[key] else None
        for key in ("first_picture_s", "dom_nodes", "js_heap_mb", "sort_ms", "filter_ms")
    }
    result = {
        "scenario": args.scenario, "tutorial": baseline, args.scenario: large, "ratio_to_tutorial": ratios
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{'figure':20} {'tutorial':>12} {args.scenario:>16} {'ratio':>8}")
        for key in ("tracks", "first_picture_s", "dom_nodes", "js_heap_mb", "sort_ms", "filter_ms",
                    "white_dom_nodes"):
            ratio = ratios.get(key)
            print(f"{key:20} {baseline[key]:>12} {large[key]:>16} {'' if ratio is None else ratio:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
