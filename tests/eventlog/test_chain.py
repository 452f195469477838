"""Each event is serialized and hashed once; its canonical text is what is stored and verified."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
import rfc8785

from tests.factories import FakeAdjudicator, make_created, run_command
from wargame.domain.audience import control_only
from wargame.domain.events import (
    ChatPosted,
    CloseApproachDetected,
    EventBody,
    EventEnvelope,
    PendingEvent,
)
from wargame.domain.state import ExerciseState
from wargame.eventlog.canonical import RFC8785, jcs_text, python_text_signed_zero
from wargame.eventlog.chain import (
    GENESIS_HASH,
    UnstorableEvent,
    envelope_fields,
    envelope_from_text,
    seal,
    stored_text_for,
    text_hash,
    verify_chain,
)
from wargame.eventlog.replay import fold
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService

EX = "chain"
AT = datetime(2027, 3, 1, 12, tzinfo=UTC)


def started() -> tuple[ExerciseService, MemoryEventStore]:
    store = MemoryEventStore()
    service = ExerciseService(store, FakeAdjudicator())
    service.create(EX, make_created())
    assert run_command(service, EX, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    return service, store


def approach(range_km: float) -> PendingEvent:
    body = CloseApproachDetected(nation="USA", asset_id="usa-sat", other_id="red-insp", range_km=range_km)
    return PendingEvent(body=body, audience=control_only(), actor="white_cell")


def outsider_hash(text: str) -> tuple[bool, str]:
    """What docs/log-format.md tells an outsider to do with an exported event's text."""
    canonical = rfc8785.dumps(json.loads(text)).decode("utf-8")
    return canonical == text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_canonical_text_sorts_keys_keeps_utf8_and_writes_negative_zero_as_zero() -> None:
    text = jcs_text({"b": [-0.0, 0.5, -0.05], "a": "Kirameki-2 über Ōita", "c": {"z": -0.0, "y": 1e16}})
    assert text == '{"a":"Kirameki-2 über Ōita","b":[0,0.5,-0.05],"c":{"y":10000000000000000,"z":0}}'
    assert jcs_text({"text": "-0.0"}) == '{"text":"-0.0"}'  # a string stays as written
    for bad in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(UnstorableEvent):
            jcs_text({"x": bad})


def test_seal_keeps_the_text_it_hashed_and_reading_it_gives_the_same_envelope() -> None:
    _, store = started()
    for event in store.read_after(EX, 0):
        text = event.stored_text
        assert text is not None and text_hash(text) == event.hash
        assert text == jcs_text(envelope_fields(event))  # one recipe, applied once
        assert event.hash_recipe == RFC8785 and '"hash_recipe":"rfc8785-sha256"' in text
        assert outsider_hash(text) == (True, event.hash)
        parsed = envelope_from_text(text, event.hash)
        assert parsed == event and parsed.stored_text == text
    assert verify_chain(store.read_after(EX, 0)) == []


def test_negative_zero_hashes_as_zero_and_verifies_however_the_event_is_held() -> None:
    service, store = started()
    state = service.state(EX)
    (sealed,) = seal(EX, [approach(-0.0)], state=state, at=AT)
    text = sealed.stored_text
    assert text is not None and '"range_km":0,' in text and ":-0" not in text
    assert verify_chain([*store.read_after(EX, 0), sealed]) == []
    parsed = envelope_from_text(text, sealed.hash)  # as a database that kept the text returns it
    assert verify_chain([*store.read_after(EX, 0), parsed]) == []
    fields = envelope_fields(sealed)
    rebuilt = EventEnvelope.model_validate({**fields, "hash": sealed.hash})  # no text: the fields
    assert rebuilt.stored_text is None and verify_chain([*store.read_after(EX, 0), rebuilt]) == []
    assert stored_text_for(rebuilt) == text


def test_an_event_hashed_by_an_earlier_release_still_verifies_with_its_recipe() -> None:
    _, store = started()
    head = store.read_after(EX, 0)[-1]
    unsigned = EventEnvelope.model_validate(
        {**envelope_fields(head), "seq": head.seq + 1, "prev_hash": head.hash, "hash": "",
         "body": approach(-0.0).body.model_dump(mode="json"), "hash_recipe": ""}
    )
    old_fields = envelope_fields(unsigned)
    assert '"range_km":-0.0' in python_text_signed_zero(old_fields)
    old_hash = hashlib.sha256(python_text_signed_zero(old_fields).encode()).hexdigest()  # what 78af8fa stored
    old = unsigned.model_copy(update={"hash": old_hash})
    assert verify_chain([*store.read_after(EX, 0), old]) == []
    assert stored_text_for(old) is None  # the database keeps such an event's body, not a text


def test_seal_refuses_nan_and_infinity() -> None:
    service, _ = started()
    for bad in (float("nan"), float("inf")):
        with pytest.raises(UnstorableEvent, match="close_approach_detected"):
            seal(EX, [approach(bad)], state=service.state(EX), at=AT)


def test_a_text_that_is_altered_reordered_or_moved_is_reported() -> None:
    _, store = started()
    events = store.read_after(EX, 0)
    last = events[-1]
    text = last.stored_text
    assert text is not None

    altered = last.model_copy()
    altered.set_stored_text(text.replace('"move":1', '"move":2', 1))
    assert verify_chain([*events[:-1], altered]) == [f"seq {last.seq}: content does not match its hash"]
    spaced = json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False)  # same data, not canonical
    problems = verify_chain([*events[:-1], _rehashed(last, spaced)])
    assert problems[-1] == f"seq {last.seq}: stored text is not in canonical form"
    other_seq = jcs_text({**json.loads(text), "seq": last.seq + 5})
    problems = verify_chain([*events[:-1], _rehashed(last, other_seq)])
    assert problems[-1] == f"seq {last.seq}: stored text does not match its row (exercise, seq or prev_hash)"


def _rehashed(event: EventEnvelope, text: str) -> EventEnvelope:
    """The event held with another text, and the hash of that text: a forger's consistent edit."""
    envelope = event.model_copy(update={"hash": text_hash(text)})
    envelope.set_stored_text(text)
    return envelope


def test_a_changed_copy_drops_the_text_so_a_forged_body_is_caught() -> None:
    _, store = started()
    chat = seal(
        EX,
        [PendingEvent(body=ChatPosted(message_id="m1", channel="all", sender="USA", text="hello"),
                      audience=control_only(), actor="team:USA")],
        state=fold(store.read_after(EX, 0)),
        at=AT,
    )[0]
    assert chat.model_copy().stored_text == chat.stored_text and chat.model_copy() == chat
    forged = chat.model_copy(update={"body": chat.body.model_copy(update={"text": "forged"})})
    assert forged.stored_text is None
    assert verify_chain([*store.read_after(EX, 0), forged]) == [
        f"seq {chat.seq}: content does not match its hash"
    ]


def test_the_first_link_starts_from_the_genesis_hash() -> None:
    _, store = started()
    first = store.read_after(EX, 0)[0]
    assert first.prev_hash == GENESIS_HASH
    assert verify_chain(store.read_after(EX, 1)) == [
        "seq 2: expected 1",
        "seq 2: prev_hash does not match the previous event",
    ]


class NanAdjudicator(FakeAdjudicator):
    """A core with a numerical bug: one of its results is NaN."""

    def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
        return [*super().adjudicate_move(state, blobs), approach(float("nan")).body]


def test_an_adjudication_whose_events_would_hold_nan_is_refused_and_the_move_reopened() -> None:
    store = MemoryEventStore()
    service = ExerciseService(store, NanAdjudicator())
    service.create(EX, make_created())
    assert run_command(service, EX, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    before = store.read_last_seq(EX)
    result = run_command(service, EX, "white_cell", {"type": "advance_move", "from_move": 1})
    assert (result["status"], result["code"], result["current_seq"]) == ("rejected", "invalid", before + 2)
    assert result["message"] == (
        "event close_approach_detected not recorded: "
        "it holds NaN or an infinite number, which cannot be recorded"
    )
    recorded = [e.body.type for e in store.read_after(EX, before)]
    assert recorded == ["move_closing", "move_reopened"]  # none of the adjudication's events
    state = service.state(EX)
    assert state.move == 1 and state.closing is None and verify_chain(store.read_after(EX, 0)) == []
