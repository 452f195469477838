"""A real stalled client against a real daphne process: cut off (4008 or dropped), others unharmed.

The stalled client is a raw socket with a small receive buffer that completes the websocket
handshake, takes its snapshot and then stops reading while another seat posts ~3.6 KB chats
until far more than the kernel buffers and the server's limit (`WARGAME_SLOW_CLIENT_BYTES`,
64 KiB here) are waiting for it. The server must close it; a normal client of the same seat and
the white cell must still get every event in order without a reconnect; and the stalled seat,
resuming with hello{last_pos}, must get exactly what it missed.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from wargame.ops.client import StreamClient, start_clients
from wargame.ops.game import seat_tokens
from wargame.ops.topology import free_port, health, kill, spawn, wait_until
from wargame.ops.verify import check_client, fetch_log
from wargame.protocol.messages import PROTOCOL_VERSION, SUBPROTOCOL

pytestmark = [pytest.mark.integration]

LIMIT = 64 * 1024
CHATS = 160
TEXT = "s" * 3500


@dataclass
class Server:
    port: int
    tokens: dict[str, str]

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/exercise/"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with tempfile.TemporaryDirectory(prefix="wargame-slow-") as tmp:
        env = dict(
            os.environ,
            WARGAME_STATE_DIR=str(Path(tmp)),
            WARGAME_ADJUDICATION_PROCESSES="0",
            WARGAME_RATE_PER_SECOND="10000",
            WARGAME_RATE_BURST="10000",
            WARGAME_SLOW_CLIENT_BYTES=str(LIMIT),
            WARGAME_SNAPSHOT_WHEN_BEHIND="100000",
        )
        env.pop("DATABASE_URL", None)  # one process on its own SQLite file and in-memory layer
        env.pop("REDIS_URL", None)
        cli = [sys.executable, "-m", "wargame.cli"]
        create = [*cli, "exercise", "create", "tutorial", "--json"]
        created = subprocess.run(create, env=env, capture_output=True, text=True, check=True)
        port = free_port()
        proc = spawn([*cli, "serve", "--no-migrate", "--port", str(port)], env)
        try:
            wait_until(lambda: health(port), 30, "the server")
            yield Server(port, seat_tokens(json.loads(created.stdout)))
        finally:
            kill(proc)


class RawClient:
    """A websocket client on a bare blocking socket, so that it can simply stop reading."""

    def __init__(self, server: Server, token: str) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connect: small window
        self.sock.settimeout(10)
        self.sock.connect(("127.0.0.1", server.port))
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            "GET /ws/exercise/ HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: {SUBPROTOCOL}, token.{token}\r\n"
            f"Origin: {server.http}\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 101"), head
        self.messages: list[dict[str, Any]] = []
        self.close_code: int | None = None
        self.ended = ""  # how the connection ended while draining: "close frame", "eof", "reset"

    def send(self, data: dict[str, Any]) -> None:
        payload = json.dumps(data).encode()
        assert len(payload) < 126
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes((0x81, 0x80 | len(payload))) + mask + masked)

    def _parse(self) -> None:
        """Take the complete frames off the buffer."""
        while len(self.buffer) >= 2:
            opcode, size = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F
            offset = 2
            if size == 126:
                if len(self.buffer) < 4:
                    return
                size, offset = int.from_bytes(self.buffer[2:4], "big"), 4
            elif size == 127:
                if len(self.buffer) < 10:
                    return
                size, offset = int.from_bytes(self.buffer[2:10], "big"), 10
            if len(self.buffer) < offset + size:
                return
            payload, self.buffer = self.buffer[offset : offset + size], self.buffer[offset + size :]
            if opcode == 0x1:
                self.messages.append(json.loads(payload))
            elif opcode == 0x8:
                self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005

    def read_until(self, kind: str) -> dict[str, Any]:
        while True:
            self._parse()
            for message in self.messages:
                if message["type"] == kind:
                    return message
            chunk = self.sock.recv(65536)
            assert chunk, f"connection closed before a {kind}"
            self.buffer += chunk

    def drain(self, timeout_s: float) -> None:
        """Read everything left until the connection ends (or nothing comes for `timeout_s`)."""
        self.sock.settimeout(timeout_s)
        while self.close_code is None:
            try:
                chunk = self.sock.recv(1 << 20)
            except TimeoutError:
                self.ended = "timeout"
                break
            except ConnectionResetError:
                self.ended = "reset"
                break
            if not chunk:
                self.ended = "eof"
                break
            self.buffer += chunk
            self._parse()
        if self.close_code is not None:
            self.ended = "close frame"
        self.sock.close()

    def events(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == "event"]


async def scenario(server: Server) -> None:
    gbr_token = server.tokens["team:GBR"]
    stalled = RawClient(server, gbr_token)
    stalled.send({"type": "hello", "protocol": PROTOCOL_VERSION, "last_pos": None})
    start_pos = int(stalled.read_until("snapshot")["pos"])
    # From here on the stalled client reads nothing.

    normal = StreamClient([server.url], gbr_token, reconnect=False)
    white = StreamClient([server.url], server.tokens["white_cell"], reconnect=False)
    usa = StreamClient([server.url], server.tokens["team:USA"], reconnect=False)
    await start_clients([normal, white, usa])
    for n in range(CHATS):
        reply = await usa.command({"type": "post_chat", "channel": "coalition", "text": f"{n} {TEXT}"})
        assert reply["type"] == "ack", reply

    gbr_log = fetch_log(server.http, gbr_token)
    head = gbr_log[-1]["pos"]
    white_head = fetch_log(server.http, server.tokens["white_cell"])[-1]["pos"]
    for _ in range(200):
        if normal.last_pos == head and white.last_pos == white_head:
            break
        await asyncio.sleep(0.05)

    # The others got everything, in order, on their first connection.
    for client, token in ((normal, gbr_token), (white, server.tokens["white_cell"])):
        report = check_client(client, fetch_log(server.http, token))
        assert report == {
            "lost": 0, "duplicated": 0, "out_of_order": 0, "mismatched": 0, "gaps_seen": 0, "resyncs": 0
        }, report
        assert client.reconnects == 0 and client.closes == []

    # The stalled one was closed by the server: a 4008 close frame, or the connection dropped.
    await asyncio.to_thread(stalled.drain, 5.0)
    assert stalled.ended in ("close frame", "eof", "reset"), stalled.ended
    print(f"stalled client: {len(stalled.events())} events, then {stalled.ended} {stalled.close_code or ''}")
    if stalled.close_code is not None:
        assert stalled.close_code == 4008
    got = stalled.events()
    previous = start_pos
    for event in got:  # what it did get before the cut is a contiguous prefix
        assert event["pos"] == previous + 1
        previous = event["pos"]
    assert previous < head, "the stalled client was never cut off"
    sent_bytes = sum(len(json.dumps(e)) for e in gbr_log if e["pos"] > start_pos)
    assert sent_bytes > 8 * LIMIT  # the volume that made it slow

    # It resumes from the last event it holds and gets exactly what it missed.
    resumed = StreamClient([server.url], gbr_token, reconnect=False, last_pos=previous)
    await resumed.start()
    for _ in range(200):
        if resumed.last_pos == head:
            break
        await asyncio.sleep(0.05)
    missed = [e for e in gbr_log if e["pos"] > previous]
    assert resumed.snapshots == [] and resumed.gaps == 0
    assert [r.pos for r in resumed.received] == [e["pos"] for e in missed]
    assert [{**r.event, "pos": r.pos} for r in resumed.received] == missed
    assert [e["pos"] for e in got] + [r.pos for r in resumed.received] == [
        e["pos"] for e in gbr_log if e["pos"] > start_pos
    ]
    for client in (normal, white, usa, resumed):
        await client.stop()


def test_a_stalled_client_is_cut_off_and_resumes_exactly(server: Server) -> None:
    asyncio.run(asyncio.wait_for(scenario(server), 60))
