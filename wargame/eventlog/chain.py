"""Numbering and hash-chaining of events, and checking a stored chain (docs/log-format.md)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic_core import from_json

from wargame.domain.background import EMPTY_CATALOG, BackgroundCatalog
from wargame.domain.events import EventEnvelope, ExerciseCreated, PendingEvent
from wargame.domain.evolve import evolve_body, initial_state, recorded
from wargame.domain.state import ExerciseState
from wargame.eventlog.canonical import (
    PYTHON_JSON,
    RECIPES,
    RFC8785,
    UnstorableEvent,
    canonical_text,
    python_text,
    python_text_signed_zero,
    text_hash,
)
from wargame.eventlog.snapshots import Snapshot, encode_snapshot

GENESIS_HASH = "0" * 64

__all__ = [
    "GENESIS_HASH", "PYTHON_JSON", "RFC8785", "ChainChecker", "Sealed", "UnstorableEvent",
    "content_problem", "envelope_fields", "envelope_from_text", "event_hash", "hashed_text",
    "seal", "seal_batch", "stored_text_for", "text_hash", "verify_chain",
]


def event_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of the canonical text of an envelope's fields (without its own hash), by the
    recipe they name (`hash_recipe`; none: the earlier releases' Python recipe)."""
    return text_hash(canonical_text(fields))


def envelope_fields(event: EventEnvelope) -> dict[str, Any]:
    """An envelope as JSON data, without its hash: what its hash covers."""
    data = event.model_dump(mode="json", exclude={"hash"})
    data["audience"] = list(event.audience)
    return data


@dataclass(frozen=True)
class Sealed:
    """Sealed events, the state right after them, and the snapshot of that state the last of
    them records (`snapshot_digest`), when one was asked for."""

    events: list[EventEnvelope]
    state: ExerciseState
    snapshot: Snapshot | None


def seal_batch(
    exercise_id: str,
    pending: Sequence[PendingEvent],
    *,
    state: ExerciseState | None,
    at: datetime,
    snapshot: bool = False,
    background: BackgroundCatalog = EMPTY_CATALOG,
) -> Sealed:
    """Number, chain and apply pending events after the state's last event.

    Each envelope names its recipe (RFC 8785) and is serialized once, to its canonical text
    (kept on it, `stored_text`, for the store to write verbatim); its hash is the SHA-256 of
    that text. Move and scenario time on each envelope are those in force when the event
    applies, so `move_advanced` carries the new move. With `snapshot`, the state after the
    last event is encoded before that event is hashed, and the event records the snapshot's
    digest: the chain vouches for the snapshot. From no state, the first event must be
    exercise_created, applied with its `background` catalog. Raises UnstorableEvent if a body
    holds what its canonical text cannot carry (NaN, infinity, an integer beyond 2**53).
    """
    seq = state.last_seq if state else 0
    prev_hash = state.last_hash if state and state.last_hash else GENESIS_HASH
    sealed: list[EventEnvelope] = []
    current = state
    taken: Snapshot | None = None
    for index, item in enumerate(pending):
        seq += 1
        if current is None:
            applied = initial_state(exercise_id, _created(item), background)
            move, scenario_time = 0, applied.scenario_time
        else:
            applied = evolve_body(current, item.body)
            move, scenario_time = applied.move, applied.scenario_time
        envelope = EventEnvelope(
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
            hash_recipe=RFC8785,
        )
        if snapshot and index == len(pending) - 1:
            taken = encode_snapshot(recorded(applied, envelope))  # its last_hash is left out
            envelope = envelope.model_copy(update={"snapshot_digest": taken.digest})
        try:
            text = canonical_text(envelope_fields(envelope))
        except UnstorableEvent as exc:
            raise UnstorableEvent(f"event {item.body.type} not recorded: {exc}") from exc
        digest = text_hash(text)
        envelope = envelope.model_copy(update={"hash": digest})
        envelope.set_stored_text(text)
        sealed.append(envelope)
        current = recorded(applied, envelope)
        prev_hash = digest
    if current is None:
        raise ValueError("nothing to seal")
    if taken is not None:
        taken = dataclasses.replace(taken, head_hash=prev_hash)
    return Sealed(events=sealed, state=current, snapshot=taken)


def seal(
    exercise_id: str,
    pending: Sequence[PendingEvent],
    *,
    state: ExerciseState | None,
    at: datetime,
) -> list[EventEnvelope]:
    """The sealed envelopes of `seal_batch`, without a snapshot."""
    return seal_batch(exercise_id, pending, state=state, at=at).events


def _created(item: PendingEvent) -> ExerciseCreated:
    if not isinstance(item.body, ExerciseCreated):
        raise ValueError("the first event of an exercise must be exercise_created")
    return item.body


def envelope_from_text(text: str, digest: str) -> EventEnvelope:
    """Parse a stored canonical text (and the hash stored beside it) into its envelope, which
    keeps the text. Raises pydantic's ValidationError if the text is not an envelope."""
    if not text.endswith("}"):
        raise ValueError("a stored event text must be a JSON object")
    envelope = EventEnvelope.model_validate_json(f'{text[:-1]},"hash":{json.dumps(digest)}}}')
    envelope.set_stored_text(text)
    return envelope


def hashed_text(event: EventEnvelope) -> str | None:
    """The exact text an event's hash covers: the one it was sealed as or read from, else the
    canonical text of its fields by its recipe when that hashes to its hash (an envelope built
    another way, or a row written before stored texts); None when no text of its recipe does
    (the event was altered)."""
    if event.stored_text is not None:
        return event.stored_text
    fields = envelope_fields(event)
    candidates: list[str | None]
    if (event.hash_recipe or PYTHON_JSON) == PYTHON_JSON:
        signed = python_text_signed_zero(fields)
        candidates = [signed, _text_or_none(python_text, fields) if _NEGATIVE_ZERO in signed else None]
    else:
        candidates = [_text_or_none(lambda data: canonical_text(data, strict=False), fields)]
    return next((t for t in candidates if t is not None and text_hash(t) == event.hash), None)


_NEGATIVE_ZERO = "-0.0"


def _text_or_none(recipe: Any, fields: dict[str, Any]) -> str | None:
    try:
        text: str = recipe(fields)
    except UnstorableEvent:
        return None
    return text


def stored_text_for(event: EventEnvelope) -> str | None:
    """The text to store for an envelope: the one it was sealed as, or for an envelope built
    another way (an import) its canonical text if that is what its hash covers; None when only
    the signed-zero Python text matches (keep its body as JSON, as earlier releases did)."""
    text = hashed_text(event)
    if text is None or event.stored_text is not None:
        return text
    python = (event.hash_recipe or PYTHON_JSON) == PYTHON_JSON
    if python and text != _text_or_none(python_text, envelope_fields(event)):
        return None
    return text


class ChainChecker:
    """Checks a stored chain one event at a time (bounded memory): numbering, links, content.

    It starts after event `after_seq` with hash `after_hash` (the genesis by default). An event
    read with its stored text verifies when the text hashes to its hash and, if `canonical`, is
    itself canonical by its recipe and says the same exercise, seq and prev_hash as the
    envelope. An event without one (a row of an earlier release) verifies when the canonical
    text of its fields by its recipe hashes to its hash. The snapshots events record are kept
    (`anchors`: seq -> (snapshot digest, event hash)) for the caller to check.
    """

    def __init__(self, *, after_seq: int = 0, after_hash: str = GENESIS_HASH, canonical: bool = True) -> None:
        self.expected_seq = after_seq + 1
        self.prev_hash = after_hash
        self.canonical = canonical
        self.count = 0
        self.last: EventEnvelope | None = None
        self.anchors: dict[int, tuple[str, str]] = {}
        self.first_named_recipe: int | None = None
        """The seq of the first event that names its recipe (sealed by this release or later)."""

    def check(self, event: EventEnvelope) -> list[str]:
        problems: list[str] = []
        if event.seq != self.expected_seq:
            problems.append(f"seq {event.seq}: expected {self.expected_seq}")
        if event.prev_hash != self.prev_hash:
            problems.append(f"seq {event.seq}: prev_hash does not match the previous event")
        problem = content_problem(event, canonical=self.canonical)
        if problem:
            problems.append(f"seq {event.seq}: {problem}")
        if event.snapshot_digest:
            self.anchors[event.seq] = (event.snapshot_digest, event.hash)
        if event.hash_recipe and self.first_named_recipe is None:
            self.first_named_recipe = event.seq
        self.skip(event.seq, event.hash)
        self.last = event
        return problems

    def skip(self, seq: int, digest: str) -> None:
        """Move past an event that could not be read (its problem is reported by the caller)."""
        self.expected_seq = seq + 1
        self.prev_hash = digest
        self.count += 1


def content_problem(event: EventEnvelope, *, canonical: bool = True) -> str | None:
    """Why an event's content does not match its hash (None when it does)."""
    recipe = event.hash_recipe or PYTHON_JSON
    if recipe not in RECIPES:
        return f"unknown hash recipe {recipe!r}"
    text = event.stored_text
    if text is None:
        return None if hashed_text(event) is not None else "content does not match its hash"
    if text_hash(text) != event.hash:
        return "content does not match its hash"
    if not canonical:
        return None
    try:
        data = from_json(text)  # the same values as json.loads, three times faster
        is_canonical = isinstance(data, dict) and canonical_text(data, strict=False) == text
    except (ValueError, UnstorableEvent):
        return "stored text is not JSON"
    if not is_canonical:
        return "stored text is not in canonical form"
    said = (data.get("exercise_id"), data.get("seq"), data.get("prev_hash"))
    if said != (event.exercise_id, event.seq, event.prev_hash):
        return "stored text does not match its row (exercise, seq or prev_hash)"
    return None


def verify_chain(events: Iterable[EventEnvelope]) -> list[str]:
    """Problems found in a stored chain: gaps, broken links or altered events (empty when intact)."""
    checker = ChainChecker()
    problems: list[str] = []
    for event in events:
        problems.extend(checker.check(event))
    return problems
