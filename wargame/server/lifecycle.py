"""The open websockets of this server process, and draining them on shutdown.

Every admitted socket registers here while it is open. On SIGTERM (server/serving.py) the
process stops accepting connections, `drain` closes its sockets in batches spread over
WARGAME_DRAIN_SECONDS with close code 4503 (`CLOSE_SERVER_RESTART`: reconnect, to another
process or to this service once it is back), and readiness answers 503 meanwhile, so a
balancer stops sending new work here.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import Protocol

from wargame.protocol.messages import CLOSE_SERVER_RESTART

logger = logging.getLogger(__name__)

DRAIN_MESSAGE = "this server is restarting; reconnect (another server takes this seat)"


class OpenSocket(Protocol):
    """A websocket as the drain and the metrics see it."""

    role: str
    """The seat's role (player, white_cell, facilitator, observer)."""
    seat_id: int
    closed: bool

    async def cut(self, code: int, message: str) -> None: ...


open_sockets: set[OpenSocket] = set()
"""The admitted websockets of this process (one event loop: daphne's)."""


class _State:
    draining = False


state = _State()


def register(sock: OpenSocket) -> None:
    open_sockets.add(sock)


def unregister(sock: OpenSocket) -> None:
    open_sockets.discard(sock)


def draining() -> bool:
    return state.draining


def batches(count: int, seconds: float, every_s: float) -> tuple[int, int]:
    """(batch size, number of batches) to close `count` sockets over about `seconds`, one
    batch every `every_s`: at least one socket a batch, and no more batches than needed."""
    if count <= 0:
        return 0, 0
    rounds = max(1, min(count, math.floor(seconds / every_s) if every_s > 0 else 1))
    size = math.ceil(count / rounds)
    return size, math.ceil(count / size)


async def drain(
    seconds: float,
    every_s: float = 0.25,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> int:
    """Close every open socket with CLOSE_SERVER_RESTART, a batch every `every_s`, spread over
    about `seconds`, so their reconnections do not all land at once; returns how many."""
    state.draining = True
    doomed = sorted((s for s in open_sockets if not s.closed), key=lambda s: s.seat_id)
    size, rounds = batches(len(doomed), seconds, every_s)
    logger.info("draining sockets", extra={"sockets": len(doomed), "batches": rounds, "seconds": seconds})
    closed = 0
    for index in range(rounds):
        batch = doomed[index * size : (index + 1) * size]
        outcomes = await asyncio.gather(
            *(s.cut(CLOSE_SERVER_RESTART, DRAIN_MESSAGE) for s in batch), return_exceptions=True
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                logger.warning("closing a socket while draining failed: %s", outcome)
        closed += len(batch)
        if index + 1 < rounds:
            await sleep(every_s)
    # Sockets that connected while the first batches went out (the listener is closed first,
    # so only handshakes already under way) go last.
    late = [s for s in open_sockets if not s.closed]
    for sock in late:
        await sock.cut(CLOSE_SERVER_RESTART, DRAIN_MESSAGE)
    return closed + len(late)
