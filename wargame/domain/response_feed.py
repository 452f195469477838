"""The team feed's lines for the response outcomes (to whom they belong) and the escalation changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wargame.domain.feed_events import TeamNotified
from wargame.domain.response_events import DimeTaken, EscalationChanged
from wargame.domain.state import ExerciseState

TEXT_LIMIT = 200


def _clip(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 3] + "..."


def _owner_line(state: ExerciseState, body: Any) -> list[TeamNotified]:
    """A response's outcome, to the nation whose order it was."""
    nation = getattr(body, "owner", None) or getattr(body, "nation", None)
    subject = getattr(body, "asset_id", None) or getattr(body, "spare_id", None)
    subject = subject or getattr(body, "subject", None)
    return [TeamNotified(nation=nation, topic="response", subject=subject, text=_clip(body.explanation))]


def _dime(state: ExerciseState, body: DimeTaken) -> list[TeamNotified]:
    """A DIME response, to every team (a public act once adjudicated)."""
    text = _clip(body.explanation)
    return [TeamNotified(nation=n, topic="response", text=text) for n in state.played_nations()]


def _escalation(state: ExerciseState, body: EscalationChanged) -> list[TeamNotified]:
    """A change of the escalation score, with its reasons, to every team (nothing when it held)."""
    if body.score == body.previous_score:
        return []
    reasons = "; ".join(body.reasons)
    text = f"Escalation level {body.level} ({body.name}), score {body.score:g}"
    text += f": {reasons}" if reasons else ""
    return [TeamNotified(nation=n, topic="escalation", text=_clip(text)) for n in state.played_nations()]


RESPONSE_EXPLAINERS: dict[str, Callable[[ExerciseState, Any], list[TeamNotified]]] = {
    "ground_segment_acted": _owner_line,
    "spare_activated": _owner_line,
    "spare_arrived": _owner_line,
    "evasion_resolved": _owner_line,
    "response_failed": _owner_line,
    "dime_taken": _dime,
    "escalation_changed": _escalation,
}
"""Feed explainers of the response events (domain/team_feed.py EXPLAINERS takes them in)."""
