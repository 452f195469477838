"""Numbering and hash-chaining of events, and verification of a stored chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from wargame.domain.events import EventEnvelope, PendingEvent
from wargame.domain.evolve import evolve_body
from wargame.domain.state import ExerciseState

GENESIS_HASH = "0" * 64


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of an envelope without its own hash."""
    return hashlib.sha256(canonical_json(fields).encode()).hexdigest()


def seal(
    exercise_id: str,
    pending: Sequence[PendingEvent],
    *,
    state: ExerciseState | None,
    at: datetime,
) -> list[EventEnvelope]:
    """Number and chain pending events after the state's last event.

    Move and scenario time on each envelope are those in force when the event applies, so
    `move_advanced` carries the new move.
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
        digest = event_hash(envelope_fields(unsigned))
        sealed.append(unsigned.model_copy(update={"hash": digest}))
        prev_hash = digest
    return sealed


def _created_start(item: PendingEvent) -> datetime:
    scenario = getattr(item.body, "scenario", None)
    if scenario is None:
        raise ValueError("the first event of an exercise must be exercise_created")
    start: datetime = scenario.start_time
    return start


def envelope_fields(event: EventEnvelope) -> dict[str, Any]:
    data = event.model_dump(mode="json", exclude={"hash"})
    data["audience"] = list(event.audience)
    return data


def verify_chain(events: Iterable[EventEnvelope]) -> list[str]:
    """Problems found in a stored chain: gaps, broken links or altered events (empty when intact)."""
    problems: list[str] = []
    expected_seq = 1
    prev_hash = GENESIS_HASH
    for event in events:
        if event.seq != expected_seq:
            problems.append(f"seq {event.seq}: expected {expected_seq}")
        if event.prev_hash != prev_hash:
            problems.append(f"seq {event.seq}: prev_hash does not match the previous event")
        if event_hash(envelope_fields(event)) != event.hash:
            problems.append(f"seq {event.seq}: content does not match its hash")
        expected_seq = event.seq + 1
        prev_hash = event.hash
    return problems
