"""Each seat's stream: the events it may receive, numbered 1, 2, 3... for that seat alone."""

from __future__ import annotations

from collections.abc import Sequence

from wargame.domain.audience import GROUND_TRUTH_VIEWERS, can_see, is_control_viewer, team
from wargame.domain.request_events import REQUEST_EVENTS

OBSERVER_SAFE_EVENTS = frozenset({
    "exercise_started", "exercise_paused", "exercise_resumed", "exercise_ended", "move_advanced",
    "move_closing", "move_reopened", "inject_released", "attribution_published", "statement_issued",
    "move_clock_set", "deadline_warning", "deadline_passed", "radiation_belt_formed",
})
"""Event types an observer may receive (public facts); anything else is denied."""

PLAYER_SAFE_EVENTS = OBSERVER_SAFE_EVENTS | {
    "order_submitted", "order_cancelled", "tasking_requested", "tasking_answered", "chat_posted",
    "manoeuvre_executed", "anti_jam_set", "asset_status_changed", "picture_updated",
    "conjunction_warning", "close_approach_detected", "threat_assessed", "status_disclosed",
    "product_released", "product_withdrawn", "inject_forwarded", "sharing_policy_set",
    "ground_segment_acted", "spare_activated", "spare_arrived", "evasion_resolved", "response_failed",
    "dime_taken", "escalation_changed",
    "team_notified", "counterspace_fired",
} | REQUEST_EVENTS
"""Event types a team may ever receive (when addressed to it); anything else is denied."""

CONTROL_VIEWERS = GROUND_TRUTH_VIEWERS
OBSERVER = "observer"


def visible(viewer: str, event_type: str, audience: Sequence[str]) -> bool:
    """Whether an event of this type and audience is in `viewer`'s stream. Deny by default:
    control sees everything; an observer public facts; a team what is addressed to it among
    the types a team may receive."""
    if not can_see(tuple(audience), viewer):
        return False
    if is_control_viewer(viewer):
        return True
    allowed = OBSERVER_SAFE_EVENTS if viewer == OBSERVER else PLAYER_SAFE_EVENTS
    return event_type in allowed


def stream_viewers(played_nations: Sequence[str]) -> list[str]:
    """Every viewer whose stream is numbered apart from the log: the observer and each team
    (control seats see the whole log: their position is the event's seq)."""
    return [OBSERVER, *(team(n) for n in played_nations)]


def advance_heads(
    heads: dict[str, int], viewers: Sequence[str], event_type: str, audience: Sequence[str]
) -> dict[str, int]:
    """The stream heads after one more event: +1 for each viewer that may see it."""
    return event_positions(heads, viewers, event_type, audience)[0]


def event_positions(
    heads: dict[str, int], viewers: Sequence[str], event_type: str, audience: Sequence[str]
) -> tuple[dict[str, int], dict[str, int]]:
    """(new heads, the event's position in each stream it joins)."""
    moved = {v: heads.get(v, 0) + 1 for v in viewers if visible(v, event_type, audience)}
    return ({**heads, **moved} if moved else heads), moved
