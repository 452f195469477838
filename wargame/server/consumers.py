"""The exercise websocket: handshake auth, resume, commands, and gap-free delivery from the log."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from pydantic import BaseModel

from wargame.domain.audience import Seat
from wargame.domain.views import view_for
from wargame.protocol.messages import (
    Ack,
    CommandMessage,
    ErrorMessage,
    EventMessage,
    Hello,
    Ping,
    Pong,
    Rejected,
    Resync,
    Snapshot,
    Welcome,
    parse_client_message,
)
from wargame.server.runtime import exercise_group, get_service
from wargame.server.seats import find_seat

logger = logging.getLogger(__name__)

SUBPROTOCOL = "wargame.v1"
TOKEN_PREFIX = "token."
CLOSE_UNAUTHORIZED = 4401


class ExerciseConsumer(AsyncWebsocketConsumer):
    """One browser seat. The log is the truth; a group message only says 'there is news'."""

    exercise_id: str
    seat: Seat

    async def connect(self) -> None:
        subprotocols: list[str] = self.scope.get("subprotocols", [])
        token = next(
            (p[len(TOKEN_PREFIX) :] for p in subprotocols if p.startswith(TOKEN_PREFIX)), ""
        )
        found = await database_sync_to_async(find_seat)(token)
        await self.accept(SUBPROTOCOL if SUBPROTOCOL in subprotocols else None)
        if found is None:
            await self._send(
                ErrorMessage(code="unauthorized", message="unknown or revoked seat token")
            )
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        self.exercise_id, self.seat = found
        self.viewer = self.seat.viewer
        self.read_cursor: int | None = None
        self.visible_seq = 0
        self.delivery_lock = asyncio.Lock()
        self.group = exercise_group(self.exercise_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self._send(
            Welcome(
                exercise_id=self.exercise_id,
                viewer=self.viewer,
                role=self.seat.role.value,
                nation=self.seat.nation,
                label=self.seat.label,
            )
        )

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not hasattr(self, "seat"):
            return
        message = parse_client_message(text_data if text_data is not None else bytes_data)
        if isinstance(message, ErrorMessage):
            await self._send(message)
            return
        try:
            await self._dispatch(message)
        except Exception:
            logger.exception("failed to handle a %s message", message.type)
            await self._send(
                ErrorMessage(code="internal", message="the server could not handle that message")
            )

    async def _dispatch(self, message: BaseModel) -> None:
        match message:
            case Hello(last_seq=last_seq):
                await self._resume(last_seq)
            case Resync():
                async with self.delivery_lock:
                    await self._send_snapshot()
            case Ping():
                await self._send(Pong(seq=self.visible_seq))
            case CommandMessage():
                await self._command(message)

    async def _command(self, message: CommandMessage) -> None:
        service = get_service()
        result = await database_sync_to_async(service.handle)(
            self.exercise_id, self.seat, message.command_id, message.command
        )
        await self.deliver()
        repeat = bool(result.get("repeat"))
        if result["status"] == "accepted":
            await self._send(
                Ack(
                    command_id=message.command_id,
                    seq=result["seq"],
                    seqs=result["seqs"],
                    repeat=repeat,
                )
            )
        else:
            await self._send(
                Rejected(
                    command_id=message.command_id,
                    code=result["code"],
                    message=result["message"],
                    current_seq=result["current_seq"],
                    repeat=repeat,
                )
            )

    async def _resume(self, last_seq: int | None) -> None:
        async with self.delivery_lock:
            store = get_service().store
            head = await database_sync_to_async(store.read_last_seq)(self.exercise_id)
            far_behind = settings.WARGAME["SNAPSHOT_WHEN_BEHIND"]
            if last_seq is None or last_seq > head or head - last_seq > far_behind:
                await self._send_snapshot()
                return
            self.read_cursor = last_seq
            self.visible_seq = last_seq
        await self.deliver()

    async def _send_snapshot(self) -> None:
        state = await database_sync_to_async(get_service().state)(self.exercise_id)
        view = view_for(self.viewer, state)
        assert view is not None
        self.read_cursor = state.last_seq
        self.visible_seq = state.last_seq
        await self._send(Snapshot(seq=state.last_seq, view=view))

    async def deliver(self) -> None:
        """Send every event after the cursor that this seat may see, in seq order, once."""
        if self.read_cursor is None:
            return
        async with self.delivery_lock:
            store = get_service().store
            events = await database_sync_to_async(store.read_after)(
                self.exercise_id, self.read_cursor
            )
            for event in events:
                projected = view_for(self.viewer, event)
                if projected is not None:
                    await self._send(
                        EventMessage(seq=event.seq, prev_seq=self.visible_seq, event=projected)
                    )
                    self.visible_seq = event.seq
                self.read_cursor = event.seq

    async def exercise_news(self, message: dict[str, Any]) -> None:
        if self.read_cursor is not None and message.get("seq", 0) > self.read_cursor:
            await self.deliver()

    async def _send(self, message: BaseModel) -> None:
        await self.send(
            text_data=json.dumps(message.model_dump(mode="json"), separators=(",", ":"))
        )
