"""The AsyncAPI 3 document of the websocket, generated from the message models."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from wargame.protocol import messages as m
from wargame.resources import version

REF_TEMPLATE = "#/components/schemas/{model}"

CLIENT_MESSAGES: dict[str, Any] = {
    "hello": m.Hello, "command": m.CommandMessage, "resync": m.Resync, "ping": m.Ping,
}
SERVER_MESSAGES: dict[str, Any] = {
    "welcome": m.Welcome, "snapshot": m.Snapshot, "event": m.EventMessage, "ack": m.Ack,
    "rejected": m.Rejected, "error": m.ErrorMessage, "pong": m.Pong, "presence": m.Presence,
}
CLOSE_CODES = {
    m.CLOSE_SLOW: "the client fell too far behind; reconnect with hello{last_pos}",
    m.CLOSE_FORBIDDEN_ORIGIN: "Origin missing or not allowed (error forbidden_origin says which)",
    m.CLOSE_UNAUTHORIZED: "unknown or revoked seat token; reconnecting cannot help",
    m.CLOSE_HELLO_TIMEOUT: "no hello in time after the handshake; a client may reconnect",
    m.CLOSE_TOO_MANY_SOCKETS: "the seat has too many open sockets",
}


def _schemas() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """Payload schema per message name, and every model schema they refer to."""
    components: dict[str, dict[str, Any]] = {}
    payloads: dict[str, Any] = {}
    for name, model in {**CLIENT_MESSAGES, **SERVER_MESSAGES}.items():
        schema = TypeAdapter(model).json_schema(ref_template=REF_TEMPLATE)
        components.update(schema.pop("$defs", {}))
        payloads[name] = schema
    from wargame.protocol.event_bodies import SeatEvents
    from wargame.protocol.views import View

    shapes: tuple[tuple[str, Any], ...] = (("SeatView", View), ("SeatEvents", SeatEvents))
    for title, shape in shapes:
        schema = TypeAdapter(shape).json_schema(ref_template=REF_TEMPLATE)
        components.update(schema.pop("$defs", {}))
        components[title] = schema
    return payloads, components


def _message(name: str, model: Any, payload: dict[str, Any]) -> dict[str, Any]:
    doc = (model.__doc__ or "").strip()
    return {
        "name": name,
        "title": name,
        "summary": " ".join(doc.split("\n\n")[0].split()) if doc else name,
        "contentType": "application/json",
        "payload": payload,
    }


def asyncapi_document() -> dict[str, Any]:
    """AsyncAPI 3.0.0: one channel (the exercise socket), what a client sends and receives.
    Snapshot `data` parts concatenate to a SeatView; an event message's `event` is a ProjectedEvent
    whose body, by type, is described in SeatEvents (TeamEventBodies, ControlEventBodies)."""
    payloads, components = _schemas()
    messages = {
        name: _message(name, model, payloads[name])
        for name, model in {**CLIENT_MESSAGES, **SERVER_MESSAGES}.items()
    }
    channel_messages = {name: {"$ref": f"#/components/messages/{name}"} for name in messages}
    closes = "; ".join(f"{code}: {text}" for code, text in sorted(CLOSE_CODES.items()))
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Allied space crisis wargame: seat websocket",
            "version": version(),
            "description": (
                f"Protocol version {m.PROTOCOL_VERSION}. Offer the subprotocols `{m.SUBPROTOCOL}` and "
                "`token.<seat token>`, send an Origin allowed by WARGAME_ALLOWED_HOSTS, then `hello`. "
                "Every frame is one JSON object of at most "
                f"{m.MAX_FRAME_BYTES} bytes from the client. Close codes: {closes}. See docs/protocol.md."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "exercise": {
                "host": "localhost:8000",
                "protocol": "ws",
                "description": "the wargame server (wss behind a TLS-terminating proxy)",
            }
        },
        "channels": {
            "exercise": {
                "address": "/ws/exercise/",
                "title": "A seat's connection to its exercise",
                "messages": channel_messages,
            }
        },
        "operations": {
            "sendToServer": {
                "action": "send",
                "channel": {"$ref": "#/channels/exercise"},
                "summary": "What a client sends",
                "messages": [{"$ref": f"#/channels/exercise/messages/{n}"} for n in CLIENT_MESSAGES],
            },
            "receiveFromServer": {
                "action": "receive",
                "channel": {"$ref": "#/channels/exercise"},
                "summary": "What the server sends a seat (every byte through the projection)",
                "messages": [{"$ref": f"#/channels/exercise/messages/{n}"} for n in SERVER_MESSAGES],
            },
        },
        "components": {"messages": messages, "schemas": dict(sorted(components.items()))},
    }


def asyncapi_text() -> str:
    return json.dumps(asyncapi_document(), indent=1, sort_keys=False) + "\n"
