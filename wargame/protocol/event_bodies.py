"""The body each kind of seat receives for each event type it may see, declared as models for
the JSON Schema the browser's types are generated from (projection.py builds them)."""

from __future__ import annotations

from typing import Any, Literal, get_args

from pydantic import BaseModel, create_model

from wargame.domain.common import Frozen, NationId
from wargame.domain.events import EventBody, PictureUpdated
from wargame.domain.pictures import PictureRef
from wargame.domain.streams import PLAYER_SAFE_EVENTS
from wargame.protocol.views import TEAM_BODY_MODELS, ProjectedEvent, SeenStatusChange

LOG_BODIES: dict[str, type[BaseModel]] = {
    model.model_fields["type"].default: model for model in get_args(get_args(EventBody)[0])
}
"""Every event body of the log, by type."""
NEVER_APPLIED = frozenset({"exercise_created"})
"""Types no seat applies to a view: exercise_created is the first event of the log, before any
snapshot (its body holds the whole scenario and ruleset)."""


class PictureRows(Frozen):
    """picture_updated of a log recorded before custody records, to its team: the rows themselves."""

    nation: NationId
    move: int
    tracks: list[dict[str, Any]]


class ControlPicture(Frozen):
    """picture_updated as control receives it: the log's body (without older logs' rows) and the
    URL of that nation's picture."""

    type: Literal["picture_updated"] = "picture_updated"
    nation: NationId
    move: int
    picture: PictureRef | None = None
    url: str | None = None
    """`/api/picture?move=M&nation=N` (None for an older log's rows, which are left out)."""


def team_body_models() -> dict[str, Any]:
    """Event type -> the body a team (or the observer) receives, for every type a team may see
    that the log has."""
    overrides: dict[str, Any] = {
        **TEAM_BODY_MODELS,
        "picture_updated": TEAM_BODY_MODELS["picture_updated"] | PictureRows,
        "asset_status_changed": LOG_BODIES["asset_status_changed"] | SeenStatusChange,
    }
    return {t: overrides.get(t, LOG_BODIES[t]) for t in sorted(PLAYER_SAFE_EVENTS) if t in LOG_BODIES}


def control_body_models() -> dict[str, Any]:
    """Event type -> the body a control seat (white cell, facilitator) receives."""
    overrides: dict[str, Any] = {PictureUpdated.model_fields["type"].default: ControlPicture}
    return {t: overrides.get(t, model) for t, model in sorted(LOG_BODIES.items()) if t not in NEVER_APPLIED}


def _bodies(name: str, doc: str, models: dict[str, Any]) -> type[BaseModel]:
    fields: dict[str, Any] = {event_type: (model, ...) for event_type, model in models.items()}
    return create_model(name, __base__=Frozen, __doc__=doc, **fields)


TeamEventBodies = _bodies(
    "TeamEventBodies", "Per event type, the body a team or the observer receives.", team_body_models()
)
ControlEventBodies = _bodies(
    "ControlEventBodies", "Per event type, the body the white cell, facilitators and evaluators receive.",
    control_body_models(),
)


class SeatEvents(Frozen):
    """What a seat receives as events: the envelope (`ProjectedEvent`), whose `body` is, for its
    `type`, the entry of `team` (teams, observer) or `control` (white cell, facilitators, evaluators)."""

    envelope: ProjectedEvent
    team: TeamEventBodies  # type: ignore[valid-type]
    control: ControlEventBodies  # type: ignore[valid-type]
