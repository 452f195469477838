"""A real demo server process and the system's Chromium, driven by Playwright."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

# Pages start a WebGL map on a software renderer (SwiftShader) on a 2-core machine shared with
# other test runs: give assertions more time than Playwright's default 5 s.
expect.set_options(timeout=15_000)

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    # WebGL2 for the deck.gl map without a GPU: ANGLE on SwiftShader (software Vulkan). Chromium
    # only falls back to SwiftShader for WebGL when it is allowed explicitly.
    "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist",
]
NO_WEBGL_ARGS = [*CHROMIUM_ARGS, "--disable-3d-apis"]
"""A browser without WebGL: the map falls back to a 2D canvas."""


@dataclass
class DemoServer:
    url: str
    links: dict[str, str]
    """Seat label -> join link."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_demo(
    data_dir: Path, args: list[str] | None = None, module: str = "wargame.cli", timeout_s: float = 60
) -> tuple[subprocess.Popen[str], DemoServer]:
    """Start `wargame demo` (or a launcher module taking the same arguments) and read its links."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    process = subprocess.Popen(
        [sys.executable, "-m", module, "demo", "--port", str(port), "--data-dir", str(data_dir),
         *(args or [])],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=REPO,
    )
    assert process.stdout is not None
    links: dict[str, str] = {}
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        match = re.match(r"^\s+(.+?)\s+(http://\S+/play/#seat=\S+)$", line)
        if match:
            links[match.group(1)] = match.group(2)
        if line.startswith("Serving on"):
            break
        if not line and process.poll() is not None:
            pytest.fail("the demo server exited before serving")
    _wait_for_port(port)
    return process, DemoServer(url=f"http://127.0.0.1:{port}", links=links)


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


FRONTEND_DIST = Path(os.environ.get("WARGAME_FRONTEND_DIST", REPO / "frontend" / "dist"))
"""The built frontend the demo server serves (the server reads the same variable)."""


def require_frontend() -> None:
    if not (FRONTEND_DIST / "index.html").exists():
        pytest.fail(f"{FRONTEND_DIST} is not built: run `make install` (npm ci && npm run build)")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    require_frontend()
    process, server = start_demo(tmp_path_factory.mktemp("demo"))
    yield server
    stop(process)


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port}")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make install does it)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def proxy_snapshots(page: object, transform: Callable[[dict[str, Any]], None]) -> None:
    """Route the page's websocket to the real server, rewriting each snapshot's view on the way:
    the parts of a snapshot (protocol v2) are joined, `transform` edits the view in place, and the
    view goes on as one part. Everything else passes unchanged."""
    from playwright.sync_api import Page, WebSocketRoute

    assert isinstance(page, Page)

    def handler(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        parts: list[str] = []

        def from_server(text: str | bytes) -> None:
            data = json.loads(text)
            if data.get("type") != "snapshot":
                ws.send(text if isinstance(text, str) else text.decode())
                return
            parts.append(data["data"])
            if data["part"] < data["parts"]:
                return
            view = json.loads("".join(parts))
            parts.clear()
            transform(view)
            ws.send(json.dumps({**data, "part": 1, "parts": 1, "data": json.dumps(view)}))

        server.on_message(from_server)
        ws.on_message(lambda text: server.send(text))

    page.route_web_socket(re.compile(r"/ws/exercise/"), handler)
