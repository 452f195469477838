"""One-line sentences for the evaluation's events in the AAR timeline (observations, AAR/IP input)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

JsonDict = dict[str, Any]
Names = Mapping[str, str]
Summariser = Callable[[str, JsonDict, Names], str]


def _ties(body: JsonDict) -> str:
    """' on obj-x task 2, inject inj-003, JPN [S]' for what an observation is tied to."""
    parts = []
    if body.get("objective_id"):
        task = f" task {body['task']}" if body.get("task") else ""
        parts.append(f"{body['objective_id']}{task}")
    if body.get("inject_id"):
        parts.append(f"inject {body['inject_id']}")
    if body.get("nation"):
        parts.append(str(body["nation"]))
    about = f" on {', '.join(parts)}" if parts else ""
    rating = f" [{body['rating']}]" if body.get("rating") else ""
    return about + rating


def _who(actor: str, member: Any) -> str:
    return f"{actor} ({member})" if member else actor


def _recorded(actor: str, body: JsonDict, names: Names) -> str:
    ident = f" {body['observation_id']}" if body.get("observation_id") else ""
    return f"{_who(actor, body.get('author_member'))} observed{ident}{_ties(body)}: {body.get('text', '')}"


def _edited(actor: str, body: JsonDict, names: Names) -> str:
    who = _who(actor, body.get("editor_member"))
    return f"{who} edited observation {body.get('observation_id')}{_ties(body)}: {body.get('text', '')}"


def _retracted(actor: str, body: JsonDict, names: Names) -> str:
    reason = f": {body['reason']}" if body.get("reason") else ""
    return f"{_who(actor, body.get('by_member'))} retracted observation {body.get('observation_id')}{reason}"


def _rating(actor: str, body: JsonDict, names: Names) -> str:
    who = _who(actor, body.get("by_member"))
    subject = f"{body.get('subject')} {body.get('subject_id')}"
    if body.get("rating") is None:
        return f"{who} cleared the final rating of {subject}"
    because = f": {body['rationale']}" if body.get("rationale") else ""
    return f"{who} rated {subject} {body['rating']}{because}"


def _version(body: JsonDict) -> str:
    return "recorded" if body.get("revision", 1) == 1 else f"revised (version {body.get('revision')})"


def _strength(actor: str, body: JsonDict, names: Names) -> str:
    who = _who(actor, body.get("by_member"))
    return (f"{who} {_version(body)} strength {body.get('strength_id')} of {body.get('objective_id')}: "
            f"{body.get('text', '')}")


def _afi(actor: str, body: JsonDict, names: Names) -> str:
    who = _who(actor, body.get("by_member"))
    return (f"{who} {_version(body)} area for improvement {body.get('afi_id')} of "
            f"{body.get('objective_id')}: {body.get('title', '')}")


def _improvement(actor: str, body: JsonDict, names: Names) -> str:
    who = _who(actor, body.get("by_member"))
    return (f"{who} {_version(body)} improvement item {body.get('item_id')} ({body.get('capability')}, "
            f"{body.get('organisation')}, {body.get('start_date')} to {body.get('end_date')}): "
            f"{body.get('corrective_action', '')}")


def _removed(actor: str, body: JsonDict, names: Names) -> str:
    kind = str(body.get("kind", "item")).replace("_", " ")
    reason = f": {body['reason']}" if body.get("reason") else ""
    return f"{_who(actor, body.get('by_member'))} removed {kind} {body.get('item_id')}{reason}"


EVALUATION_SUMMARISERS: dict[str, Summariser] = {
    "observation_recorded": _recorded,
    "observation_edited": _edited,
    "observation_retracted": _retracted,
    "rating_set": _rating,
    "strength_set": _strength,
    "afi_set": _afi,
    "improvement_item_set": _improvement,
    "evaluation_item_removed": _removed,
}
"""Summariser of each evaluation event type (summaries.SUMMARISERS includes them)."""
