"""A scripted tutorial game played by control and team clients, and the spread of seats over servers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from wargame.ops.client import StreamClient

TEAMS = ("USA", "GBR", "JPN")
SCENARIO_MOVES = 4


def seat_tokens(created: dict[str, Any]) -> dict[str, str]:
    """Viewer (team:USA, white_cell, facilitator, observer) -> token, from `exercise create --json`."""
    tokens = {}
    for seat in created["seats"]:
        viewer = f"team:{seat['nation']}" if seat["nation"] else seat["role"]
        tokens[viewer] = seat["token"]
    return tokens


def make_clients(tokens: dict[str, str], urls: list[str], count: int) -> list[StreamClient]:
    """`count` clients over every seat and server in turn (several sockets may share a seat)."""
    viewers = sorted(tokens)
    return [
        StreamClient(urls=list(urls), token=tokens[viewers[i % len(viewers)]], index=i) for i in range(count)
    ]


async def ok(client: StreamClient, command: dict[str, Any], command_id: str | None = None) -> int:
    reply = await client.command(command, command_id)
    if reply["type"] != "ack":
        raise RuntimeError(f"{command['type']} refused: {reply}")
    return int(reply["pos"] or 0)


Hook = Callable[[int], Awaitable[None]]


async def play(
    control: StreamClient,
    teams: dict[str, StreamClient],
    moves: int,
    tag: str = "run",
    before_advance: Hook | None = None,
) -> int:
    """Start, then per move: coalition chat and a track release per team, then advance.

    `before_advance(move)` runs just before each advance (the fault scripts break things there).
    Command ids are fixed per step, so a step resent after a fault applies once.
    """
    moves = max(1, min(moves, SCENARIO_MOVES))
    await ok(control, {"type": "start_exercise"}, f"{tag}-start")
    last = 0
    for move in range(1, moves + 1):
        steps = []
        for i, (nation, client) in enumerate(teams.items()):
            partner = TEAMS[(i + 1) % len(TEAMS)]
            steps.append(
                ok(
                    client,
                    {
                        "type": "post_chat",
                        "channel": "coalition",
                        "text": f"{nation} in move {move}: all quiet",
                    },
                    f"{tag}-chat-{nation}-{move}",
                )
            )
            steps.append(
                ok(
                    client,
                    {
                        "type": "release_product",
                        "product": {"kind": "tracks"},
                        "marking": {"releasability": "REL", "releasable_to": [partner]},
                        "level": "full" if move % 2 else "degraded",
                    },
                    f"{tag}-share-{nation}-{move}",
                )
            )
        await asyncio.gather(*steps)
        if before_advance is not None:
            await before_advance(move)
        last = await ok(control, {"type": "advance_move", "from_move": move}, f"{tag}-advance-{move}")
    return last


async def wait_for_pos(clients: list[StreamClient], expected_last: dict[str, int], timeout_s: float) -> bool:
    """Wait until each client holds the last position of its seat's stream (bounded in time)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while loop.time() < deadline:
        behind = [c for c in clients if (c.last_pos or 0) < expected_last.get(c.token, 0)]
        if not behind:
            return True
        await asyncio.sleep(0.1)
    return False
