"""The hub's side of the channel layer: one group member per process, renewed; polls as a safety net.

`acquire_hub(exercise_id)` gives the running hub of this process (and event loop) for an
exercise, starting it on first use; `release_hub` stops it after the last socket leaves.
Layer messages on the group `exercise.<id>`: `exercise.news{seq}` (after a commit),
`seat.revoked{token_hashes}` and `presence.beat{server, viewers}`. Any of them may be lost
(the layer is at-most-once), so the hub also polls the log and the seat table every
POLL_SECONDS, re-joins the group every GROUP_RENEW_SECONDS (memberships expire after
group_expiry, and a Redis restart forgets them), and re-joins after any layer error. Every
PRESENCE_INTERVAL_SECONDS it renews the socket leases of its sockets (the per-seat cap's count).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
import weakref
from collections.abc import Callable
from typing import Any

from channels.layers import get_channel_layer
from django.conf import settings

from wargame.domain.events import EventEnvelope
from wargame.protocol.messages import CLOSE_UNAUTHORIZED
from wargame.server.hub import ExerciseHub, HubConfig, Subscriber
from wargame.server.reads import run_read
from wargame.server.runtime import exercise_group, get_service

logger = logging.getLogger(__name__)

SERVER_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
CLOSE_REVOKED = CLOSE_UNAUTHORIZED
REVOKED_MESSAGE = "this seat was revoked"


class DjangoLogReader:
    """The hub's reads, on the process's event store and seat table."""

    def __init__(self, exercise_id: str) -> None:
        self.exercise_id = exercise_id

    def read_after(self, after_seq: int, limit: int | None = None) -> list[EventEnvelope]:
        return get_service().store.read_after(self.exercise_id, after_seq, limit)

    def read_last_seq(self) -> int:
        return get_service().store.read_last_seq(self.exercise_id)

    def revoked(self, token_hashes: list[str]) -> list[str]:
        from wargame.server.models import Seat

        rows = Seat.objects.filter(exercise_id=self.exercise_id, revoked=True, token_hash__in=token_hashes)
        return list(rows.values_list("token_hash", flat=True))


async def cancel_until_done(tasks: list[asyncio.Task[None]], every_s: float = 0.5) -> None:
    """Cancel the tasks and wait until they end, cancelling again any that is still running.

    One cancellation is not always enough: a layer read on Redis whose own read timeout fires
    at the same moment can swallow it (redis-py then retries the read), and a hub's listener
    would then outlive its hub, or keep an event loop from closing.
    """
    pending = {t for t in tasks if not t.done()}
    while pending:
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=every_s)
    for task in tasks:
        if not task.cancelled() and task.exception() is not None:
            logger.warning("a hub task had failed: %s", task.exception())


async def run_db(fn: Callable[..., Any], *args: Any) -> Any:
    """Run a hub's blocking database read on the delivery read pool (server/reads.py), never on
    the database thread that serves commands."""
    return await run_read(fn, *args)


class LayerHub(ExerciseHub):
    """An ExerciseHub wired to the channel layer and to background loops."""

    def __init__(self, exercise_id: str, layer: Any) -> None:
        options = settings.WARGAME
        super().__init__(
            exercise_id,
            DjangoLogReader(exercise_id),
            run_db,
            HubConfig(
                slow_client_bytes=options["SLOW_CLIENT_BYTES"],
                recent_events=options["RECENT_EVENTS"],
                presence_timeout_s=options["PRESENCE_TIMEOUT_SECONDS"],
            ),
            server_id=SERVER_ID,
        )
        self.layer = layer
        self.group = exercise_group(exercise_id)
        self.channel: str | None = None
        self.members = 0
        self.layer_messages = 0
        self.renewals = 0
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._started = asyncio.Lock()

    async def start(self) -> None:
        async with self._started:
            if self._tasks:
                return
            if self.layer is not None:
                self.channel = await self.layer.new_channel()
                await self._join()
                self._tasks.append(asyncio.create_task(self._listen()))
                self._tasks.append(asyncio.create_task(self._renew()))
                self._tasks.append(asyncio.create_task(self._beat()))
            self._tasks.append(asyncio.create_task(self._pump()))
            self._tasks.append(asyncio.create_task(self._keep_leases()))

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        await cancel_until_done(tasks)
        if self.layer is not None and self.channel is not None:
            with contextlib.suppress(Exception):
                await self.layer.group_discard(self.group, self.channel)

    def wake(self) -> None:
        self._wake.set()

    async def _join(self) -> None:
        assert self.channel is not None
        await self.layer.group_add(self.group, self.channel)
        self.renewals += 1

    async def _listen(self) -> None:
        assert self.channel is not None
        backoff = 0.2
        while True:
            try:
                message = await self.layer.receive(self.channel)
                backoff = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("layer receive failed (%s); retrying in %.1fs", exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(5.0, backoff * 2)
                self.wake()  # read the log: news may have been lost meanwhile
                with contextlib.suppress(Exception):
                    await self._join()
                continue
            self.layer_messages += 1
            await self.on_layer_message(message)

    async def on_layer_message(self, message: dict[str, Any]) -> None:
        kind = message.get("type")
        if kind == "exercise.news":
            if self.cursor is None or int(message.get("seq", 0)) > self.cursor:
                self.wake()
        elif kind == "seat.revoked":
            self.cut_tokens(message.get("token_hashes", []), CLOSE_REVOKED, REVOKED_MESSAGE)
        elif kind == "presence.beat" and message.get("server") != self.server_id:
            self.presence.beat(str(message.get("server")), message.get("viewers", []))
            await self.push_presence()

    async def _renew(self) -> None:
        every = settings.WARGAME["GROUP_RENEW_SECONDS"]
        while True:
            await asyncio.sleep(every)
            try:
                await self._join()
            except Exception as exc:
                logger.warning("group renewal failed: %s", exc)

    async def _beat(self) -> None:
        every = settings.WARGAME["PRESENCE_INTERVAL_SECONDS"]
        while True:
            local = self.local_viewers()
            self.presence.beat(self.server_id, local)
            try:
                await self.push_presence()
                message = {"type": "presence.beat", "server": self.server_id, "viewers": sorted(local)}
                await self.layer.group_send(self.group, message)
            except Exception as exc:
                logger.warning("presence beat failed: %s", exc)
            await asyncio.sleep(every)

    async def _keep_leases(self) -> None:
        """Renew the leases of this process's sockets, so the per-seat cap keeps counting them."""
        from wargame.server.seats import renew_sockets

        every = settings.WARGAME["PRESENCE_INTERVAL_SECONDS"]
        while True:
            await asyncio.sleep(every)
            leases = [s.lease_id for s in self.sockets if s.lease_id]
            try:
                await self.run_db(renew_sockets, leases)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("renewing socket leases failed: %s", exc)

    async def _pump(self) -> None:
        """Pull on news, and at least every POLL_SECONDS; check revocations on each poll."""
        every = settings.WARGAME["POLL_SECONDS"]
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=every)
            self._wake.clear()
            try:
                await self.pull()
                await self.check_revoked(CLOSE_REVOKED, REVOKED_MESSAGE)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("reading the log failed (%s); retrying", exc)
                await asyncio.sleep(min(every, 1.0))


_registry: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, LayerHub]] = (
    weakref.WeakKeyDictionary()
)


def hubs() -> dict[str, LayerHub]:
    """The hubs of the running event loop (one per exercise)."""
    return _registry.setdefault(asyncio.get_running_loop(), {})


async def acquire_hub(exercise_id: str, sub: Subscriber) -> LayerHub:
    """The exercise's hub in this process, with `sub` among its sockets (not yet live)."""
    registry = hubs()
    hub = registry.get(exercise_id)
    if hub is None:
        hub = registry[exercise_id] = LayerHub(exercise_id, get_channel_layer())
    hub.members += 1
    hub.join(sub)
    await hub.start()
    return hub


async def release_hub(hub: LayerHub, sub: Subscriber) -> None:
    hub.leave(sub)
    hub.members -= 1
    if hub.members <= 0:
        registry = hubs()
        if registry.get(hub.exercise_id) is hub:
            del registry[hub.exercise_id]
        await hub.stop()
