"""post_chat: which channel a seat may post to, and the message it records (decide's part)."""

from __future__ import annotations

from wargame.domain.addressing import coalition_nations
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import PostChat, Rejection, reject
from wargame.domain.events import ChatPosted, EventBody
from wargame.domain.ids import new_id
from wargame.domain.state import ExerciseState


def decide_chat(state: ExerciseState, seat: Seat, cmd: PostChat) -> list[EventBody] | Rejection:
    """One ChatPosted on the channel the seat may post to, or why not (team, bilateral with a
    played partner, coalition for coalition nations and the white cell, control for control)."""
    message_id = new_id(state, "M")
    if cmd.channel == "control":
        if not seat.is_control:
            return reject(
                state, "forbidden", "the control channel is for the white cell and facilitators"
            )
        return [
            ChatPosted(message_id=message_id, channel="control", sender=seat.viewer, text=cmd.text)
        ]
    if cmd.channel == "coalition":
        if seat.role is Role.PLAYER and seat.nation not in coalition_nations(state):
            return reject(
                state, "forbidden", "only coalition nations can post to the coalition channel"
            )
        sender = seat.nation if seat.role is Role.PLAYER else "WHITE"
        return [
            ChatPosted(
                message_id=message_id, channel="coalition", sender=sender or "", text=cmd.text
            )
        ]
    if seat.role is not Role.PLAYER or seat.nation is None:
        return reject(state, "forbidden", f"the {cmd.channel} channel is for national teams")
    if cmd.channel == "team":
        return [
            ChatPosted(
                message_id=message_id,
                channel=f"team:{seat.nation}",
                sender=seat.nation,
                text=cmd.text,
            )
        ]
    partner = cmd.partner
    if partner is None or partner == seat.nation or partner not in state.played_nations():
        return reject(
            state, "invalid", "a bilateral message needs another participating nation as partner"
        )
    pair = "+".join(sorted((seat.nation, partner)))
    return [
        ChatPosted(
            message_id=message_id, channel=f"bilateral:{pair}", sender=seat.nation, text=cmd.text
        )
    ]
