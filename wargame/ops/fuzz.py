"""`wargame fuzz`: malformed, oversized and unauthorized frames against a local server.

A server runs on SQLite on 127.0.0.1 (rate limit lifted for the run). Frames come from a seeded
generator: random bytes and text, truncated and mutated valid messages, wrong types, deep
nesting, frames over 64 KiB, commands the seat may not give (observers, players sending white
cell commands), and handshakes with bad tokens. Each connection sends its first window of
frames before its `hello` (the forbidden commands among them must get `hello_required`), then
says hello and sends the rest. Every frame must get exactly one structured reply (`error` or
`rejected`), the server must stay up, and the log must not change.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Origin, Subprotocol

from wargame.ops.game import seat_tokens
from wargame.ops.topology import free_port, health, kill, spawn, wait_until
from wargame.protocol.messages import PROTOCOL_VERSION, SUBPROTOCOL

WINDOW = 64
VALID = [
    {"type": "hello", "protocol": PROTOCOL_VERSION, "last_pos": 0},
    {"type": "command", "command_id": "c-1", "command": {"type": "start_exercise"}},
    {
        "type": "command",
        "command_id": "c-2",
        "command": {"type": "post_chat", "channel": "team", "text": "hi"},
    },
    {"type": "command", "command_id": "c-3", "command": {"type": "advance_move", "from_move": 1}},
]
CONTROL_COMMANDS = [
    {"type": "start_exercise"},
    {"type": "end_exercise"},
    {"type": "advance_move", "from_move": 1},
    {"type": "release_inject", "inject_id": "inj-001"},
    {"type": "pause_exercise", "reason": "x"},
    {"type": "resume_exercise"},
    {"type": "restore_asset", "asset_id": "usa-gps-iif-8", "reason": "x"},
    {"type": "disclose_status", "asset_id": "usa-gps-iif-8", "reason": "x"},
    {"type": "adhoc_inject", "title": "x", "inject_type": "cyber_seizure", "text": "x"},
    {"type": "force_outcome", "inject_id": "inj-001", "outcome": "miss", "reason": "fuzzing x"},
    {"type": "override_status", "asset_id": "usa-gps-iif-8", "status": "nominal", "reason": "fuzzing x"},
    {"type": "undo_debris", "parent_id": "usa-gps-iif-8", "reason": "fuzzing x"},
    {"type": "undo_collision", "inject_id": "inj-001", "reason": "fuzzing x"},
    {"type": "readjudicate_move", "move": 1, "reason": "fuzzing x"},
    {"type": "skip_inject", "inject_id": "inj-001", "reason": "fuzzing x"},
    {"type": "hold_inject", "inject_id": "inj-001", "reason": "fuzzing x"},
    {"type": "lift_hold", "inject_id": "inj-001", "reason": "fuzzing x"},
    {"type": "retime_inject", "inject_id": "inj-001", "move": 2, "reason": "fuzzing x"},
    {"type": "edit_inject", "inject_id": "inj-001", "title": "x", "reason": "fuzzing x"},
    {"type": "set_move_deadline", "action": "set", "minutes": 5, "reason": "fuzzing x"},
]


def malformed(rng: random.Random) -> str | bytes:
    kind = rng.randrange(9)
    if kind == 0:
        return rng.randbytes(rng.randrange(1, 300))
    if kind == 1:
        return "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randrange(1, 200)))
    if kind == 2:
        text = json.dumps(rng.choice(VALID))
        return text[: rng.randrange(1, len(text))]
    if kind == 3:
        data = json.loads(json.dumps(rng.choice(VALID[1:])))  # each value below is invalid there
        data[rng.choice(list(data))] = rng.choice([None, -1, 2**70, "", [], {}, "x" * 100, 1.5])
        return json.dumps(data)
    if kind == 4:
        return rng.choice(["[", "{"]) * rng.randrange(1, 20000)
    if kind == 5:
        return json.dumps(rng.choice([[], 1, "s", None, True, {"type": None}, {"type": "fly"}]))
    if kind == 6:
        data = json.loads(json.dumps(rng.choice(VALID[1:])))
        data["command"]["type"] = rng.choice(["drop_tables", "", "START_EXERCISE", 7])
        return json.dumps(data)
    if kind == 7:
        return json.dumps(
            {
                "type": "command",
                "command_id": "bad id!" * rng.randrange(1, 20),
                "command": {"type": "end_exercise"},
            }
        )
    return "\x00" * rng.randrange(1, 100)


def oversized(rng: random.Random) -> str:
    return "x" * rng.randrange(64 * 1024 + 1, 200 * 1024)


def forbidden(rng: random.Random, viewer: str) -> str:
    """A well-formed command this seat may not give (so it must be rejected, changing nothing)."""
    command = rng.choice(CONTROL_COMMANDS)
    if viewer == "observer":
        command = rng.choice([*CONTROL_COMMANDS, {"type": "release_product", "product": {"kind": "tracks"},
                                                     "marking": {"releasability": "REL FVEY"}}])
    cid = f"fz-{rng.getrandbits(48):x}"
    return json.dumps({"type": "command", "command_id": cid, "command": command})


async def hammer(
    url: str, origin: str, token: str, viewer: str, frames: int, seed: int, counts: Counter[str]
) -> None:
    rng = random.Random(seed)
    async with connect(
        url,
        subprotocols=[Subprotocol(p) for p in (SUBPROTOCOL, f"token.{token}")],
        origin=Origin(origin),
        max_size=None,
        compression=None,
        ping_interval=None,
    ) as ws:
        await ws.recv()  # welcome
        sent = 0
        while sent < frames:
            if sent == WINDOW:  # the first window went before the hello
                await say_hello(ws)
            batch = min(WINDOW, frames - sent)
            for _ in range(batch):
                roll = rng.random()
                if roll < 0.01:
                    frame: str | bytes = oversized(rng)
                    counts["sent_oversized"] += 1
                elif roll < 0.16:
                    frame = forbidden(rng, viewer)
                    counts["sent_unauthorized"] += 1
                else:
                    frame = malformed(rng)
                    counts["sent_malformed"] += 1
                await ws.send(frame)
            sent += batch
            for _ in range(batch):
                reply = json.loads(await asyncio.wait_for(ws.recv(), 60))
                while reply["type"] == "presence":  # who is online changed: not a reply
                    reply = json.loads(await asyncio.wait_for(ws.recv(), 60))
                kind = reply["type"]
                if kind in ("error", "rejected"):
                    counts[f"{kind}:{reply['code']}"] += 1
                    counts["structured"] += 1
                else:
                    counts[f"unexpected:{kind}"] += 1


async def say_hello(ws: ClientConnection) -> None:
    """Send hello; its answer (a snapshot, and presence) is not counted as a reply."""
    await ws.send(json.dumps({"type": "hello", "protocol": PROTOCOL_VERSION, "last_pos": None}))
    while json.loads(await asyncio.wait_for(ws.recv(), 60))["type"] != "snapshot":
        pass


async def bad_handshakes(url: str, origin: str, count: int, counts: Counter[str]) -> None:
    rng = random.Random(7)
    for _ in range(count):
        token = rng.choice(["", "x" * 500, f"{rng.getrandbits(128):x}", "token.token."])
        async with connect(
            url,
            subprotocols=[Subprotocol(p) for p in (SUBPROTOCOL, f"token.{token}")],
            origin=Origin(origin),
            ping_interval=None,
        ) as ws:
            reply = json.loads(await ws.recv())
            counts["sent_bad_token"] += 1
            if reply.get("code") == "unauthorized":
                counts["structured"] += 1
                counts["error:unauthorized_handshake"] += 1
            await ws.wait_closed()
            counts[f"closed:{ws.close_code}"] += 1


async def drive(port: int, tokens: dict[str, str], frames: int, connections: int, seed: int) -> Counter[str]:
    url, origin = f"ws://127.0.0.1:{port}/ws/exercise/", f"http://127.0.0.1:{port}"
    counts: Counter[str] = Counter()
    viewers = [v for v in sorted(tokens) if v not in ("white_cell", "facilitator")]
    handshakes = max(1, frames // 200)
    per = (frames - handshakes) // connections
    jobs = [
        hammer(
            url,
            origin,
            tokens[viewers[i % len(viewers)]],
            viewers[i % len(viewers)],
            per + (frames - handshakes - per * connections if i == 0 else 0),
            seed + i,
            counts,
        )
        for i in range(connections)
    ]
    await asyncio.gather(*jobs, bad_handshakes(url, origin, handshakes, counts))
    return counts


def run_fuzz(frames: int, connections: int, seed: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="wargame-fuzz-") as tmp:
        env = dict(
            os.environ,
            WARGAME_STATE_DIR=tmp,
            WARGAME_RATE_PER_SECOND="1000000",
            WARGAME_RATE_BURST="1000000",
            WARGAME_ADJUDICATION_PROCESSES="0",
        )
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)

        def wargame(*args: str) -> Any:
            import subprocess

            done = subprocess.run(
                [sys.executable, "-m", "wargame.cli", *args],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            return json.loads(done.stdout)

        created = wargame("exercise", "create", "tutorial", "--json")
        before = wargame("exercise", "verify", created["exercise_id"])
        port = free_port()
        proc = spawn(
            [sys.executable, "-m", "wargame.cli", "serve", "--no-migrate", "--port", str(port)],
            env,
            (Path(tmp) / "server.log").open("ab"),
        )
        try:
            wait_until(lambda: health(port), 30, "the server")
            started = time.monotonic()
            counts = asyncio.run(drive(port, seat_tokens(created), frames, connections, seed))
            elapsed = time.monotonic() - started
            alive = proc.poll() is None and health(port)
        finally:
            kill(proc)
        after = wargame("exercise", "verify", created["exercise_id"])
    sent = sum(v for k, v in counts.items() if k.startswith("sent_"))
    return {
        "frames": sent,
        "structured_replies": counts["structured"],
        "unexpected_replies": sum(v for k, v in counts.items() if k.startswith("unexpected")),
        "crashes": 0 if alive else 1,
        "state_changes": int(before["last_hash"] != after["last_hash"]),
        "seconds": round(elapsed, 1),
        "counts": dict(sorted(counts.items())),
    }


def run_fuzz_command(frames: int, connections: int, seed: int, as_json: bool) -> int:
    result = run_fuzz(frames, connections, seed)
    if as_json:
        print(json.dumps(result, indent=1))
    else:
        print(
            f"{result['frames']} frames in {result['seconds']} s: "
            f"{result['structured_replies']} structured replies, {result['crashes']} crashes, "
            f"{result['state_changes']} state changes, "
            f"{result['unexpected_replies']} unexpected replies"
        )
    ok = (
        result["crashes"] == 0
        and result["state_changes"] == 0
        and result["structured_replies"] == result["frames"]
    )
    return 0 if ok else 1
