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
