"""The exercise websocket: handshake auth and socket cap, hello first, per-seat rate limit, seat
checks on every command and resume, commands; delivery through the hub."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from pydantic import BaseModel

from wargame.domain.audience import Seat, is_control_viewer
from wargame.domain.events import EventEnvelope
from wargame.domain.state import ExerciseState
from wargame.eventlog.trust import TamperedLog
from wargame.protocol.messages import (
    CLOSE_HELLO_TIMEOUT,
    CLOSE_LOG_TAMPERED,
    CLOSE_SERVER_RESTART,
    CLOSE_TOO_MANY_SOCKETS,
    CLOSE_UNAUTHORIZED,
    SUBPROTOCOL,
    Ack,
    CommandMessage,
    ErrorMessage,
    Hello,
    Ping,
    Pong,
    Rejected,
    Resync,
    Welcome,
    parse_client_message,
)
from wargame.protocol.projection import view_for
from wargame.protocol.seat_snapshot import position_of
from wargame.server import jobs, lifecycle, snapshots
from wargame.server.bus import REVOKED_MESSAGE, SERVER_ID, LayerHub, acquire_hub, release_hub
from wargame.server.hub import compact, event_text, position
from wargame.server.limits import LATER, SENT, DirectSocket, TokenBucket, seat_buckets
from wargame.server.logs import exercise_context
from wargame.server.metrics import SOCKET_CLOSES
from wargame.server.reads import run_read
from wargame.server.runtime import (
    announce_news,
    get_service,
    in_adjudication_thread,
    news_deferred,
    uses_workers,
)
from wargame.server.seats import admit_socket, release_socket, seat_is_valid, token_hash
from wargame.services.commands import SeatRevoked

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "token."
_background: set[asyncio.Task[None]] = set()
BEFORE_HELLO = ("hello", "ping")
"""What a socket may send before its hello."""
HELLO_FIRST = "say hello first: before its hello a socket may send only hello or ping, not "
ERROR_OF_CLOSE = {
    CLOSE_UNAUTHORIZED: "unauthorized",
    CLOSE_HELLO_TIMEOUT: "hello_timeout",
    CLOSE_TOO_MANY_SOCKETS: "too_many_sockets",
    CLOSE_LOG_TAMPERED: "log_tampered",
    CLOSE_SERVER_RESTART: "server_restart",
}


class ExerciseConsumer(AsyncWebsocketConsumer):
    """One browser seat. The log is the truth; the process's hub does the live fan-out."""

    # Sockets need no layer channel of their own: the hub is the process's only group member.
    channel_layer_alias = "wargame-sockets-use-no-layer"

    exercise_id: str
    seat: Seat
    seat_id: int = 0
    role: str = ""
    lease_id: int = 0
    token_hash: str = ""
    hub: LayerHub | None = None
    bucket: TokenBucket | None = None
    said_hello = False
    closed = False
    _direct: DirectSocket | None = None
    _hello_deadline: asyncio.TimerHandle | None = None

    async def connect(self) -> None:
        subprotocols: list[str] = self.scope.get("subprotocols", [])
        token = next((p[len(TOKEN_PREFIX) :] for p in subprotocols if p.startswith(TOKEN_PREFIX)), "")
        options = settings.WARGAME
        cap = options["MAX_SOCKETS_PER_SEAT"]
        admission = await database_sync_to_async(admit_socket)(
            token, SERVER_ID, cap, options["PRESENCE_TIMEOUT_SECONDS"]
        )
        await self.accept(SUBPROTOCOL if SUBPROTOCOL in subprotocols else None)
        self._direct = self._resolve_direct()
        if lifecycle.draining() and admission.seat is not None:
            await database_sync_to_async(release_socket)(admission.lease_id)
            await self.cut(CLOSE_SERVER_RESTART, lifecycle.DRAIN_MESSAGE)
            return
        if admission.refused == "too_many_sockets":
            held = admission.open_sockets
            message = f"this seat already has {held} open sockets, the most allowed ({cap}); close one first"
            await self.cut(CLOSE_TOO_MANY_SOCKETS, message)
            return
        if admission.seat is None:
            await self.cut(CLOSE_UNAUTHORIZED, "unknown or revoked seat token")
            return
        self.exercise_id, self.seat = admission.exercise_id, admission.seat
        self.seat_id, self.lease_id = admission.seat_id, admission.lease_id
        self.viewer, self.role = self.seat.viewer, self.seat.role.value
        exercise_context(self.exercise_id)  # this socket's task logs name its exercise
        lifecycle.register(self)
        logger.info(
            "socket connected",
            extra={"viewer": self.viewer, "seat": self.seat_id, "open_sockets": admission.open_sockets},
        )
        self.token_hash = token_hash(token)
        self.cursor = -1
        self.visible_pos = 0
        self.last_heard = time.monotonic()
        self.bucket = seat_buckets.acquire(self.token_hash, options["RATE_PER_SECOND"], options["RATE_BURST"])
        self.hub = await acquire_hub(self.exercise_id, self)
        await self._send(
            Welcome(
                exercise_id=self.exercise_id,
                viewer=self.viewer,
                role=self.seat.role.value,
                nation=self.seat.nation,
                label=self.seat.label,
                member=self.seat.member,
            )
        )
        timeout = options["HELLO_TIMEOUT_SECONDS"]
        self._hello_deadline = asyncio.get_running_loop().call_later(timeout, self._hello_overdue, timeout)

    def _hello_overdue(self, timeout: float) -> None:
        if self.said_hello or self.closed:
            return
        message = f"no hello within {timeout:g} s of connecting; reconnect and say hello at once"
        task = asyncio.ensure_future(self.cut(CLOSE_HELLO_TIMEOUT, message))
        _background.add(task)
        task.add_done_callback(_background.discard)

    async def dispatch(self, message: dict[str, Any]) -> None:
        """As Channels' own, minus its `aclose_old_connections()` before every frame: that is a
        hop to the database thread per frame, and every database call made here goes through
        `database_sync_to_async`, which closes old connections around itself anyway."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def disconnect(self, code: int) -> None:
        self.closed = True
        SOCKET_CLOSES.labels(str(code)).inc()
        if self.seat_id:
            lifecycle.unregister(self)
            logger.info("socket closed", extra={"viewer": self.viewer, "seat": self.seat_id, "code": code})
        if self._hello_deadline is not None:
            self._hello_deadline.cancel()
        if self.hub is not None:
            hub, self.hub = self.hub, None
            await release_hub(hub, self)
        if self.bucket is not None:
            self.bucket = None
            seat_buckets.release(self.token_hash)
        if self.lease_id:
            lease, self.lease_id = self.lease_id, 0
            try:
                await database_sync_to_async(release_socket)(lease)
            except Exception as exc:  # the lease expires when no longer renewed
                logger.warning("could not release socket lease %s: %s", lease, exc)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.hub is None or self.closed or self.bucket is None:
            return
        self.last_heard = time.monotonic()
        if not self.bucket.take():
            await self._send(ErrorMessage(code="rate_limited", message="too many messages; slow down"))
            return
        message = parse_client_message(text_data if text_data is not None else bytes_data)
        if isinstance(message, ErrorMessage):
            await self._send(message)
            return
        if not self.said_hello and message.type not in BEFORE_HELLO:
            await self._send(ErrorMessage(code="hello_required", message=HELLO_FIRST + message.type))
            return
        try:
            await self._dispatch(message)
        except TamperedLog as exc:  # logged where it was found; nothing of this exercise is served
            await self.cut(CLOSE_LOG_TAMPERED, str(exc))
        except Exception:
            logger.exception("failed to handle a %s message", message.type)
            await self._send(
                ErrorMessage(code="internal", message="the server could not handle that message")
            )

    async def _dispatch(self, message: BaseModel) -> None:
        match message:
            case Hello(last_pos=last_pos):
                self.said_hello = True
                if self._hello_deadline is not None:
                    self._hello_deadline.cancel()
                await self._resume(last_pos)
            case Resync():
                await self._resume(None)
            case Ping():
                await self._send(Pong(pos=self.visible_pos))
            case CommandMessage():
                await self._command(message)

    # -- hub subscriber interface ------------------------------------------------------------

    async def push(self, text: str) -> None:
        if not self.closed:
            await self.base_send({"type": "websocket.send", "text": text})

    def write(self, frame: bytes, limit: int) -> int:
        """The hub's fast path: the frame straight onto daphne's socket (see `DirectSocket`)."""
        direct = self._direct
        if direct is None:
            if self.closed:
                return SENT
            direct = self._direct = self._resolve_direct()
            if direct is None:
                return LATER
        return direct.write(frame, limit)

    def _resolve_direct(self) -> DirectSocket | None:
        """daphne's socket for direct writes; TCP_NODELAY on, and the kernel may hold about as
        much for this client as Twisted's buffer may before it is cut (SLOW_CLIENT_BYTES each)."""
        return DirectSocket.resolve(self.base_send, settings.WARGAME["SLOW_CLIENT_BYTES"])

    async def push_frame(self, frame: bytes, text: str) -> None:
        if not self.closed:
            await self.base_send({"type": "websocket.send", "text": text})

    def backlog(self) -> int:
        direct = self._direct
        return direct.backlog() if direct is not None else 0

    async def cut(self, code: int, message: str) -> None:
        """Send an error naming why, then close with `code`; nothing more is read or sent."""
        if self.closed:
            return
        self.closed = True
        await self._send(ErrorMessage(code=ERROR_OF_CLOSE.get(code, "internal"), message=message))
        await self.close(code=code)

    async def _refuse_revoked(self) -> None:
        """The seat was found revoked: close this socket, and the seat's others in this process."""
        await self.cut(CLOSE_UNAUTHORIZED, REVOKED_MESSAGE)
        if self.hub is not None:
            self.hub.cut_tokens([self.token_hash], CLOSE_UNAUTHORIZED, REVOKED_MESSAGE)

    # -- resume, snapshot and commands -------------------------------------------------------

    async def _resume(self, last_pos: int | None) -> None:
        """Catch up from the log (off the commands' database thread), then let the hub fill the
        rest and go live. Far behind, or with no position, the seat gets a snapshot."""
        hub = self.hub
        assert hub is not None
        async with hub.lock:
            hub.detach(self)
        if not await database_sync_to_async(seat_is_valid)(self.seat_id):
            await self._refuse_revoked()
            return
        state = await run_read(get_service().state, self.exercise_id)
        control = is_control_viewer(self.viewer)
        head = position_of(self.viewer, state)
        far_behind = settings.WARGAME["SNAPSHOT_WHEN_BEHIND"]
        after_seq = None
        if last_pos is not None and last_pos <= head and head - last_pos <= far_behind:
            after_seq = await run_read(self._seq_at, last_pos) if not control else last_pos
        if after_seq is None:
            await self._send_snapshot(state)
        else:
            self.cursor, self.visible_pos = after_seq, last_pos or 0
            for event in await hub.events_between(after_seq, state.last_seq):
                projected = view_for(self.viewer, event)
                if projected is not None:
                    self.visible_pos = position(self.viewer, event)
                    await self.push(event_text(self.visible_pos, compact(projected)))
                self.cursor = event.seq
        if not self.closed:
            await hub.attach(self)

    def _seq_at(self, pos: int) -> int | None:
        """The seq of position `pos` of this seat's stream (0 for 0), None if unknown."""
        if pos == 0:
            return 0
        found = get_service().store.stream_seqs(self.exercise_id, self.viewer, pos - 1, 1)
        return found[0][1] if found and found[0][0] == pos else None

    async def _send_snapshot(self, state: ExerciseState) -> None:
        """The seat's view at the state's head, in frames under any message ceiling; built once
        per viewer and head, however many seats of that viewer ask at once."""
        frames, pos = await snapshots.frames(self.viewer, state)
        self.cursor, self.visible_pos = state.last_seq, pos
        for frame in frames:
            await self.push(frame)

    async def _command(self, message: CommandMessage) -> None:
        events: list[EventEnvelope] = []
        adjudicates = message.command.type in jobs.JOB_COMMANDS
        if uses_workers() and adjudicates:
            result = await self._run_as_job(message)
        else:
            if adjudicates:  # its own thread: the core runs between its two transactions
                closed = self._deliver_closing(asyncio.get_running_loop())
                handled = await in_adjudication_thread(self._handle, message, closed)
            else:
                handled = await database_sync_to_async(self._handle)(message)
            result, events, news = handled
            self._announce(news)
        if result is None:
            await self._refuse_revoked()
            return
        hub = self.hub
        if hub is not None:
            try:  # our own events go out before the ack
                if events:
                    await hub.offer(events)  # as committed: no read-back
                seq = result.get("seq")
                if hub.cursor is None or (isinstance(seq, int) and seq > hub.cursor):
                    await hub.pull()  # a repeat, a worker's job, or news we have not read yet
            except Exception as exc:  # the hub's poll will deliver them
                logger.warning("delivering after a command failed: %s", exc)
        if result.get("status") == "accepted":
            result = {**result, "pos": await self._position_of(result.get("seqs") or [], events)}
        await self._reply(message.command_id, result)

    def _announce(self, news: list[tuple[str, int]]) -> None:
        """Tell the other processes, without holding anything up."""
        for exercise_id, seq in news:
            task = asyncio.create_task(announce_news(exercise_id, seq))
            _background.add(task)
            task.add_done_callback(_background.discard)

    def _deliver_closing(
        self, loop: asyncio.AbstractEventLoop
    ) -> Callable[[list[EventEnvelope], list[tuple[str, int]]], None]:
        """For the adjudicating thread: hand a committed move_closing to the event loop, which
        delivers it to this process's sockets and announces it, while the core runs."""

        def closed(events: list[EventEnvelope], news: list[tuple[str, int]]) -> None:
            loop.call_soon_threadsafe(self._spawn_closing, events, news)

        return closed

    def _spawn_closing(self, events: list[EventEnvelope], news: list[tuple[str, int]]) -> None:
        task = asyncio.ensure_future(self._offer_closing(events, news))
        _background.add(task)
        task.add_done_callback(_background.discard)

    async def _offer_closing(self, events: list[EventEnvelope], news: list[tuple[str, int]]) -> None:
        hub = self.hub
        if hub is not None:
            try:
                await hub.offer(events)
            except Exception as exc:  # the hub's poll will deliver them
                logger.warning("delivering a move_closing failed: %s", exc)
        self._announce(news)

    async def _position_of(self, seqs: list[int], events: list[EventEnvelope]) -> int | None:
        """This seat's position of the last event of `seqs` it sees (None if it sees none)."""
        if is_control_viewer(self.viewer):
            return max(seqs) if seqs else None
        mine = [e.positions[self.viewer] for e in events if self.viewer in e.positions]
        if events:
            return max(mine) if mine else None
        found = await run_read(get_service().store.stream_positions, self.exercise_id, self.viewer, seqs)
        return max(found.values()) if found else None

    def _handle(
        self,
        message: CommandMessage,
        closed: Callable[[list[EventEnvelope], list[tuple[str, int]]], None] | None = None,
    ) -> tuple[dict[str, Any] | None, list[EventEnvelope], list[tuple[str, int]]]:
        """In the database thread (or, for a command that adjudicates, a thread of its own): the
        command, its last committed events, and the news to announce (sent from the event loop
        afterwards instead of blocking this thread on the layer). `closed` gets a move_closing
        as soon as it is committed, with its news. The result is None when the seat was
        revoked: checked in the command's own transaction, under the exercise's lock, so
        nothing is recorded for a revoked seat."""
        with news_deferred() as news:

            def committed(events: list[EventEnvelope]) -> None:
                if closed is not None:
                    closed(events, news[:])
                    news.clear()

            try:
                result, events = get_service().handle_events(
                    self.exercise_id,
                    self.seat,
                    message.command_id,
                    message.command,
                    still_seated=lambda: seat_is_valid(self.seat_id),
                    committed=committed,
                )
            except SeatRevoked:
                return None, [], news
        return result, events, news

    def _enqueue_if_seated(self, message: CommandMessage) -> int | None:
        """In the database thread: queue the command for a worker, unless the seat was revoked."""
        if not seat_is_valid(self.seat_id):
            return None
        return jobs.enqueue(self.exercise_id, self.seat, message.command_id, message.command)

    async def _run_as_job(self, message: CommandMessage) -> dict[str, Any] | None:
        """Queue the command for a `wargame worker` and wait (bounded) for its result (None:
        the seat was revoked and nothing was queued)."""
        job_id = await database_sync_to_async(self._enqueue_if_seated)(message)
        if job_id is None:
            return None
        return await jobs.await_result(job_id)

    async def _reply(self, command_id: str, result: dict[str, Any]) -> None:
        repeat = bool(result.get("repeat"))
        if result["status"] == "accepted":
            await self._send(Ack(command_id=command_id, pos=result.get("pos"), repeat=repeat))
        else:
            await self._send(
                Rejected(command_id=command_id, code=result["code"], message=result["message"], repeat=repeat)
            )

    async def _send(self, message: BaseModel) -> None:
        await self.send(text_data=json.dumps(message.model_dump(mode="json"), separators=(",", ":")))
