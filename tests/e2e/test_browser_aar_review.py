"""The facilitator's review of a played tutorial, end to end in Chromium: replay a team at a move
marker, record an observation and a final rating, then download every export and open each one
(HTML with its charts, the HSEEP AAR/IP in Word, the improvement plan in Excel, the raw log that
the Node verifier accepts)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, DemoServer
from tests.e2e.test_browser_evaluator import record, row_of
from tests.e2e.test_browser_replay import open_replay, play_tutorial, replay_api, shows

pytestmark = [pytest.mark.browser]

MARKING = "EXERCISE EXERCISE EXERCISE - UNCLASSIFIED"
OBSERVED = "USA released its tracks to GBR only after the jamming was attributed"
VERIFIER = Path(__file__).resolve().parents[2] / "tools" / "verify-log" / "verify.mjs"


def download(page: Page, test_id: str, name: str) -> Path:
    with page.expect_download() as info:
        page.get_by_test_id(test_id).click()
    path = ARTIFACTS / name
    info.value.save_as(str(path))
    return path


def verify(log: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["node", str(VERIFIER), str(log)], capture_output=True, text=True, timeout=120)


def test_the_facilitator_replays_observes_rates_and_exports(demo_server: DemoServer, browser: Any) -> None:
    with ThreadPoolExecutor(1) as thread:  # Playwright's own loop runs in this one
        thread.submit(asyncio.run, play_tutorial(demo_server)).result(timeout=600)
    errors: list[str] = []
    page, replay = open_replay(browser, demo_server.links["Facilitator"], errors)

    # Replay: the United States team at the start of move 3, as /api/replay says it was then.
    replay.get_by_test_id("replay-seat").select_option("team:USA")
    markers = replay_api(demo_server, "Facilitator", "team:USA")["markers"]
    move3 = next(m["seq"] for m in markers if m["type"] == "move_advanced" and m["move"] == 3)
    replay.get_by_test_id(f"replay-marker-{move3}").click()
    then = replay_api(demo_server, "Facilitator", "team:USA", move3)
    assert then["view"]["move"] == 3
    shows(replay, then)

    # Observe and rate: an observation tied to an objective, a critical task and a nation.
    record(page, OBSERVED, objective="obj-safety", task="1", inject="", nation="USA", rating="S")
    expect(row_of(page, OBSERVED)).to_have_count(1)
    page.get_by_test_id("rating-select-objective-obj-safety").select_option("S")
    page.get_by_test_id("rating-save-objective-obj-safety").click()
    expect(page.get_by_test_id("rating-final-objective-obj-safety")).to_contain_text("S by facilitator")
    page.screenshot(path=str(ARTIFACTS / "aar-review.png"), full_page=True)

    # The exports, each opened as its reader would.
    html = download(page, "aar-html", "aar-review.html").read_text(encoding="utf-8")
    assert html.count(MARKING) >= 2 and "<svg" in html and OBSERVED in html
    assert "http://" not in html.split("<body", 1)[1].replace("http://www.w3.org", "")

    document = Document(str(download(page, "aar-docx", "aar-review.docx")))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert OBSERVED in cells
    assert "final rating by facilitator" in paragraphs
    assert document.sections[0].header.paragraphs[0].text == MARKING

    sheet = load_workbook(download(page, "aar-xlsx", "aar-review-ip.xlsx")).active
    assert sheet.title == "Improvement Plan"

    log = download(page, "aar-jsonl", "aar-review-log.jsonl")
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= then["last_seq"]
    if shutil.which("node") and (VERIFIER.parent / "node_modules").is_dir():
        checked = verify(log)
        assert checked.returncode == 0, checked.stderr
        line = lines[5]
        flipped = line[:40] + ("1" if line[40] == "0" else "0") + line[41:]  # one byte changed
        broken = log.with_name("aar-review-log-broken.jsonl")
        broken.write_text("\n".join([*lines[:5], flipped, *lines[6:]]) + "\n", encoding="utf-8")
        assert verify(broken).returncode != 0
    assert errors == []
