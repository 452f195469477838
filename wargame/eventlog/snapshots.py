"""Snapshots as stored: derived state, compressed, checksummed, and checked against the chain."""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import from_json

from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Scenario
from wargame.domain.state import ExerciseState

SETUP_FIELDS = frozenset({"scenario", "ruleset"})
"""State fields left out of a snapshot: they are in the log's first event, `exercise_created`."""

ZLIB_LEVEL = 1
"""zlib level of snapshots, saved inside the write lock: on a 34 MB state (global-sentinel when
pictures were inline) level 1 took 0.6 s for 11.7 MB, level 6 4.2 s for 10.2 MB."""


class BadSnapshot(ValueError):
    """A snapshot that does not belong to the log it is stored with (edited, truncated, moved)."""


@dataclass(frozen=True)
class Snapshot:
    """The state at `seq`, as saved: zlib-compressed JSON without the scenario and ruleset,
    `head_hash` the hash of the event at `seq`, `digest` the SHA-256 of `data`."""

    seq: int
    head_hash: str
    digest: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class StoredSnapshot:
    """A snapshot read back from a store, with the hash the log holds at its seq (None when the
    log has no event there). `content` is a dict for a snapshot saved by an earlier release
    (plain JSON of the whole state, scenario and ruleset included)."""

    seq: int
    content: Snapshot | dict[str, Any]
    log_hash: str | None


def snapshot_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def encode_snapshot(state: ExerciseState) -> Snapshot:
    text = state.model_dump_json(exclude=set(SETUP_FIELDS))
    data = zlib.compress(text.encode("utf-8"), ZLIB_LEVEL)
    return Snapshot(
        seq=state.last_seq, head_hash=state.last_hash, digest=snapshot_digest(data), data=data
    )


def decode_snapshot(
    snapshot: Snapshot | dict[str, Any],
    scenario: Scenario | None = None,
    ruleset: Ruleset | None = None,
) -> ExerciseState:
    """The state a snapshot holds, with the scenario and ruleset re-attached (a snapshot of an
    earlier release embeds them). Raises BadSnapshot if it is damaged or does not parse."""
    if isinstance(snapshot, Snapshot):
        if snapshot_digest(snapshot.data) != snapshot.digest:
            raise BadSnapshot("its content does not match its digest")
        try:
            data = from_json(zlib.decompress(snapshot.data))
        except (zlib.error, ValueError) as exc:
            raise BadSnapshot(f"it does not decompress to JSON: {exc}") from exc
    else:
        data = dict(snapshot)
    if not isinstance(data, dict):
        raise BadSnapshot("it is not a JSON object")
    for name, value in (("scenario", scenario), ("ruleset", ruleset)):
        if name not in data:
            if value is None:
                raise BadSnapshot(f"it has no {name} and none was given")
            data[name] = value
    try:
        return ExerciseState.model_validate(data)
    except ValidationError as exc:
        raise BadSnapshot(f"it is not a valid state: {exc.error_count()} error(s)") from exc


def checked_state(
    stored: StoredSnapshot, exercise_id: str, scenario: Scenario | None, ruleset: Ruleset | None
) -> ExerciseState:
    """The state of a stored snapshot if it belongs to this exercise's chain at its seq: the
    log holds an event there whose hash the snapshot names, and the state says the same seq
    and hash. Raises BadSnapshot otherwise."""
    if stored.log_hash is None:
        raise BadSnapshot(f"the log has no event {stored.seq}")
    content = stored.content
    if isinstance(content, Snapshot) and content.head_hash != stored.log_hash:
        raise BadSnapshot(f"it was taken after another event {stored.seq}")
    state = decode_snapshot(content, scenario, ruleset)
    said = (state.exercise_id, state.last_seq, state.last_hash)
    if said != (exercise_id, stored.seq, stored.log_hash):
        raise BadSnapshot(
            f"its state is {state.exercise_id} at seq {state.last_seq}, not the log's event {stored.seq}"
        )
    return state
