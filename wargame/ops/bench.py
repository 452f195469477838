"""`wargame bench fanout`: a 1 KB event to N sockets through this server vs a bare websockets server.

Both servers run at the same time, each in its own process on 127.0.0.1. The receiving clients
run in a third process (this one): N sockets on each server, the same client code for both. A
round is timed from just before the trigger leaves its sending client until the last of the N
clients holds the event. For this server the trigger is a real command (a coalition chat of
~1 KB: decided, appended to the log, committed, projected and serialized once per audience, 5
audiences); for the bare server it is a frame on which it broadcasts a prepared event with
`websockets.broadcast`. The two servers' rounds alternate (ABBA), with a short quiet pause after
each, so load from elsewhere on the machine hits both alike. Reported: median and p99 per round
for each, and their ratio.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from wargame.ops.game import TEAMS, seat_tokens
from wargame.ops.topology import free_port, health, kill, spawn, wait_until
from wargame.protocol.messages import PROTOCOL_VERSION, SUBPROTOCOL

CHAT_TEXT = "x" * 700  # with the envelope and header the event frame is about 1 KB
WARMUP_ROUNDS = 4  # per server, not counted (first statements, caches)
PAUSE_S = 0.03  # quiet time after each round: a round is a latency sample, not a throughput one


class Receivers:
    """N sockets; `round()` waits until each has received one more event frame."""

    def __init__(self) -> None:
        self.sockets: list[ClientConnection] = []
        self.count = 0
        self.target = 0
        self.done = asyncio.Event()
        self.sizes: list[int] = []
        self.tasks: list[asyncio.Task[None]] = []

    async def add(self, url: str, subprotocols: list[str], origin: str) -> None:
        ws = await connect(
            url,
            subprotocols=[Subprotocol(p) for p in subprotocols] or None,
            origin=Origin(origin),
            compression=None,
            max_size=None,
            ping_interval=None,
        )
        self.sockets.append(ws)
        self.tasks.append(asyncio.create_task(self._read(ws)))

    async def _read(self, ws: ClientConnection) -> None:
        async for raw in ws:
            if '"type":"event"' in raw[:40]:
                self.sizes.append(len(raw))
                self.count += 1
                if self.count >= self.target:
                    self.done.set()

    async def round(self, trigger: Any, timeout_s: float = 30) -> float:
        self.count, self.target = 0, len(self.sockets)
        self.done.clear()
        start = time.perf_counter()
        await trigger()
        await asyncio.wait_for(self.done.wait(), timeout_s)
        return (time.perf_counter() - start) * 1000

    async def close(self) -> None:
        for ws in self.sockets:
            await ws.close()
        for task in self.tasks:
            task.cancel()


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 2),
    }


class Side:
    """One server under test: its receivers and a `trigger(n)` that makes it send event n."""

    def __init__(self, name: str, receivers: Receivers, trigger: Callable[[int], Awaitable[None]]) -> None:
        self.name = name
        self.receivers = receivers
        self.trigger = trigger
        self.samples: list[float] = []

    async def round(self, n: int) -> float:
        return await self.receivers.round(lambda: self.trigger(n))


async def bare_side(clients: int) -> tuple[Side, subprocess.Popen[bytes], ClientConnection]:
    port = free_port()
    proc = spawn([sys.executable, "-m", "wargame.ops.bare", str(port)], dict(os.environ))
    url, origin = f"ws://127.0.0.1:{port}/", f"http://127.0.0.1:{port}"
    receivers = Receivers()
    for _ in range(150):
        try:
            await receivers.add(url, [], origin)
            break
        except OSError:
            await asyncio.sleep(0.2)
    for _ in range(clients - 1):
        await receivers.add(url, [], origin)
    sender = await connect(url, compression=None, origin=Origin(origin))

    async def trigger(n: int) -> None:
        await sender.send(f"go {n + 1}")

    return Side("bare", receivers, trigger), proc, sender


async def server_side(clients: int, workdir: Path) -> tuple[Side, subprocess.Popen[bytes], ClientConnection]:
    port = free_port()
    env = dict(
        os.environ,
        WARGAME_STATE_DIR=str(workdir),
        WARGAME_ADJUDICATION_PROCESSES="0",
        WARGAME_RATE_PER_SECOND="1000",
        WARGAME_RATE_BURST=str(max(1000, 2 * clients)),  # every receiver's hello, shared per seat
        WARGAME_MAX_SOCKETS_PER_SEAT=str(clients + 1),  # all receivers sit in five seats
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    created = json.loads(
        subprocess.run(
            [sys.executable, "-m", "wargame.cli", "exercise", "create", "tutorial", "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    tokens = seat_tokens(created)
    proc = spawn([sys.executable, "-m", "wargame.cli", "serve", "--no-migrate", "--port", str(port)], env)
    wait_until(lambda: health(port), 30, "the server")
    url, origin = f"ws://127.0.0.1:{port}/ws/exercise/", f"http://127.0.0.1:{port}"
    viewers = ["white_cell", "facilitator", *(f"team:{n}" for n in TEAMS)]
    receivers = Receivers()
    for i in range(clients):
        token = tokens[viewers[i % len(viewers)]]
        await receivers.add(url, [SUBPROTOCOL, f"token.{token}"], origin)
        hello = {"type": "hello", "protocol": PROTOCOL_VERSION, "last_pos": None}
        await receivers.sockets[-1].send(json.dumps(hello))
    sender = await connect(
        url,
        subprotocols=[Subprotocol(SUBPROTOCOL), Subprotocol(f"token.{tokens['team:USA']}")],
        origin=Origin(origin),
        compression=None,
    )

    async def trigger(n: int) -> None:
        command = {"type": "post_chat", "channel": "coalition", "text": CHAT_TEXT}
        await sender.send(json.dumps({"type": "command", "command_id": f"bench-{n}", "command": command}))

    return Side("server", receivers, trigger), proc, sender


async def run(clients: int, rounds: int) -> dict[str, Any]:
    """Both servers up at once; their rounds alternate, so load from elsewhere hits both alike."""
    procs: list[subprocess.Popen[bytes]] = []
    senders: list[ClientConnection] = []
    sides: list[Side] = []
    with tempfile.TemporaryDirectory(prefix="wargame-bench-") as tmp:
        try:
            for make in (lambda: server_side(clients, Path(tmp)), lambda: bare_side(clients)):
                side, proc, sender = await make()
                sides.append(side)
                procs.append(proc)
                senders.append(sender)
            await asyncio.sleep(1.0)  # handshakes, hellos and snapshots settle
            for n in range(-WARMUP_ROUNDS, rounds):
                for side in sides if n % 2 == 0 else reversed(sides):
                    sample = await side.round(n + WARMUP_ROUNDS)
                    if n >= 0:
                        side.samples.append(sample)
                    await asyncio.sleep(PAUSE_S)
            server, bare = sides
            size = int(statistics.median(server.receivers.sizes)) if server.receivers.sizes else 0
            for sender in senders:
                await sender.close()
            for side in sides:
                await side.receivers.close()
        finally:
            for proc in procs:
                kill(proc)
    ours, theirs = stats(server.samples), stats(bare.samples)
    return {
        "clients": clients,
        "rounds": rounds,
        "event_bytes": size,
        "server": ours,
        "bare": theirs,
        "fanout_p50_vs_bare": round(ours["p50_ms"] / theirs["p50_ms"], 2),
        "fanout_p99_vs_bare": round(ours["p99_ms"] / theirs["p99_ms"], 2),
    }


def run_fanout_bench(clients: int, rounds: int, as_json: bool) -> int:
    result = asyncio.run(run(clients, rounds))
    if as_json:
        print(json.dumps(result, indent=1))
    else:
        print(
            f"{clients} clients, {result['event_bytes']} B event, {rounds} rounds: "
            f"server p50 {result['server']['p50_ms']} ms p99 {result['server']['p99_ms']} ms; "
            f"bare p50 {result['bare']['p50_ms']} ms p99 {result['bare']['p99_ms']} ms; "
            f"median ratio {result['fanout_p50_vs_bare']}x (target <= 1.5x)"
        )
    return 0
