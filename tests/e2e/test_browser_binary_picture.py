"""A team page loads its picture as the binary resource `wargame.picture/1`.

The real server sends the snapshot; on the way, its picture notice is made to name the picture
after move 1, and `GET /api/picture` is answered with a resource of 50,000 rows laid out as
docs/protocol.md and /work/helpers/PICTURE-FORMAT.md describe.
"""

from __future__ import annotations

import json
import struct
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, proxy_snapshots

pytestmark = [pytest.mark.browser]

ROWS = 50_000
LAT_SCALE = 90 / 32767
LON_SCALE = 180 / 32767
DICTIONARIES = {
    "source": ["owner", "own", "shared", "fused", "catalog"],
    "regime": ["LEO", "MEO", "GEO", "HEO"],
    "kind": ["payload", "rocket_body", "debris"],
    "mission": ["", "PNT", "SATCOM", "ISR", "MISSILE_WARNING", "SSA", "WEATHER"],
    "owner": ["", "USA", "GBR", "JPN", "RED"],
    "contributors": [[], ["USA"], ["USA", "GBR"], ["GBR", "JPN", "USA"]],
}


def picture_resource(rows: int) -> tuple[bytes, dict[str, Any]]:
    """A `wargame.picture/1` resource of `rows` synthetic tracks, and one row's expected values."""
    rng = np.random.default_rng(7)
    ids = [f"syn-{i:05d}" for i in range(rows)]
    names = [f"SYN OBJECT {i}" for i in range(rows)]
    lat = rng.integers(-32767, 32768, rows, dtype=np.int16)
    lon = rng.integers(-32767, 32768, rows, dtype=np.int16)
    columns: dict[str, tuple[str, bytes, float | None]] = {
        "object_id": ("str", "\n".join(ids).encode(), None),
        "name": ("str", "\n".join(names).encode(), None),
        "owner": ("u8", rng.integers(0, 5, rows, dtype=np.uint8).tobytes(), None),
        "kind": ("u8", rng.integers(0, 3, rows, dtype=np.uint8).tobytes(), None),
        "mission": ("u8", rng.integers(0, 7, rows, dtype=np.uint8).tobytes(), None),
        "regime": ("u8", rng.integers(0, 4, rows, dtype=np.uint8).tobytes(), None),
        "source": ("u8", rng.integers(0, 5, rows, dtype=np.uint8).tobytes(), None),
        "contributors": ("u16", rng.integers(0, 4, rows, dtype=np.uint16).astype("<u2").tobytes(), None),
        "sigma_km": ("f32", rng.uniform(0.01, 50, rows).astype("<f4").tobytes(), None),
        "age_min": ("u16", rng.integers(0, 720, rows, dtype=np.uint16).astype("<u2").tobytes(), None),
        "delayed": ("u8", np.zeros(rows, dtype=np.uint8).tobytes(), None),
        "lat": ("i16", lat.astype("<i2").tobytes(), LAT_SCALE),
        "lon": ("i16", lon.astype("<i2").tobytes(), LON_SCALE),
        "alt_km": ("u16", rng.integers(200, 36000, rows, dtype=np.uint16).astype("<u2").tobytes(), None),
    }
    described: dict[str, Any] = {}
    body = b""
    for name, (kind, data, scale) in columns.items():
        described[name] = {"type": kind, "offset": len(body), "length": len(data)}
        if scale is not None:
            described[name]["scale"] = scale
        body += data + b"\0" * (-len(data) % 8)
    header = json.dumps({
        "format": "wargame.picture/1", "kind": "picture", "nation": "USA", "move": 1,
        "epoch": "2027-03-01T06:00:00Z", "previous_epoch": "2027-03-01T00:00:00Z", "rows": rows,
        "columns": described, "dictionaries": DICTIONARIES,
    }).encode()
    head = struct.pack("<I", len(header)) + header
    head += b"\0" * (-len(head) % 8)
    k = 42
    expected = {"id": ids[k], "name": names[k], "lat": round(float(lat[k]) * LAT_SCALE, 1),
                "lon": round(float(lon[k]) * LON_SCALE, 1)}
    return head + body, expected


def test_a_binary_picture_of_50000_rows(demo_server: DemoServer, browser: Any) -> None:
    resource, expected = picture_resource(ROWS)
    page: Page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    asked: list[str] = []

    def with_picture(view: dict[str, Any]) -> None:
        view["picture"] = {"nation": "USA", "move": 1, "held": ROWS, "by_source": {}, "precise": None,
                           "url": "/api/picture?move=1"}
        view["picture_move"] = 1

    def serve_picture(route: Any) -> None:
        asked.append(route.request.url)
        assert route.request.headers.get("authorization", "").startswith("Bearer ")
        route.fulfill(status=200, content_type="application/vnd.wargame.picture", body=resource)

    proxy_snapshots(page, with_picture)
    page.route("**/api/picture*", serve_picture)
    page.goto(demo_server.links["United States team"])
    count = page.get_by_test_id("track-count")
    expect(count).to_have_attribute("data-total", str(ROWS))
    assert asked and asked[0].endswith("/api/picture?move=1")
    expect(page.get_by_test_id("world-map")).to_have_attribute("data-tracks", str(ROWS))
    # Decoded values: a row found with the filter shows the quantized position of the resource.
    page.get_by_test_id("track-filter").fill(expected["id"])
    expect(count).to_have_attribute("data-shown", "1")
    row = page.get_by_test_id(f"track-row-{expected['id']}")
    expect(row.locator("th")).to_contain_text(expected["name"])
    cells = row.locator("td")
    assert float(cells.nth(6).inner_text()) == pytest.approx(expected["lat"], abs=0.051)
    assert float(cells.nth(7).inner_text()) == pytest.approx(expected["lon"], abs=0.051)
    assert int(page.evaluate("document.getElementsByTagName('*').length")) < 20_000
    assert errors == []
