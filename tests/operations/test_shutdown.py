"""Graceful shutdown: SIGTERM closes sockets in batches with 4503 and exits; a server killed
outright or stopped leaves no process behind (its adjudication pool and fork server)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

from wargame.ops.topology import free_port, health, kill, spawn, wait_until
from wargame.protocol.messages import CLOSE_SERVER_RESTART, PROTOCOL_VERSION, SUBPROTOCOL
from wargame.server import lifecycle

REPO = Path(__file__).resolve().parents[2]


class FakeSocket:
    def __init__(self, seat_id: int) -> None:
        self.role, self.seat_id, self.closed = "player", seat_id, False
        self.cuts: list[tuple[int, str]] = []

    async def cut(self, code: int, message: str) -> None:
        self.closed = True
        self.cuts.append((code, message))


def test_batches_spread_the_sockets_over_the_drain() -> None:
    assert lifecycle.batches(40, 5.0, 0.25) == (2, 20)
    assert lifecycle.batches(3, 5.0, 0.25) == (1, 3)
    assert lifecycle.batches(1000, 5.0, 0.25) == (50, 20)
    assert lifecycle.batches(10, 0.0, 0.25) == (10, 1)
    assert lifecycle.batches(0, 5.0, 0.25) == (0, 0)


async def test_drain_closes_every_socket_with_4503_in_batches() -> None:
    sockets = [FakeSocket(n) for n in range(10)]
    batches: list[int] = []
    others = set(lifecycle.open_sockets)  # sockets earlier tests of this process left open
    lifecycle.open_sockets.clear()

    async def sleep(seconds: float) -> None:
        batches.append(sum(1 for s in sockets if s.closed))

    for sock in sockets:
        lifecycle.register(sock)
    try:
        assert await lifecycle.drain(1.0, every_s=0.25, sleep=sleep) == 10
    finally:
        for sock in sockets:
            lifecycle.unregister(sock)
        lifecycle.open_sockets.update(others)
        lifecycle.state.draining = False
    assert batches == [3, 6, 9]  # then the last one: 4 batches, a pause between each two
    assert all(s.cuts == [(CLOSE_SERVER_RESTART, lifecycle.DRAIN_MESSAGE)] for s in sockets)


def processes_of(marker: str) -> list[int]:
    """Processes whose environment carries this test's state folder: the server and its children."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"WARGAME_STATE_DIR={marker}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def tutorial(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, Any]]]:
    """An SQLite state folder holding a tutorial exercise (the embedded server's setup)."""
    state = tmp_path_factory.mktemp("served")
    env = server_env(state)
    made = subprocess.run(
        [sys.executable, "-m", "wargame.cli", "exercise", "create", "tutorial", "--json"],
        env=env, capture_output=True, text=True, timeout=300, check=True,
    )
    yield state, json.loads(made.stdout)


def server_env(state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PYTHONPATH=str(REPO), WARGAME_STATE_DIR=str(state), WARGAME_DRAIN_SECONDS="1")
    return env


def token(created: dict[str, Any], role: str) -> str:
    return str(next(s["token"] for s in created["seats"] if s["role"] == role))


async def open_socket(port: int, seat_token: str) -> ClientConnection:
    ws = await connect(
        f"ws://127.0.0.1:{port}/ws/exercise/",
        subprotocols=[Subprotocol(SUBPROTOCOL), Subprotocol(f"token.{seat_token}")],
        origin=Origin(f"http://127.0.0.1:{port}"),
        max_size=2**24,
    )
    assert json.loads(await ws.recv())["type"] == "welcome"
    await ws.send(json.dumps({"type": "hello", "protocol": PROTOCOL_VERSION, "last_pos": None}))
    return ws


async def start_exercise(port: int, white_token: str) -> None:
    """Start the tutorial: the first pictures run in the server's adjudication pool."""
    ws = await open_socket(port, white_token)
    command = {"type": "command", "command_id": "start-1", "command": {"type": "start_exercise"}}
    await ws.send(json.dumps(command))
    async for raw in ws:
        message = json.loads(raw)
        if message["type"] in ("ack", "rejected"):
            assert message["type"] == "ack", message
            break
    await ws.close()


def serve(state: Path, log_name: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    log = (state / log_name).open("ab")
    args = [sys.executable, "-m", "wargame.cli", "serve", "--port", str(port)]
    server = spawn(args, server_env(state), log)
    wait_until(lambda: health(port), 90, "the server")
    return server, port


def test_a_killed_server_leaves_no_process(tutorial: tuple[Path, dict[str, Any]]) -> None:
    state, created = tutorial
    server, port = serve(state, "killed.log")
    try:
        asyncio.run(start_exercise(port, token(created, "white_cell")))
        family = processes_of(str(state))
        assert server.pid in family and len(family) >= 3  # server, fork server, pool worker
        server.send_signal(signal.SIGKILL)
        server.wait(10)
        wait_until(lambda: processes_of(str(state)) == [], 20, "the pool and fork server to exit")
    finally:
        kill(server)


async def hold_and_watch(port: int, tokens: list[str], server: subprocess.Popen[bytes]) -> list[Any]:
    """Open the sockets, stop the server with SIGTERM, and gather how each one ended."""
    sockets = [await open_socket(port, t) for t in tokens]

    async def ending(ws: ClientConnection) -> tuple[str | None, int | None]:
        error = None
        try:
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "error":
                    error = message["code"]
        except ConnectionClosed:
            pass
        return error, ws.close_code

    watching = [asyncio.create_task(ending(ws)) for ws in sockets]
    await asyncio.sleep(0.5)  # every hello answered
    server.send_signal(signal.SIGTERM)
    return list(await asyncio.wait_for(asyncio.gather(*watching), 60))


def test_sigterm_drains_the_sockets_and_exits_cleanly(tutorial: tuple[Path, dict[str, Any]]) -> None:
    state, created = tutorial
    server, port = serve(state, "stopped.log")
    try:
        asyncio.run(start_exercise(port, token(created, "white_cell")))
        seats = [s["token"] for s in created["seats"]]
        endings = asyncio.run(hold_and_watch(port, seats * 2, server))
        assert endings == [("server_restart", CLOSE_SERVER_RESTART)] * len(seats) * 2
        assert server.wait(30) == 0
        wait_until(lambda: processes_of(str(state)) == [], 20, "the pool and fork server to exit")
    finally:
        kill(server)
    log = (state / "stopped.log").read_text()
    assert 'message="shutting down" signal=SIGTERM' in log
    assert f'message="draining sockets" sockets={len(seats) * 2} batches=4 seconds=1.0' in log
    assert f"message=drained sockets={len(seats) * 2} still_open=0" in log
    assert "leaked" not in log
