"""Per-process, per-exercise fan-out: read each new event once, serialize it once per audience.

One `ExerciseHub` per exercise and server process holds the local sockets of that exercise.
It alone is in the channel layer's group, so a commit costs one layer message per process.
On news (or on a periodic poll, because the layer may lose messages) it reads the events after
its cursor from the database once, projects each with `view_for` once per audience present, and
writes the bytes to its sockets directly, each event at its position in that seat's stream (the
log's seq for control seats; domain/streams.py for the others). Every socket keeps `cursor` (the
last seq dealt with) and `visible_pos` (the last position it was sent), so each stream is
contiguous and a seat can tell when it missed something. A socket whose send buffer is over the
limit is cut off (close code 4008) without holding up the others; it comes back with
`hello{last_pos}`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from wargame.domain.audience import is_control_viewer
from wargame.domain.events import EventEnvelope
from wargame.protocol.projection import view_for
from wargame.server.limits import LATER, SLOW, text_frame
from wargame.server.metrics import DELIVERY_LAG
from wargame.server.presence import PresenceBoard, presence_view

logger = logging.getLogger(__name__)

CLOSE_SLOW = 4008
READ_BATCH = 500


class Subscriber(Protocol):
    """A local websocket as the hub sees it."""

    viewer: str
    token_hash: str
    lease_id: int
    cursor: int
    """The last seq of the log this socket was dealt (sent or skipped as not visible)."""
    visible_pos: int
    """The last position of its stream it was sent (the next event it gets is +1)."""
    last_heard: float

    async def push(self, text: str) -> None: ...

    def write(self, frame: bytes, limit: int) -> int:
        """Put a ready-made websocket frame on the socket now, without waiting: SENT; SLOW when
        more than `limit` bytes already wait for this client (nothing written); LATER when the
        socket cannot take frames this way (the hub then awaits `push_frame`)."""

    async def push_frame(self, frame: bytes, text: str) -> None:
        """Send `text`, whose ready-made websocket frame is `frame`."""

    async def cut(self, code: int, message: str) -> None: ...


def position(viewer: str, event: EventEnvelope) -> int:
    """The event's position in `viewer`'s stream: its seq for control seats (they see the whole
    log), else the position the log's stream index gave it."""
    if is_control_viewer(viewer):
        return event.seq
    return event.positions[viewer]


class LogReader(Protocol):
    """Database reads the hub needs (run in a thread by the caller-supplied runner)."""

    def read_after(self, after_seq: int, limit: int | None = None) -> list[EventEnvelope]: ...

    def read_last_seq(self) -> int: ...

    def revoked(self, token_hashes: list[str]) -> list[str]: ...


@dataclass
class HubConfig:
    slow_client_bytes: int = 4 * 1024 * 1024
    recent_events: int = 2000
    presence_timeout_s: float = 45.0


@dataclass
class HubStats:
    pulls: int = 0
    events_read: int = 0
    serializations: int = 0
    pushes: int = 0
    cut: int = 0
    presence_pushes: int = 0
    by_viewer: dict[str, int] = field(default_factory=dict)


def event_text(pos: int, body: str) -> str:
    """The `event` message, byte for byte what EventMessage would serialize to."""
    return f'{{"type":"event","pos":{pos},"event":{body}}}'


def compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


Runner = Callable[..., Awaitable[Any]]


class ExerciseHub:
    """Fan-out state of one exercise in one process; `lock` orders pulls and attaches."""

    def __init__(
        self,
        exercise_id: str,
        reader: LogReader,
        run_db: Runner,
        config: HubConfig,
        server_id: str = "local",
    ) -> None:
        self.exercise_id = exercise_id
        self.reader = reader
        self.run_db = run_db
        self.config = config
        self.server_id = server_id
        self.subs: dict[str, set[Subscriber]] = {}
        """Live sockets (they said hello) by viewer: the fan-out's audience."""
        self.sockets: set[Subscriber] = set()
        """Every local socket of the exercise, live or not yet: revocation reaches them all."""
        self.lock = asyncio.Lock()
        self.cursor: int | None = None
        self.recent: deque[EventEnvelope] = deque(maxlen=max(1, config.recent_events))
        self.stats = HubStats()
        self.presence = PresenceBoard(config.presence_timeout_s)
        self._presence_sent: dict[str, list[str]] = {}
        self._cutting: set[int] = set()

    # -- membership -------------------------------------------------------------------------

    def subscribers(self) -> list[Subscriber]:
        return [s for group in self.subs.values() for s in group]

    def join(self, sub: Subscriber) -> None:
        """A socket of this exercise opened in this process (before its hello)."""
        self.sockets.add(sub)

    def leave(self, sub: Subscriber) -> None:
        self.detach(sub)
        self.sockets.discard(sub)

    async def attach(self, sub: Subscriber) -> None:
        """Make `sub` live. It has everything up to `sub.cursor`; the gap to the hub is filled
        under the lock, so no event is missed or sent twice between catch-up and live."""
        async with self.lock:
            await self._pull_locked()
            assert self.cursor is not None
            if sub.cursor < self.cursor:
                for event in await self.events_between(sub.cursor, self.cursor):
                    await self._send_one(sub, event)
                sub.cursor = max(sub.cursor, self.cursor)
            if sub.viewer not in self.presence.online():
                mine = self.presence.viewers_of(self.server_id)
                self.presence.beat(self.server_id, mine | {sub.viewer})
                await self.push_presence()
            self.sockets.add(sub)
            self.subs.setdefault(sub.viewer, set()).add(sub)
            visible = presence_view(sub.viewer, self.presence.online())
            await sub.push(compact({"type": "presence", "online": visible}))

    def detach(self, sub: Subscriber) -> None:
        group = self.subs.get(sub.viewer)
        if group is not None:
            group.discard(sub)
            if not group:
                del self.subs[sub.viewer]

    async def events_between(self, after: int, upto: int) -> list[EventEnvelope]:
        """Events with after < seq <= upto, from the recent ring when it reaches back far enough."""
        if self.recent and self.recent[0].seq <= after + 1:
            return [e for e in self.recent if after < e.seq <= upto]
        events = await self.run_db(self.reader.read_after, after)
        return [e for e in events if e.seq <= upto]

    async def _send_one(self, sub: Subscriber, event: EventEnvelope) -> None:
        projected = view_for(sub.viewer, event)
        if projected is not None:
            pos = position(sub.viewer, event)
            await sub.push(event_text(pos, compact(projected)))
            sub.visible_pos = pos
        sub.cursor = event.seq

    # -- reading and fan-out -----------------------------------------------------------------

    async def pull(self) -> None:
        async with self.lock:
            await self._pull_locked()

    async def offer(self, events: list[EventEnvelope]) -> None:
        """Events this process has just committed, delivered without reading them back.

        They are the log's events at their seqs, so when they follow the hub's cursor they go
        out as they are. When they do not (another process committed in between, or the hub
        has not started), the log is read instead, which includes them.
        """
        async with self.lock:
            if self.cursor is not None and events and events[0].seq <= self.cursor + 1:
                await self.fan_out(events)
            else:
                await self._pull_locked()

    async def _pull_locked(self) -> None:
        if self.cursor is None:
            self.cursor = await self.run_db(self.reader.read_last_seq)
            return
        while True:
            events = await self.run_db(self.reader.read_after, self.cursor, READ_BATCH)
            self.stats.pulls += 1
            if events:
                await self.fan_out(events)
            if len(events) < READ_BATCH:
                return

    async def fan_out(self, events: Iterable[EventEnvelope]) -> None:
        """Deliver events (in seq order, after the cursor) to every live local socket."""
        for event in events:
            if self.cursor is not None and event.seq <= self.cursor:
                continue
            self.stats.events_read += 1
            for viewer, group in list(self.subs.items()):
                await self._deliver(viewer, list(group), event)
            if self.subs:  # sealed just before its commit: the lag from commit to the last send
                DELIVERY_LAG.observe(max(0.0, time.time() - event.at.timestamp()))
            self.cursor = event.seq
            self.recent.append(event)

    async def _deliver(self, viewer: str, group: list[Subscriber], event: EventEnvelope) -> None:
        live = [s for s in group if s.cursor < event.seq]
        if not live:
            return
        projected = view_for(viewer, event)
        if projected is None:
            for sub in live:
                sub.cursor = event.seq
            return
        seq, pos = event.seq, position(viewer, event)
        text = event_text(pos, compact(projected))
        built = (text_frame(text.encode()), text)  # one frame for every socket of the viewer
        self.stats.serializations += 1
        self.stats.by_viewer[viewer] = self.stats.by_viewer.get(viewer, 0) + 1
        limit = self.config.slow_client_bytes
        slow: list[Subscriber] = []
        waiting: list[tuple[Subscriber, tuple[bytes, str]]] = []
        for sub in live:  # synchronous: one call per socket, no coroutine, no await
            outcome = sub.write(built[0], limit)
            if outcome == SLOW:
                slow.append(sub)
                continue
            if outcome == LATER:
                waiting.append((sub, built))
            sub.cursor, sub.visible_pos = seq, pos
        self.stats.pushes += len(live) - len(slow)
        for sub in slow:
            self._cut(sub, CLOSE_SLOW, "too far behind; reconnect with hello{last_pos}")
        for sub, (frame, text) in waiting:
            try:
                await sub.push_frame(frame, text)
            except Exception as exc:  # its stream now has a hole: cut it, it resumes
                logger.warning("sending to a %s socket failed: %s", viewer, exc)
                self._cut(sub, CLOSE_SLOW, "could not send; reconnect with hello{last_pos}")

    def _cut(self, sub: Subscriber, code: int, message: str) -> None:
        """Drop a socket from the hub now and close it in the background."""
        self.detach(sub)
        self.stats.cut += 1
        if id(sub) in self._cutting:
            return
        self._cutting.add(id(sub))
        task = asyncio.get_running_loop().create_task(sub.cut(code, message))
        task.add_done_callback(lambda _t: self._cutting.discard(id(sub)))

    # -- revocation and presence -------------------------------------------------------------

    def cut_tokens(self, token_hashes: Iterable[str], code: int, message: str) -> int:
        """Close every local socket of these seats, whether or not it said hello."""
        wanted = set(token_hashes)
        doomed = [s for s in self.sockets if s.token_hash in wanted]
        for sub in doomed:
            self._cut(sub, code, message)
        return len(doomed)

    async def check_revoked(self, code: int, message: str) -> int:
        hashes = sorted({s.token_hash for s in self.sockets})
        if not hashes:
            return 0
        revoked = await self.run_db(self.reader.revoked, hashes)
        return self.cut_tokens(revoked, code, message) if revoked else 0

    def local_viewers(self, now: float | None = None) -> set[str]:
        """Viewers with a local socket heard from within the presence timeout."""
        if now is None:
            now = self.presence.clock()
        timeout = self.config.presence_timeout_s
        return {s.viewer for s in self.subscribers() if now - s.last_heard <= timeout}

    async def push_presence(self) -> None:
        """Send each audience its projection of who is online, when it changed."""
        online = self.presence.online()
        for viewer, group in list(self.subs.items()):
            visible = presence_view(viewer, online)
            if self._presence_sent.get(viewer) == visible:
                continue
            self._presence_sent[viewer] = visible
            text = compact({"type": "presence", "online": visible})
            for sub in list(group):
                await sub.push(text)
                self.stats.presence_pushes += 1
