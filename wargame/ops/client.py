"""A protocol client on `websockets` that records its stream, reconnects, resumes and resends.

It behaves like the browser's connection: hello{last_pos} after every (re)connect, commands
resent with their original command_id until acknowledged, snapshots read from their parts, and a
record of every event frame (its position in the seat's stream, receipt time) so a run can count
what was lost, duplicated or out of order.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from wargame.protocol.messages import PROTOCOL_VERSION, SUBPROTOCOL

_ids = itertools.count(1)


@dataclass
class Received:
    pos: int
    at_wall: float
    event: dict[str, Any]


@dataclass
class StreamClient:
    """One seat's socket, moving to the next server URL when its server goes away."""

    urls: list[str]
    token: str
    index: int = 0
    reconnect: bool = True
    max_attempts: int = 120
    last_pos: int | None = None
    first_snapshot: int | None = None
    snapshots: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    gaps: int = 0
    reconnects: int = 0
    closes: list[int] = field(default_factory=list)
    welcome: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = field(default_factory=list)
    presence: list[str] | None = None
    view: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        self.ws: ClientConnection | None = None
        self._pending: dict[str, tuple[dict[str, Any], asyncio.Future[dict[str, Any]]]] = {}
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._stopped = False
        self._sends: set[asyncio.Future[None]] = set()
        self._parts: list[str] = []
        self.snapshot_bytes = 0
        self.bytes_received = 0
        """Bytes of every frame's payload this client got, over all its connections."""

    @property
    def url(self) -> str:
        return self.urls[self.index % len(self.urls)]

    @property
    def origin(self) -> str:
        return "http://" + self.url.split("/")[2]

    async def start(self, timeout_s: float = 60) -> None:
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self._ready.wait(), timeout_s)

    async def _open(self) -> ClientConnection:
        return await connect(
            self.url,
            subprotocols=[Subprotocol(p) for p in (SUBPROTOCOL, f"token.{self.token}")],
            origin=Origin(self.origin),
            compression=None,
            max_size=None,
            open_timeout=20,
            ping_interval=None,
        )

    async def _run(self) -> None:
        attempts = 0
        while not self._stopped:
            try:
                self.ws = await self._open()
                attempts = 0
                await self._session(self.ws)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                code = getattr(getattr(exc, "rcvd", None), "code", None)
                if code is not None:
                    self.closes.append(int(code))
                    if code == 4401:
                        self._stopped = True
            self.ws = None
            if self._stopped or not self.reconnect:
                self._ready.set()
                return
            attempts += 1
            if attempts > self.max_attempts:
                self._ready.set()
                return
            self.reconnects += 1
            self.index += 1
            await asyncio.sleep(min(1.0, 0.05 * attempts))

    async def _session(self, ws: ClientConnection) -> None:
        self._parts = []
        await ws.send(json.dumps({"type": "hello", "protocol": PROTOCOL_VERSION, "last_pos": self.last_pos}))
        async for raw in ws:
            self.bytes_received += len(raw.encode() if isinstance(raw, str) else raw)
            self._handle(json.loads(raw), ws)
        if ws.close_code is not None:
            self.closes.append(ws.close_code)
            if ws.close_code == 4401:
                self._stopped = True

    def _handle(self, message: dict[str, Any], ws: ClientConnection) -> None:
        kind = message["type"]
        if kind == "welcome":
            self.welcome = message
            for command, _ in self._pending.values():
                task = asyncio.ensure_future(ws.send(json.dumps(command)))
                self._sends.add(task)
                task.add_done_callback(self._sends.discard)
        elif kind == "snapshot":
            self._parts.append(message["data"])
            self.snapshot_bytes += len(message["data"])
            if message["part"] < message["parts"]:
                return
            self.view = json.loads("".join(self._parts))
            self._parts = []
            self.snapshots.append(message["pos"])
            if self.first_snapshot is None:
                self.first_snapshot = message["pos"]
            self.last_pos = message["pos"]
            self._ready.set()
        elif kind == "event":
            if message["pos"] != (self.last_pos or 0) + 1:
                self.gaps += 1
            self.received.append(Received(message["pos"], time.time(), message["event"]))
            if self.last_pos is None or message["pos"] > self.last_pos:
                self.last_pos = message["pos"]
            self._ready.set()
        elif kind in ("ack", "rejected"):
            pending = self._pending.pop(message["command_id"], None)
            if pending is not None and not pending[1].done():
                pending[1].set_result(message)
        elif kind == "presence":
            self.presence = message["online"]
            self._ready.set()
        elif kind == "error":
            self.errors.append(message)
            if message["code"] in ("bad_message", "bad_json") and len(self._pending) == 1:
                ((_, future),) = self._pending.values()  # the only command in flight was refused
                self._pending.clear()
                if not future.done():
                    future.set_result(message)

    async def command(
        self, command: dict[str, Any], command_id: str | None = None, timeout_s: float = 300
    ) -> dict[str, Any]:
        """Send a command (resent after reconnects) and wait for its ack or rejection."""
        cid = command_id or f"ops-{next(_ids)}-{time.time_ns() % 10**9}"
        frame = {"type": "command", "command_id": cid, "command": command}
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[cid] = (frame, future)
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.send(json.dumps(frame))
        return await asyncio.wait_for(future, timeout_s)

    async def stop(self) -> None:
        self._stopped = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task


async def start_clients(clients: list[StreamClient], concurrency: int = 50) -> None:
    """Connect many clients, `concurrency` handshakes at a time."""
    gate = asyncio.Semaphore(concurrency)

    async def one(client: StreamClient) -> None:
        async with gate:
            await client.start()

    await asyncio.gather(*(one(c) for c in clients))
