"""`wargame loadtest`: N clients on K server processes play a scripted exercise; every stream checked."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from wargame.ops.client import StreamClient, start_clients
from wargame.ops.game import TEAMS, make_clients, play, seat_tokens, wait_for_pos
from wargame.ops.topology import Topology, start_topology
from wargame.ops.verify import fetch_log, summarize


def http_base(ws_url: str) -> str:
    return "http://" + ws_url.split("/")[2]


async def expected_streams(topo: Topology, tokens: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    base = http_base(topo.urls()[0])
    loop = asyncio.get_running_loop()
    logs = {}
    for token in tokens.values():
        logs[token] = await loop.run_in_executor(None, fetch_log, base, token)
    return logs


async def drive(topo: Topology, tokens: dict[str, str], count: int, moves: int) -> dict[str, Any]:
    urls = topo.urls()
    started = time.monotonic()
    clients = make_clients(tokens, urls, count)
    await start_clients(clients)
    connect_s = time.monotonic() - started
    control = StreamClient(urls, tokens["white_cell"])
    teams = {n: StreamClient(urls, tokens[f"team:{n}"], index=i + 1) for i, n in enumerate(TEAMS)}
    actors = [control, *teams.values()]
    await start_clients(actors)
    played = time.monotonic()
    await play(control, teams, moves, tag="load")
    expected = await expected_streams(topo, tokens)
    last = {t: (events[-1]["pos"] if events else 0) for t, events in expected.items()}
    everyone = [*clients, *actors]
    settled = await wait_for_pos(everyone, last, timeout_s=120)
    play_s = time.monotonic() - played
    summary = summarize(everyone, expected)
    for client in everyone:
        await client.stop()
    return {
        "clients": len(everyone),
        "servers": len(urls),
        "moves": moves,
        "events": max(last.values()),
        "settled": settled,
        "connect_s": round(connect_s, 2),
        "play_s": round(play_s, 2),
        **summary,
    }


def run_loadtest(
    clients: int, servers: int, moves: int, workers: int = 1, postgres: str | None = None
) -> dict[str, Any]:
    topo = start_topology(servers, workers, postgres_url=postgres)
    try:
        tokens = seat_tokens(topo.create_exercise())
        return asyncio.run(drive(topo, tokens, clients, moves))
    finally:
        topo.close()


def run_loadtest_command(
    clients: int, servers: int, moves: int, workers: int, postgres: str | None, as_json: bool
) -> int:
    result = run_loadtest(clients, servers, moves, workers, postgres)
    if as_json:
        print(json.dumps(result, indent=1))
    else:
        print(
            f"{result['clients']} clients on {result['servers']} servers, {result['events']} events: "
            f"lost {result['lost']}, duplicated {result['duplicated']}, "
            f"out of order {result['out_of_order']}, mismatched {result['mismatched']}; "
            f"latency p50 {result['latency_ms']['p50']} ms, p99 {result['latency_ms']['p99']} ms; "
            f"all clients p50 {result['all_clients_ms']['p50']} ms"
        )
    bad = result["lost"] or result["duplicated"] or result["out_of_order"] or result["mismatched"]
    return 1 if bad or not result["settled"] else 0
