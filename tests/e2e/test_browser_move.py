"""Three team pages and a white-cell page play one move in the system's Chromium."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ARTIFACTS, DemoServer
from wargame.adjudication.picture_export import CSV_COLUMNS

pytestmark = [pytest.mark.browser]

SEATS = {
    "white": "White Cell",
    "USA": "United States team",
    "GBR": "United Kingdom team",
    "JPN": "Japan team",
}
# The USA sensor the white cell hits with a high-power microwave in move 1.
SENSOR = "usa-space-fence"


def open_seat(browser: Any, link: str, errors: list[str]) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page: Page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(link)
    expect(page.get_by_test_id("connection-state")).to_have_attribute("data-state", "connected")
    return page


def shoot(pages: dict[str, Page], stage: str) -> None:
    for name, page in pages.items():
        page.screenshot(path=str(ARTIFACTS / f"move-{stage}-{name}.png"), full_page=True)


def test_three_teams_and_the_white_cell_play_one_move(demo_server: DemoServer, browser: Any) -> None:
    errors: list[str] = []
    pages = {name: open_seat(browser, demo_server.links[label], errors) for name, label in SEATS.items()}
    white, usa, gbr, jpn = pages["white"], pages["USA"], pages["GBR"], pages["JPN"]
    expect(white.get_by_test_id("white-cell-page")).to_be_visible()
    for nation in ("USA", "GBR", "JPN"):
        expect(pages[nation].get_by_test_id("player-page")).to_be_visible()
        expect(pages[nation].get_by_test_id("phase-indicator")).to_have_text("setup")
    # The join token left the address bar.
    assert "seat=" not in usa.url

    white.get_by_test_id("start-exercise").click()
    for page in pages.values():
        expect(page.get_by_test_id("move-indicator")).to_have_text("Move 1 / 4")
        expect(page.get_by_test_id("phase-indicator")).to_have_text("running")
    # Each team sees its own assets and a picture with tracks.
    expect(usa.get_by_test_id("asset-row-usa-wgs-10")).to_be_visible()
    expect(usa.get_by_test_id("asset-row-gbr-skynet-5d")).to_have_count(0)
    expect(gbr.get_by_test_id("asset-row-gbr-skynet-5d")).to_be_visible()
    expect(usa.get_by_test_id("track-row-usa-wgs-10")).to_be_visible()
    # The scheduled conjunction inject reached JPN and USA, not GBR.
    expect(jpn.get_by_test_id("inject-inj-002")).to_be_visible()
    expect(gbr.get_by_test_id("inject-inj-002")).to_have_count(0)
    shoot(pages, "1-started")

    # Sharing by product: a marking that does not release to the recipient is refused by the
    # server, and its message shows beside the form that sent it.
    usa.get_by_test_id("release-kind").select_option("tracks")
    usa.get_by_test_id("release-marking").select_option("REL")
    usa.get_by_test_id("release-marking-nation-JPN").check()
    usa.get_by_test_id("release-recipient-GBR").check()
    usa.get_by_test_id("release-submit").click()
    expect(usa.get_by_test_id("release-rejected")).to_contain_text("REL JPN does not release to GBR")
    # USA releases its tracks REL GBR: under the USA-GBR agreement GBR receives them at once.
    usa.get_by_test_id("release-marking-nation-JPN").uncheck()
    usa.get_by_test_id("release-marking-nation-GBR").check()
    usa.get_by_test_id("release-submit").click()
    product = usa.locator("[data-testid^='product-row-']")
    expect(product).to_have_count(1)
    expect(product).to_contain_text("tracks (all)")
    expect(product).to_contain_text("REL GBR")
    expect(usa.get_by_test_id("release-rejected")).to_have_count(0)
    received = gbr.locator("[data-testid^='received-row-']")
    expect(received).to_have_attribute("data-status", "receiving")
    expect(received).to_contain_text("United States (USA)")
    expect(jpn.locator("[data-testid^='received-row-']")).to_have_count(0)
    # JPN forwards the conjunction inject (REL CSPO) to GBR; NOFORN is refused, and the server says why.
    jpn.get_by_test_id("forward-inj-002").click()
    expect(jpn.get_by_test_id("forward-marking-inj-002")).to_have_value("REL CSPO")
    jpn.get_by_test_id("forward-marking-inj-002").select_option("NOFORN")
    jpn.get_by_test_id("forward-recipient-inj-002-GBR").check()
    jpn.get_by_test_id("forward-submit-inj-002").click()
    expect(jpn.get_by_test_id("forward-error-inj-002")).to_contain_text("marking: NOFORN to GBR")
    jpn.get_by_test_id("forward-marking-inj-002").select_option("REL CSPO")
    jpn.get_by_test_id("forward-text-inj-002").fill("Conjunction on IGS-Optical 8 (sanitized)")
    jpn.get_by_test_id("forward-submit-inj-002").click()
    sent = jpn.locator("[data-testid^='forward-row-'][data-direction=sent]")
    expect(sent).to_contain_text("to GBR")
    expect(sent).to_contain_text("REL CSPO")
    forwarded = gbr.locator("[data-testid^='forward-row-'][data-direction=received]")
    expect(forwarded).to_contain_text("Forwarded by Japan (JPN)")
    expect(forwarded).to_contain_text("Conjunction on IGS-Optical 8 (sanitized)")
    expect(forwarded.locator("[data-testid^='forward-marking-chip-']")).to_have_text("REL CSPO")
    expect(usa.locator("[data-testid^='forward-row-'][data-direction=received]")).to_have_count(0)
    # JPN orders a collision-avoidance manoeuvre with a reason.
    jpn.get_by_test_id("order-manoeuvre-asset").select_option("jpn-igs-optical-8")
    jpn.get_by_test_id("order-manoeuvre-dv").fill("0.5")
    jpn.get_by_test_id("order-manoeuvre-reason").fill("Pc above threshold")
    jpn.get_by_test_id("order-manoeuvre-submit").click()
    expect(jpn.get_by_test_id("orders-list")).to_contain_text("jpn-igs-optical-8")
    # The ruleset's limit (50 m/s) applies to the norm of the three components.
    jpn.get_by_test_id("order-manoeuvre-dv").fill("40")
    jpn.get_by_test_id("order-manoeuvre-dv-radial").fill("40")
    jpn.get_by_test_id("order-manoeuvre-dv-cross").fill("0")
    expect(jpn.get_by_test_id("order-manoeuvre-norm")).to_contain_text("56.57 m/s")
    jpn.get_by_test_id("order-manoeuvre-submit").click()
    expect(jpn.get_by_test_id("order-manoeuvre-error")).to_contain_text("|Δv| must be within 50 m/s")
    for field in ("dv", "dv-radial", "dv-cross"):
        jpn.get_by_test_id(f"order-manoeuvre-{field}").fill("")
    # GBR talks to the coalition; USA talks only to its own team.
    gbr.get_by_test_id("chat-tab-coalition").click()
    gbr.get_by_test_id("chat-input").fill("GBR tracks the inspector")
    gbr.get_by_test_id("chat-send").click()
    usa.get_by_test_id("chat-tab-team").click()
    usa.get_by_test_id("chat-input").fill("USA internal only")
    usa.get_by_test_id("chat-send").click()
    jpn.get_by_test_id("chat-tab-coalition").click()
    expect(jpn.get_by_test_id("chat-log")).to_contain_text("GBR tracks the inspector")
    expect(usa.get_by_test_id("chat-log")).to_contain_text("USA internal only")
    # A player cannot see the white cell's controls, and the white cell sees the sealed order.
    expect(usa.get_by_test_id("advance-move")).to_have_count(0)
    shoot(pages, "2-decisions")

    # The white cell previews the jamming inject of move 2 before it happens.
    white.get_by_test_id("preview-inject").select_option("inj-003")
    white.get_by_test_id("preview-samples").fill("500")
    white.get_by_test_id("preview-run").click()
    expect(white.get_by_test_id("preview-targets")).to_contain_text("gbr-skynet-5d")
    expect(white.get_by_test_id("preview-targets")).to_contain_text("500 samples")
    # ...and releases the move-3 storm early: it degrades the unhardened SATCOM for a move.
    white.get_by_test_id("release-inj-005").click()
    expect(white.get_by_test_id("msel-released-inj-005")).to_contain_text("move 1")
    # ...and spoofs JPN's Himawari ad hoc: spoofing goes unnoticed by the owner (observable_by nobody).
    white.get_by_test_id("adhoc-type").select_option("spoofing")
    white.get_by_test_id("adhoc-title").fill("GNSS timing spoof on Himawari uplink")
    white.get_by_test_id("adhoc-target").select_option("jpn-himawari-9")
    white.get_by_test_id("adhoc-actor").select_option("RED")
    white.get_by_test_id("adhoc-submit").click()
    # NOFORN (the default) goes to one nation: the server says so beside the form.
    expect(white.get_by_test_id("adhoc-rejected")).to_contain_text("NOFORN")
    white.get_by_test_id("adhoc-recipients").select_option(["JPN"])
    white.get_by_test_id("adhoc-submit").click()
    expect(white.get_by_test_id("event-feed")).to_contain_text("GNSS timing spoof")
    expect(white.get_by_test_id("adhoc-rejected")).to_have_count(0)
    # ...and fires a high-power microwave at a USA ground radar: sensors can be hit too.
    white.get_by_test_id("adhoc-type").select_option("high_power_microwave")
    white.get_by_test_id("adhoc-title").fill("HPM strike on the Space Fence radar")
    white.get_by_test_id("adhoc-target").select_option(SENSOR)
    white.get_by_test_id("adhoc-actor").select_option("RED")
    white.get_by_test_id("adhoc-recipients").select_option(["USA"])
    white.get_by_test_id("adhoc-submit").click()
    expect(white.get_by_test_id("event-feed")).to_contain_text("HPM strike on the Space Fence")

    white.get_by_test_id("advance-move").click()
    for page in pages.values():
        expect(page.get_by_test_id("move-indicator")).to_have_text("Move 2 / 4", timeout=30_000)
    # Move 2 opened with the jamming of GBR's Skynet (NOFORN, to GBR only).
    expect(gbr.get_by_test_id("inject-inj-003")).to_be_visible()
    expect(usa.get_by_test_id("inject-inj-003")).to_have_count(0)
    # The sealed order was consumed and the white cell has metrics for move 1.
    expect(jpn.locator("[data-testid^='order-row-']")).to_have_count(0)
    expect(white.get_by_test_id("metrics-row-1-USA")).to_be_visible()
    expect(white.get_by_test_id("metrics-precise-1-USA")).to_have_text(re.compile(r"^[1-9][0-9]*$"))
    # JPN downloads one of its conjunction warnings as a CCSDS CDM, marked.
    cdm_button = jpn.locator("[data-testid^='warning-cdm-']").first
    expect(cdm_button).to_be_visible()
    with jpn.expect_download() as cdm_download:
        cdm_button.click()
    cdm = Path(cdm_download.value.path()).read_text(encoding="utf-8")
    assert cdm.startswith("CCSDS_CDM_VERS") and "COMMENT EXERCISE EXERCISE EXERCISE - UNCLASSIFIED" in cdm
    assert re.search(r"^MESSAGE_FOR\s+= JPN$", cdm, re.M)
    assert re.search(r"^COLLISION_PROBABILITY\s+= ", cdm, re.M)
    # USA exports its picture as CSV: the track table the page shows, one row per track.
    total = int(usa.get_by_test_id("track-count").get_attribute("data-total") or 0)
    with usa.expect_download() as picture_download:
        usa.get_by_test_id("picture-export-csv").click()
    table = list(csv.reader(Path(picture_download.value.path()).read_text(encoding="utf-8").splitlines()))
    assert tuple(table[0]) == CSV_COLUMNS and len(table) - 1 == total > 0
    # USA's internal chat never reached GBR or JPN.
    for other in (gbr, jpn):
        assert "USA internal only" not in other.content()
    shoot(pages, "3-move2")

    # The storm degraded GBR's Skynet 5D; the white cell restores it, with a reason.
    white_row = white.get_by_test_id("asset-row-gbr-skynet-5d")
    gbr_row = gbr.get_by_test_id("asset-row-gbr-skynet-5d")
    expect(white_row).to_have_attribute("data-status", "degraded")
    expect(gbr_row).to_have_attribute("data-status", "degraded")
    expect(usa.get_by_test_id("restore-usa-wgs-10")).to_have_count(0)  # players get no Restore
    white.get_by_test_id("restore-gbr-skynet-5d").click()
    expect(white.get_by_test_id("restore-confirm-gbr-skynet-5d")).to_be_disabled()  # reason first
    white.get_by_test_id("restore-reason-gbr-skynet-5d").fill("storm over the ground station passed")
    white.get_by_test_id("restore-confirm-gbr-skynet-5d").click()
    expect(white_row).to_have_attribute("data-status", "nominal")
    expect(white.get_by_test_id("restore-gbr-skynet-5d")).to_have_count(0)
    expect(gbr_row).to_have_attribute("data-status", "nominal")
    shoot({"white": white}, "4-restored")

    # The spoofing hit Himawari, but JPN did not notice: its page says nominal until the white
    # cell discloses the truth, with how JPN finds out.
    white_wx = white.get_by_test_id("asset-row-jpn-himawari-9")
    jpn_wx = jpn.get_by_test_id("asset-row-jpn-himawari-9")
    expect(white_wx).to_have_attribute("data-status", "degraded")
    expect(jpn_wx).to_have_attribute("data-status", "nominal")
    expect(white.get_by_test_id("owner-belief-jpn-himawari-9")).to_have_text("JPN believes nominal")
    expect(white.get_by_test_id("disclose-gbr-skynet-5d")).to_have_count(0)  # GBR knew of the storm
    white.get_by_test_id("disclose-jpn-himawari-9").click()
    white.get_by_test_id("disclose-reason-jpn-himawari-9").fill("users report timing drift")
    white.get_by_test_id("disclose-confirm-jpn-himawari-9").click()
    expect(jpn_wx).to_have_attribute("data-status", "degraded")
    expect(white.get_by_test_id("disclose-jpn-himawari-9")).to_have_count(0)
    expect(white.get_by_test_id("owner-belief-jpn-himawari-9")).to_have_count(0)
    expect(usa.get_by_test_id("asset-row-jpn-himawari-9")).to_have_count(0)
    shoot({"white": white, "JPN": jpn}, "5-disclosed")

    # The microwave disabled the USA sensor: USA sees it on its own sensors, GBR does not list it,
    # and the white cell restores it like an asset, with a reason.
    white_sensor = white.get_by_test_id(f"sensor-row-{SENSOR}")
    usa_sensor = usa.get_by_test_id(f"sensor-row-{SENSOR}")
    expect(usa_sensor).to_have_attribute("data-status", "disabled")
    expect(gbr.get_by_test_id(f"sensor-row-{SENSOR}")).to_have_count(0)
    expect(white_sensor).to_have_attribute("data-status", "disabled")
    expect(white_sensor).to_contain_text("disabled")
    expect(white.get_by_test_id(f"restore-{SENSOR}")).to_be_visible()
    for row in (white_sensor, usa_sensor):
        row.scroll_into_view_if_needed()  # the sensor tables scroll
    shoot({"white": white, "USA": usa}, "6-sensor-hit")
    white.get_by_test_id(f"restore-{SENSOR}").click()
    white.get_by_test_id(f"restore-reason-{SENSOR}").fill("radar rebooted and recalibrated")
    white.get_by_test_id(f"restore-confirm-{SENSOR}").click()
    expect(white_sensor).to_have_attribute("data-status", "nominal")
    expect(white.get_by_test_id(f"restore-{SENSOR}")).to_have_count(0)
    expect(usa_sensor).to_have_attribute("data-status", "nominal")
    usa_sensor.scroll_into_view_if_needed()
    shoot({"white": white, "USA": usa}, "7-sensor-restored")
    assert errors == []


def test_facilitator_follows_the_log_and_downloads_the_aar(demo_server: DemoServer, browser: Any) -> None:
    errors: list[str] = []
    page = open_seat(browser, demo_server.links["Facilitator"], errors)
    expect(page.get_by_test_id("facilitator-page")).to_be_visible()
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator("[data-testid^='timeline-row-']").first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_test_id("aar-md").click()
    download = download_info.value
    path = ARTIFACTS / "aar.md"
    download.save_as(str(path))
    text = path.read_text(encoding="utf-8")
    banner = "**EXERCISE EXERCISE EXERCISE - UNCLASSIFIED**"
    assert text.startswith(f"{banner}\n\n# After-action review: Tutorial") and text.endswith(f"{banner}\n")
    assert "Sharing" in text
    page.screenshot(path=str(ARTIFACTS / "facilitator.png"), full_page=True)
    assert errors == []
