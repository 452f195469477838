"""Snapshots as stored: derived state, compressed, checksummed; the log records each digest."""

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

LEFT_OUT = SETUP_FIELDS | {"last_hash"}
"""Also left out: the hash of the event the snapshot is taken at, since that event records the
snapshot's digest (its row keeps the hash, `head_hash`, and loading puts it back)."""

ZLIB_LEVEL = 1
"""zlib level of snapshots, saved inside the write lock: on a 34 MB state (global-sentinel when
pictures were inline) level 1 took 0.6 s for 11.7 MB, level 6 4.2 s for 10.2 MB."""


class BadSnapshot(ValueError):
    """A snapshot that does not belong to the log it is stored with (edited, truncated, moved,
    or never recorded by it). `tampered`: the log records a snapshot there, and this is not it."""

    def __init__(self, message: str, *, tampered: bool = False) -> None:
        super().__init__(message)
        self.tampered = tampered


@dataclass(frozen=True)
class Snapshot:
    """The state at `seq`, as saved: zlib-compressed JSON without the scenario, ruleset and
    last hash (`LEFT_OUT`), `head_hash` the hash of the event at `seq`, `digest` the SHA-256 of
    `data` (the event at `seq` records it as its `snapshot_digest`)."""

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
    """The snapshot of a state (its last hash may still be empty: it is not encoded)."""
    text = state.model_dump_json(exclude=set(LEFT_OUT))
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
    if isinstance(snapshot, Snapshot):
        data.setdefault("last_hash", snapshot.head_hash)
    for name, value in (("scenario", scenario), ("ruleset", ruleset)):
        if name not in data:
            if value is None:
                raise BadSnapshot(f"it has no {name} and none was given")
            data[name] = value
    try:
        return ExerciseState.model_validate(data)
    except ValidationError as exc:
        raise BadSnapshot(f"it is not a valid state: {exc.error_count()} error(s)") from exc
