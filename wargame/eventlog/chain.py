"""Numbering and hash-chaining of events: the canonical text each event is hashed and stored as."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pydantic_core import from_json

from wargame.domain.events import EventEnvelope, PendingEvent
from wargame.domain.evolve import evolve_body
from wargame.domain.state import ExerciseState

GENESIS_HASH = "0" * 64


class UnstorableEvent(ValueError):
    """An event holds a number JSON cannot carry (NaN or infinity); it is refused, not stored."""


def legacy_json(data: Any) -> str:
    """The text earlier releases hashed: like `canonical_json`, but -0.0 kept and NaN allowed."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(data: Any) -> str:
    """The canonical text of JSON data: keys sorted, separators "," and ":", UTF-8 characters
    written as themselves, -0.0 written as 0.0; NaN and infinities refused (UnstorableEvent).
    Numbers are printed by Python's `json` (shortest round-trip form of a float)."""
    try:
        text = json.dumps(
            data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except ValueError as exc:
        raise UnstorableEvent("it holds NaN or an infinite number, which cannot be recorded") from exc
    if _NEGATIVE_ZERO.search(text):  # rare: only then walk the data (or a string looked like it)
        text = json.dumps(
            _without_negative_zero(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    return text


_NEGATIVE_ZERO = re.compile(r"-0\.0[,\]}]")
"""-0.0 as a number in JSON written by Python: no other number ends so (a string holding it
matches too, which only costs a second pass)."""


def _without_negative_zero(data: Any) -> Any:
    if isinstance(data, float):
        return 0.0 if data == 0.0 and math.copysign(1.0, data) < 0 else data
    if isinstance(data, dict):
        return {key: _without_negative_zero(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_without_negative_zero(value) for value in data]
    return data


def text_hash(text: str) -> str:
    """SHA-256 of a text's UTF-8 bytes, lowercase hex: an event's hash from its stored text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an envelope's fields without its own hash."""
    return text_hash(canonical_json(fields))


def envelope_fields(event: EventEnvelope) -> dict[str, Any]:
    """An envelope as JSON data, without its hash: what its hash covers."""
    data = event.model_dump(mode="json", exclude={"hash"})
    data["audience"] = list(event.audience)
    return data


def seal(
    exercise_id: str,
    pending: Sequence[PendingEvent],
    *,
    state: ExerciseState | None,
    at: datetime,
) -> list[EventEnvelope]:
    """Number and chain pending events after the state's last event.

    Each envelope is serialized once, to its canonical text (kept on it, `stored_text`, for the
    store to write verbatim); its hash is the SHA-256 of that text. Move and scenario time on
    each envelope are those in force when the event applies, so `move_advanced` carries the new
    move. Raises UnstorableEvent if a body holds NaN or infinity.
    """
    seq = state.last_seq if state else 0
    prev_hash = state.last_hash if state and state.last_hash else GENESIS_HASH
    sealed: list[EventEnvelope] = []
    current = state
    for item in pending:
        seq += 1
        if current is not None:
            current = evolve_body(current, item.body)
        move = current.move if current else 0
        scenario_time = current.scenario_time if current else _created_start(item)
        unsigned = EventEnvelope(
            exercise_id=exercise_id,
            seq=seq,
            at=at,
            scenario_time=scenario_time,
            move=move,
            actor=item.actor,
            member=item.member,
            audience=item.audience,
            prev_hash=prev_hash,
            hash="",
            body=item.body,
        )
        try:
            text = canonical_json(envelope_fields(unsigned))
        except UnstorableEvent as exc:
            raise UnstorableEvent(f"event {item.body.type} not recorded: {exc}") from exc
        digest = text_hash(text)
        envelope = unsigned.model_copy(update={"hash": digest})
        envelope.set_stored_text(text)
        sealed.append(envelope)
        prev_hash = digest
    return sealed


def _created_start(item: PendingEvent) -> datetime:
    scenario = getattr(item.body, "scenario", None)
    if scenario is None:
        raise ValueError("the first event of an exercise must be exercise_created")
    start: datetime = scenario.start_time
    return start


def envelope_from_text(text: str, digest: str) -> EventEnvelope:
    """Parse a stored canonical text (and the hash stored beside it) into its envelope, which
    keeps the text. Raises pydantic's ValidationError if the text is not an envelope."""
    if not text.endswith("}"):
        raise ValueError("a stored event text must be a JSON object")
    envelope = EventEnvelope.model_validate_json(f'{text[:-1]},"hash":{json.dumps(digest)}}}')
    envelope.set_stored_text(text)
    return envelope


def stored_text_for(event: EventEnvelope) -> str | None:
    """The text to store for an envelope: the one it was sealed as, or for an envelope built
    another way (an import) its canonical text if that is what its hash covers; None when only
    the old recipe matches (keep its body as JSON, as earlier releases did)."""
    if event.stored_text is not None:
        return event.stored_text
    text = canonical_json(envelope_fields(event))
    return text if text_hash(text) == event.hash else None


class ChainChecker:
    """Checks a stored chain one event at a time (bounded memory): numbering, links, content.

    An event read with its stored text verifies when the text hashes to its hash, is itself
    canonical, and says the same exercise, seq and prev_hash as the envelope. An event without
    one (a row or file of an earlier release) verifies when the canonical text of its fields,
    or the text earlier releases hashed (-0.0 kept), hashes to its hash.
    """

    def __init__(self) -> None:
        self.expected_seq = 1
        self.prev_hash = GENESIS_HASH
        self.count = 0
        self.last: EventEnvelope | None = None

    def check(self, event: EventEnvelope) -> list[str]:
        problems: list[str] = []
        if event.seq != self.expected_seq:
            problems.append(f"seq {event.seq}: expected {self.expected_seq}")
        if event.prev_hash != self.prev_hash:
            problems.append(f"seq {event.seq}: prev_hash does not match the previous event")
        problem = content_problem(event)
        if problem:
            problems.append(f"seq {event.seq}: {problem}")
        self.skip(event.seq, event.hash)
        self.last = event
        return problems

    def skip(self, seq: int, digest: str) -> None:
        """Move past an event that could not be read (its problem is reported by the caller)."""
        self.expected_seq = seq + 1
        self.prev_hash = digest
        self.count += 1


def content_problem(event: EventEnvelope) -> str | None:
    """Why an event's content does not match its hash (None when it does)."""
    text = event.stored_text
    if text is None:
        fields = envelope_fields(event)
        legacy = legacy_json(fields)
        if text_hash(legacy) == event.hash:
            return None
        if _NEGATIVE_ZERO.search(legacy) and _canonical_hash_or_none(fields) == event.hash:
            return None
        return "content does not match its hash"
    if text_hash(text) != event.hash:
        return "content does not match its hash"
    try:
        data = from_json(text)  # the same values as json.loads, three times faster
        canonical = canonical_json(data) == text
    except (ValueError, UnstorableEvent):
        return "stored text is not JSON"
    if not canonical:
        return "stored text is not in canonical form"
    said = (data.get("exercise_id"), data.get("seq"), data.get("prev_hash")) if isinstance(data, dict) else ()
    if said != (event.exercise_id, event.seq, event.prev_hash):
        return "stored text does not match its row (exercise, seq or prev_hash)"
    return None


def _canonical_hash_or_none(fields: dict[str, Any]) -> str | None:
    try:
        return event_hash(fields)
    except UnstorableEvent:
        return None


def verify_chain(events: Iterable[EventEnvelope]) -> list[str]:
    """Problems found in a stored chain: gaps, broken links or altered events (empty when intact)."""
    checker = ChainChecker()
    problems: list[str] = []
    for event in events:
        problems.extend(checker.check(event))
    return problems
