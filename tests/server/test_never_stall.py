"""While a move adjudicates, every other command goes on: a real daphne process, real websockets.

The server's core takes 3 s a move (tests/server/slow_server.py). While exercise slow-1
adjudicates, a chat in exercise slow-2 and a chat in slow-1 itself are acknowledged at once,
long before the advance; slow-1's team orders are refused until its next move opens, then
accepted. On SQLite (the embedded setup) and, when DATABASE_URL names one, on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from wargame.ops.client import StreamClient, start_clients
from wargame.ops.topology import create_database, drop_database, free_port, health, kill, wait_until

pytestmark = [pytest.mark.integration]

LAUNCHER = Path(__file__).with_name("slow_server.py")
DELAY_S = 3.0
ORDER = {"type": "submit_order", "order": {"kind": "anti_jam", "asset_id": "usa-sat", "enabled": True}}


@dataclass
class SlowServer:
    url: str
    tokens: dict[str, dict[str, str]]


def start_slow_server(
    env: dict[str, str], delay_s: float, log: Path
) -> tuple[subprocess.Popen[bytes], SlowServer]:
    """The launcher on a free port; its first stdout line holds the exercises' tokens."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(LAUNCHER), "--port", str(port), "--delay", str(delay_s)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("ab"),
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line:
        kill(proc)
        raise RuntimeError(f"the slow server did not start: {log.read_text()[-2000:]}")
    wait_until(lambda: health(port), 30, "the slow server")
    return proc, SlowServer(f"ws://127.0.0.1:{port}/ws/exercise/", json.loads(line))


@pytest.fixture(params=["sqlite", "postgresql"])
def slow_server(request: pytest.FixtureRequest) -> Iterator[SlowServer]:
    base = os.environ.get("DATABASE_URL", "")
    if request.param == "postgresql" and not base.startswith("postgres"):
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    with tempfile.TemporaryDirectory(prefix="wargame-stall-") as tmp:
        env = dict(os.environ, WARGAME_STATE_DIR=tmp, WARGAME_LOG_LEVEL="WARNING")
        database = create_database(base) if request.param == "postgresql" else None
        if database is None:
            env.pop("DATABASE_URL", None)  # its own SQLite file
        else:
            env["DATABASE_URL"] = database
        env.pop("REDIS_URL", None)  # one process: the in-memory layer
        proc = None
        try:
            proc, server = start_slow_server(env, DELAY_S, Path(tmp) / "server.log")
            yield server
        finally:
            if proc is not None:
                kill(proc)
            if database is not None:
                drop_database(database)


async def until(check: object, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def test_commands_go_on_while_an_exercise_adjudicates(slow_server: SlowServer) -> None:
    one, two = slow_server.tokens["slow-1"], slow_server.tokens["slow-2"]
    urls = [slow_server.url]
    white = StreamClient(urls, one["white_cell"], reconnect=False)
    usa = StreamClient(urls, one["team:USA"], reconnect=False)
    other = StreamClient(urls, two["team:GBR"], reconnect=False)
    await start_clients([white, usa, other])
    try:
        pressed = time.monotonic()
        advancing = asyncio.create_task(white.command({"type": "advance_move", "from_move": 1}))
        await until(lambda: any(r.event["type"] == "move_closing" for r in usa.received))
        closing_s = time.monotonic() - pressed

        sent = time.monotonic()
        chat = await other.command({"type": "post_chat", "channel": "coalition", "text": "unrelated"})
        other_chat_s = time.monotonic() - sent
        own = await usa.command({"type": "post_chat", "channel": "team", "text": "waiting for move 2"})
        refused = await usa.command(ORDER)
        during_s = time.monotonic() - pressed
        assert not advancing.done()

        advanced = await advancing
        advance_s = time.monotonic() - pressed
        assert chat["type"] == "ack" and own["type"] == "ack", (chat, own)
        assert (refused["type"], refused["code"]) == ("rejected", "wrong_phase")
        assert refused["message"] == "move 1 is being adjudicated; orders go to move 2 once it opens"
        assert advanced["type"] == "ack"
        assert advance_s >= DELAY_S  # the core really took its time ...
        assert closing_s < 1.5 and other_chat_s < 1.0  # ... and nothing waited for it
        assert during_s < advance_s - 1.5  # the chats' acks came well before the advance's
        accepted = await usa.command(ORDER)
        assert accepted["type"] == "ack", accepted
        await until(lambda: any(r.event["type"] == "move_advanced" for r in usa.received))
        seen = [r.event["type"] for r in usa.received]
        assert seen.index("move_closing") < seen.index("chat_posted") < seen.index("move_advanced")
        assert usa.gaps == 0 and white.gaps == 0 and other.gaps == 0
    finally:
        for client in (white, usa, other):
            await client.stop()
