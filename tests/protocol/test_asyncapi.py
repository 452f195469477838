"""The AsyncAPI document describes the frames the server really sends, and stays current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from wargame.domain.audience import is_control_viewer
from wargame.protocol.asyncapi import asyncapi_document, asyncapi_text

REPO = Path(__file__).resolve().parents[2]
STREAMS = json.loads((REPO / "frontend" / "fixtures" / "tutorial-streams.json").read_text("utf-8"))
DOC = asyncapi_document()


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A validator for `schema` whose #/components/... references resolve in the document."""
    return Draft202012Validator({**schema, "components": DOC["components"]})


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def resolve(pointer: str) -> Any:
    node: Any = DOC
    for part in pointer.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_the_checked_in_document_is_the_generated_one() -> None:
    path = REPO / "docs" / "schemas" / "asyncapi.json"
    assert path.read_text("utf-8") == asyncapi_text(), "run `wargame schema` and commit docs/schemas"


def test_every_reference_resolves_and_both_directions_are_described() -> None:
    assert DOC["asyncapi"] == "3.0.0"
    for ref in refs(DOC):
        resolve(ref)  # KeyError names the broken reference
    ops = DOC["operations"]
    sent = {r["$ref"].rsplit("/", 1)[1] for r in ops["sendToServer"]["messages"]}
    received = {r["$ref"].rsplit("/", 1)[1] for r in ops["receiveFromServer"]["messages"]}
    assert sent == {"hello", "command", "resync", "ping"}
    assert {"welcome", "snapshot", "event", "ack", "rejected", "error", "pong", "presence"} == received


@pytest.mark.parametrize("viewer", sorted(STREAMS["streams"]))
def test_recorded_views_and_events_of_each_seat_validate(viewer: str) -> None:
    stream = STREAMS["streams"][viewer]
    view = validator(DOC["components"]["schemas"]["SeatView"])
    for snapshot in (stream["start"], stream["end"]):
        view.validate(snapshot)
    schemas = DOC["components"]["schemas"]
    frame = validator(DOC["components"]["messages"]["event"]["payload"])
    envelope = validator(schemas["ProjectedEvent"])
    bodies = schemas["ControlEventBodies" if is_control_viewer(viewer) else "TeamEventBodies"]
    assert stream["events"], viewer
    for item in stream["events"]:
        frame.validate({"type": "event", "pos": item["pos"], "event": item["event"]})
        envelope.validate(item["event"])
        validator(bodies["properties"][item["event"]["type"]]).validate(item["event"]["body"])


def test_client_frames_validate_and_bad_ones_do_not() -> None:
    hello = validator(DOC["components"]["messages"]["hello"]["payload"])
    hello.validate({"type": "hello", "protocol": 2, "last_pos": 12})
    assert not hello.is_valid({"type": "hello", "protocol": 2, "last_pos": -1})
    command = validator(DOC["components"]["messages"]["command"]["payload"])
    command.validate({"type": "command", "command_id": "c-1", "command": {"type": "pause_exercise"}})
    assert not command.is_valid({"type": "command", "command_id": "c 1", "command": {"type": "nope"}})
