"""The scaled-out topology without Docker: two daphne processes and a worker on PostgreSQL and Redis.

Clients on both servers must see the same ordered stream per audience, equal to the projected
log. Runs when DATABASE_URL names PostgreSQL (scripts/test.sh); it starts its own redis-server
on a free port and a fresh database, so it never disturbs the shared ones.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import Iterator

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

from wargame.ops.client import StreamClient, start_clients
from wargame.ops.game import TEAMS, make_clients, play, seat_tokens, wait_for_pos
from wargame.ops.topology import Topology, start_topology
from wargame.ops.verify import chain_problems, check_client, fetch_log
from wargame.protocol.messages import SUBPROTOCOL

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres") or shutil.which("redis-server") is None,
        reason="needs PostgreSQL (DATABASE_URL) and redis-server",
    ),
]


@pytest.fixture(scope="module")
def topology() -> Iterator[Topology]:
    topo = start_topology(servers=2, workers=1, postgres_url=os.environ["DATABASE_URL"])
    yield topo
    topo.close()


def http(topo: Topology) -> str:
    return "http://" + topo.urls()[0].split("/")[2]


async def run_game(topo: Topology, tokens: dict[str, str]) -> list[StreamClient]:
    urls = topo.urls()
    clients = make_clients(tokens, urls, 24)  # every seat on both servers, several times
    await start_clients(clients)
    control = StreamClient(urls, tokens["white_cell"])
    teams = {n: StreamClient(urls, tokens[f"team:{n}"], index=i + 1) for i, n in enumerate(TEAMS)}
    await start_clients([control, *teams.values()])
    await play(control, teams, moves=2, tag="scale")
    logs = {t: fetch_log(http(topo), t) for t in tokens.values()}
    last = {t: (events[-1]["pos"] if events else 0) for t, events in logs.items()}
    assert await wait_for_pos(clients, last, timeout_s=60)
    for client in [*clients, control, *teams.values()]:
        await client.stop()
    return clients


def test_two_servers_give_every_audience_the_same_ordered_stream(topology: Topology) -> None:
    created = topology.create_exercise()
    tokens = seat_tokens(created)
    clients = asyncio.run(run_game(topology, tokens))
    chain = json.loads(topology.wargame("exercise", "verify", created["exercise_id"]))
    assert chain["problems"] == [] and chain["last_seq"] > 20
    logs = {t: fetch_log(http(topology), t) for t in tokens.values()}
    assert chain_problems(logs[tokens["white_cell"]]) == []
    types = [e["type"] for e in logs[tokens["white_cell"]]]
    assert types.count("move_adjudicated") == 2  # run by the worker, once per move
    ports = {c.url.split(":")[2].split("/")[0] for c in clients}
    assert len(ports) == 2
    for client in clients:
        report = check_client(client, logs[client.token])
        assert report == {
            "lost": 0,
            "duplicated": 0,
            "out_of_order": 0,
            "mismatched": 0,
            "gaps_seen": 0,
            "resyncs": 0,
        }, report
    for token in tokens.values():
        same_seat = [c for c in clients if c.token == token]
        streams = {tuple(r.pos for r in c.received if r.pos > 1) for c in same_seat}
        assert len(streams) == 1 and len(same_seat) >= 2


def test_compression_is_off_and_frames_are_limited(topology: Topology) -> None:
    tokens = seat_tokens(topology.create_exercise())
    url = topology.urls()[0]

    async def probe() -> tuple[str | None, dict[str, str], int | None]:
        async with connect(
            url,
            subprotocols=[Subprotocol(SUBPROTOCOL), Subprotocol(f"token.{tokens['observer']}")],
            origin=Origin("http://" + url.split("/")[2]),
            max_size=None,
        ) as ws:
            extensions = ws.response.headers.get("Sec-WebSocket-Extensions")
            await ws.recv()  # welcome
            await ws.send("x" * (64 * 1024 + 1))
            reply = json.loads(await ws.recv())
            await ws.send("y" * (2 * 1024 * 1024))
            with pytest.raises(ConnectionClosed):
                for _ in range(5):
                    await asyncio.wait_for(ws.recv(), 5)
            return extensions, reply, ws.close_code

    extensions, reply, code = asyncio.run(probe())
    assert extensions is None
    assert reply["type"] == "error" and reply["code"] == "too_large"
    assert code in (1006, 1009)  # closed by the transport limit (1 MiB), no error frame
