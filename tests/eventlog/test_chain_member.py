"""`seal` records the member who issued a command; the hash covers it; an unnamed one is left out."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import make_created
from wargame.domain.events import ChatPosted, PendingEvent
from wargame.eventlog.chain import envelope_fields, seal, verify_chain
from wargame.eventlog.replay import fold

AT = datetime(2027, 3, 1, 12, tzinfo=UTC)


def _chat(member: str) -> PendingEvent:
    body = ChatPosted(message_id="m-1", channel="team", sender="USA", text="hold the burn")
    return PendingEvent(body=body, audience=("control", "team:USA"), actor="team:USA", member=member)


def test_seal_copies_the_member_into_the_envelope_and_its_hash() -> None:
    created = seal(
        "x", [PendingEvent(body=make_created(), audience=("control",), actor="white_cell")], state=None, at=AT
    )
    state = fold(created)
    named, unnamed = (seal("x", [_chat(m)], state=state, at=AT)[0] for m in ("Lt Col Avery", ""))
    assert named.member == "Lt Col Avery" and unnamed.member == ""
    assert envelope_fields(named)["member"] == "Lt Col Avery"
    assert "member" not in envelope_fields(unnamed) and "member" not in unnamed.model_dump_json()
    assert named.hash != unnamed.hash  # the member is part of what the chain protects
    assert verify_chain([*created, named]) == []
    forged = named.model_copy(update={"member": "Someone Else"})
    assert verify_chain([*created, forged]) == ["seq 2: content does not match its hash"]


def test_the_service_signs_a_commands_events_and_refuses_a_revoked_seat() -> None:
    import pytest

    from tests.factories import FakeAdjudicator, command
    from wargame.domain.audience import Role, Seat
    from wargame.eventlog.store import MemoryEventStore
    from wargame.services.commands import ExerciseService, SeatRevoked

    service = ExerciseService(MemoryEventStore(), FakeAdjudicator())
    service.create("x", make_created())
    white = Seat(role=Role.WHITE_CELL, member="Ms Okafor")
    result, events = service.handle_events("x", white, "s1", command({"type": "start_exercise"}))
    assert result["status"] == "accepted" and len(events) > 1
    assert {e.member for e in events} == {"Ms Okafor"}  # adjudicated events too: her command caused them
    assert verify_chain(service.store.read_after("x", 0)) == []
    usa = Seat(role=Role.PLAYER, nation="USA")
    chat = command({"type": "post_chat", "channel": "team", "text": "hi"})
    assert service.handle_events("x", usa, "c1", chat)[1][0].member == ""
    head = service.store.read_last_seq("x")
    for command_id in ("c1", "c2"):  # a repeat gets nothing either
        with pytest.raises(SeatRevoked):
            service.handle_events("x", usa, command_id, chat, still_seated=lambda: False)
    assert service.store.read_last_seq("x") == head
    assert service.handle_events("x", usa, "c2", chat, still_seated=lambda: True)[0]["status"] == "accepted"
