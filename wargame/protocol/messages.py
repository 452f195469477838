"""Client-to-server and server-to-client websocket messages (protocol version 2)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from wargame.domain.commands import Command
from wargame.domain.common import Frozen

PROTOCOL_VERSION = 2
SUBPROTOCOL = f"wargame.v{PROTOCOL_VERSION}"
"""The websocket subprotocol a client offers (beside `token.<token>`)."""
SNAPSHOT_PART_CHARS = 256 * 1024
"""A snapshot travels in frames of at most this many characters of its JSON text, so that no
message ceiling can stop a seat from loading (daphne's is 1 MiB)."""
MAX_FRAME_BYTES = 64 * 1024
CommandId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class Hello(Frozen):
    """First message: the last position of this seat's stream the client holds (None for a
    fresh page)."""

    type: Literal["hello"]
    protocol: Literal[2] = 2
    last_pos: Annotated[int, Field(ge=0)] | None = None


class CommandMessage(Frozen):
    type: Literal["command"]
    command_id: CommandId
    command: Command


class Resync(Frozen):
    """Ask for a fresh snapshot (the client saw a gap)."""

    type: Literal["resync"]


class Ping(Frozen):
    type: Literal["ping"]


ClientMessage = Annotated[Hello | CommandMessage | Resync | Ping, Field(discriminator="type")]
client_message_adapter: TypeAdapter[Hello | CommandMessage | Resync | Ping] = TypeAdapter(
    ClientMessage
)


class Welcome(Frozen):
    type: Literal["welcome"] = "welcome"
    protocol: int = PROTOCOL_VERSION
    exercise_id: str
    viewer: str
    role: str
    nation: str | None
    label: str
    member: str = ""
    """The named member holding this seat's link ("" for an unnamed link)."""


class Snapshot(Frozen):
    """One part of the seat's whole view at stream position `pos`: the view's JSON text is the
    concatenation of the `data` of parts 1..parts (a TeamView, ControlView or ObserverView,
    protocol/views.py). The next event this seat gets is pos + 1."""

    type: Literal["snapshot"] = "snapshot"
    pos: int
    part: Annotated[int, Field(ge=1)]
    parts: Annotated[int, Field(ge=1)]
    data: str


class EventMessage(Frozen):
    """One event projected for this seat at position `pos` of its stream: the previous event it
    got was pos - 1 (else it missed something and asks for a resync)."""

    type: Literal["event"] = "event"
    pos: int
    event: dict[str, Any]


class Ack(Frozen):
    """The command was recorded; `pos` is the position in this seat's stream of the last event it
    caused that this seat sees (None when it sees none of them)."""

    type: Literal["ack"] = "ack"
    command_id: str
    pos: int | None
    repeat: bool = False


class Rejected(Frozen):
    type: Literal["rejected"] = "rejected"
    command_id: str
    code: str
    message: str
    repeat: bool = False


class ErrorDetail(Frozen):
    loc: str
    message: str


class ErrorMessage(Frozen):
    type: Literal["error"] = "error"
    code: Literal[
        "bad_json",
        "bad_message",
        "too_large",
        "unauthorized",
        "rate_limited",
        "hello_required",
        "hello_timeout",
        "too_many_sockets",
        "forbidden_origin",
        "not_found",
        "log_tampered",
        "server_restart",
        "internal",
    ]
    message: str
    details: list[ErrorDetail] = Field(default_factory=list)


class Pong(Frozen):
    type: Literal["pong"] = "pong"
    pos: int


class Presence(Frozen):
    """Seats online now (heard within the heartbeat timeout), as far as this seat may know."""

    type: Literal["presence"] = "presence"
    online: list[str]


CLOSE_SLOW = 4008
"""The client fell too far behind (its send buffer filled up); reconnect with hello{last_pos}."""
CLOSE_UNAUTHORIZED = 4401
"""Unknown or revoked seat token; reconnecting cannot help."""
CLOSE_HELLO_TIMEOUT = 4408
"""No `hello` within WARGAME_HELLO_TIMEOUT_SECONDS of the handshake; a client may reconnect."""
CLOSE_FORBIDDEN_ORIGIN = 4403
"""The handshake's Origin is missing or not one of WARGAME_ALLOWED_HOSTS (an `error` frame with
code `forbidden_origin` says which); reconnecting from the same page cannot help."""
CLOSE_TOO_MANY_SOCKETS = 4429
"""The seat already has WARGAME_MAX_SOCKETS_PER_SEAT open sockets; close one before opening more."""
CLOSE_LOG_TAMPERED = 4422
"""The exercise's log failed the integrity check made when it is loaded: the server refuses to
serve it until it is repaired (`wargame exercise verify`); reconnecting cannot help."""
CLOSE_SERVER_RESTART = 4503
"""The server process is shutting down (SIGTERM) and closes its sockets in batches; reconnect
with hello{last_pos} (a balancer sends it to another process). The registered 1012 (service
restart) cannot be sent: the websocket library lets applications close with 1000 or 3000-4999."""


ServerMessage = Annotated[
    Welcome | Snapshot | EventMessage | Ack | Rejected | ErrorMessage | Pong | Presence,
    Field(discriminator="type"),
]


def parse_client_message(
    text: str | bytes | None,
) -> Hello | CommandMessage | Resync | Ping | ErrorMessage:
    """Parse one frame; any problem becomes an ErrorMessage naming what is wrong."""
    if text is None:
        return ErrorMessage(code="bad_message", message="empty frame")
    size = len(text.encode() if isinstance(text, str) else text)
    if size > MAX_FRAME_BYTES:
        return ErrorMessage(
            code="too_large", message=f"frame of {size} bytes exceeds {MAX_FRAME_BYTES}"
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, nesting
        return ErrorMessage(code="bad_json", message=f"not valid JSON: {str(exc)[:200]}")
    try:
        return client_message_adapter.validate_python(data)
    except ValidationError as exc:
        details = [
            ErrorDetail(loc=".".join(str(p) for p in err["loc"]) or "(message)", message=err["msg"])
            for err in exc.errors(include_url=False)[:20]
        ]
        summary = "; ".join(f"{d.loc}: {d.message}" for d in details[:3])
        return ErrorMessage(
            code="bad_message", message=f"invalid message: {summary}", details=details
        )


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of both directions and of what a seat's snapshot and events hold, for docs
    and the frontend's generated types."""
    from wargame.protocol.event_bodies import SeatEvents
    from wargame.protocol.views import View

    return {
        "client": TypeAdapter(ClientMessage).json_schema(),
        "server": TypeAdapter(ServerMessage).json_schema(),
        "views": TypeAdapter(View).json_schema(),
        "events": TypeAdapter(SeatEvents).json_schema(),
    }


def snapshot_frames(pos: int, view_text: str) -> list[str]:
    """The frames of a snapshot: its JSON text cut into parts of SNAPSHOT_PART_CHARS."""
    size = SNAPSHOT_PART_CHARS
    parts = [view_text[i : i + size] for i in range(0, len(view_text), size)] or [""]
    return [
        json.dumps(
            {"type": "snapshot", "pos": pos, "part": k, "parts": len(parts), "data": part},
            separators=(",", ":"),
            ensure_ascii=False,
        )
        for k, part in enumerate(parts, start=1)
    ]


def protocol_schema_text() -> str:
    """The single JSON document the frontend generates its types from (frontend/schema/protocol.json)."""
    schemas = json_schemas()
    document = {"title": "WargameProtocol", "type": "object", "properties": schemas}
    return json.dumps(document, indent=1, sort_keys=True) + "\n"
