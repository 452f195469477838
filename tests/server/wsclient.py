"""A small protocol client over channels' WebsocketCommunicator for consumer tests."""

from __future__ import annotations

import itertools
import json
from typing import Any

from channels.testing import WebsocketCommunicator

from wargame.protocol.messages import PROTOCOL_VERSION, SUBPROTOCOL
from wargame.server.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
_ids = itertools.count(1)


class Client:
    def __init__(self, token: str, origin: tuple[bytes, bytes] | None = ORIGIN) -> None:
        self.comm = WebsocketCommunicator(
            application,
            "/ws/exercise/",
            headers=[origin] if origin else [],
            subprotocols=[SUBPROTOCOL, f"token.{token}"],
        )
        self.last_pos: int | None = None
        self.parts: list[str] = []
        self.view: dict[str, Any] | None = None
        self.events: list[dict[str, Any]] = []
        self.presence: list[str] | None = None

    async def connect(self, last_pos: int | None = None) -> dict[str, Any]:
        connected, subprotocol = await self.comm.connect()
        assert connected
        welcome = await self.recv()
        if welcome["type"] == "welcome":
            assert subprotocol == SUBPROTOCOL
            await self.send({"type": "hello", "protocol": PROTOCOL_VERSION, "last_pos": last_pos})
        return welcome

    async def send(self, data: dict[str, Any]) -> None:
        await self.comm.send_to(text_data=json.dumps(data))

    async def recv(self, timeout: float = 5) -> dict[str, Any]:
        """The next message other than presence (presence updates are kept in `presence`); a
        snapshot's parts are read together and given as one {type, pos, view}."""
        while True:
            message: dict[str, Any] = json.loads(await self.comm.receive_from(timeout))
            if message["type"] == "presence":
                self.presence = message["online"]
                continue
            recorded = await self._record(message)
            if recorded is not None:
                return recorded

    async def _record(self, message: dict[str, Any]) -> dict[str, Any] | None:
        """Keep the stream's state; None for a snapshot part that is not the last."""
        if message["type"] == "snapshot":
            assert message["part"] == len(self.parts) + 1, "snapshot parts out of order"
            self.parts.append(message["data"])
            if message["part"] < message["parts"]:
                return None
            self.view, self.last_pos = json.loads("".join(self.parts)), message["pos"]
            self.parts = []
            return {"type": "snapshot", "pos": message["pos"], "view": self.view}
        if message["type"] == "event":
            assert message["pos"] == (self.last_pos or 0) + 1, f"gap: {message['pos']} after {self.last_pos}"
            self.events.append(message["event"])
            self.last_pos = message["pos"]
        return message

    async def command(
        self, command: dict[str, Any], command_id: str | None = None
    ) -> dict[str, Any]:
        """Send a command and read until its ack or rejection (events before it are recorded)."""
        cid = command_id or f"cmd-{next(_ids)}"
        await self.send({"type": "command", "command_id": cid, "command": command})
        while True:
            message = await self.recv()
            if message["type"] in ("ack", "rejected") and message["command_id"] == cid:
                return message
            if message["type"] == "error":
                return message

    async def drain(self, timeout: float = 0.3) -> list[dict[str, Any]]:
        """Read everything that arrives within `timeout` seconds of quiet."""
        received = []
        while not await self.comm.receive_nothing(timeout):
            message = await self.recv_any()
            if message is not None:
                received.append(message)
        return received

    async def recv_any(self) -> dict[str, Any] | None:
        """One frame; presence updates and snapshot parts but the last are recorded, giving None."""
        raw: dict[str, Any] = json.loads(await self.comm.receive_from())
        if raw["type"] == "presence":
            self.presence = raw["online"]
            return None
        return await self._record(raw)

    async def close(self) -> None:
        await self.comm.disconnect()


async def get_picture(token: str, query: str, gzip_ok: bool = False) -> tuple[int, dict[str, str], bytes]:
    """GET /api/picture?<query> with the seat token: (status, headers, body as sent)."""
    from django.test import AsyncClient

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if gzip_ok:
        headers["Accept-Encoding"] = "gzip"
    response = await AsyncClient().get(f"/api/picture?{query}", headers=headers)
    return response.status_code, dict(response.headers), response.content
