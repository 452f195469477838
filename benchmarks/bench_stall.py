"""Benchmark: how long a chat in one exercise waits for its ack while another exercise adjudicates.

Run: .venv/bin/python benchmarks/bench_stall.py [--delay 3] [--advances 5] [--scenario S]
         [--tree DIR] [--json]

A daphne process (tests/server/slow_server.py; SQLite, or a fresh database next to DATABASE_URL's
when it names PostgreSQL) whose core
takes `--delay` seconds a move (or, with `--scenario`, the real core on that shipped scenario,
in its process pool), with two started exercises. Baseline, in the same run: the ack
of a chat in exercise 2 while nothing adjudicates. Measured: the ack of the same chat sent
0.5 s after exercise 1's white cell pressed "advance", for `--advances` moves; and the advance's
own ack. `--tree` runs the server from another checkout (the code before a change), with this
client. Printed: medians, and the ratio of the ack during an advance to the idle one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wargame.ops.client import StreamClient, start_clients
from wargame.ops.topology import create_database, drop_database, free_port, health, kill, wait_until

IDLE_CHATS = 20
CHAT_AFTER_S = 0.5
"""How long after "advance" the chat is sent: the adjudication is under way by then."""


async def measure(url: str, tokens: dict[str, dict[str, str]], advances: int) -> dict[str, list[float]]:
    white = StreamClient([url], tokens["slow-1"]["white_cell"], reconnect=False)
    other = StreamClient([url], tokens["slow-2"]["team:USA"], reconnect=False)
    await start_clients([white, other])
    chat = {"type": "post_chat", "channel": "coalition", "text": "status report"}
    idle: list[float] = []
    during: list[float] = []
    advance: list[float] = []
    try:
        for _ in range(IDLE_CHATS):
            sent = time.perf_counter()
            assert (await other.command(chat))["type"] == "ack"
            idle.append((time.perf_counter() - sent) * 1000)
        for move in range(1, advances + 1):
            pressed = time.perf_counter()
            task = asyncio.create_task(white.command({"type": "advance_move", "from_move": move}))
            await asyncio.sleep(CHAT_AFTER_S)
            sent = time.perf_counter()
            assert (await other.command(chat))["type"] == "ack"
            during.append((time.perf_counter() - sent) * 1000)
            reply = await task
            assert reply["type"] == "ack", reply
            advance.append((time.perf_counter() - pressed) * 1000)
    finally:
        await white.stop()
        await other.stop()
    return {"idle": idle, "during": during, "advance": advance}


def run(tree: Path, delay_s: float, advances: int, scenario: str) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="wargame-bench-stall-") as tmp:
        env = dict(os.environ, WARGAME_STATE_DIR=tmp, PYTHONPATH=str(tree), WARGAME_LOG_LEVEL="ERROR")
        env.pop("REDIS_URL", None)
        base = env.get("DATABASE_URL", "")
        database = create_database(base) if base.startswith("postgres") else None  # a fresh one
        if database is not None:
            env["DATABASE_URL"] = database
        port = free_port()
        launcher = tree / "tests" / "server" / "slow_server.py"
        args = [sys.executable, str(launcher), "--port", str(port), "--delay", str(delay_s)]
        args += ["--moves", str(advances + 1)] + (["--scenario", scenario] if scenario else [])
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError("the server did not start")
            tokens = json.loads(line)
            wait_until(lambda: health(port), 30, "the server")
            return asyncio.run(measure(f"ws://127.0.0.1:{port}/ws/exercise/", tokens, advances))
        finally:
            kill(proc)
            if database is not None:
                drop_database(database)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=3.0, help="seconds the core takes a move")
    parser.add_argument("--advances", type=int, default=5)
    parser.add_argument("--scenario", default="", help="a shipped scenario, adjudicated by the real core")
    parser.add_argument("--tree", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    ms = run(args.tree.resolve(), args.delay, args.advances, args.scenario)
    idle, during = statistics.median(ms["idle"]), statistics.median(ms["during"])
    figures = {
        "core": args.scenario or f"fake, {args.delay:g} s a move",
        "advances": args.advances,
        "chat_ack_idle_ms": round(idle, 1),
        "other_command_ack_ms_during_advance": round(during, 1),
        "other_command_ack_ms_during_advance_max": round(max(ms["during"]), 1),
        "advance_ack_ms": round(statistics.median(ms["advance"]), 1),
        "during_vs_idle": round(during / idle, 2),
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:40} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
