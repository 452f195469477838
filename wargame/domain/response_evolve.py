"""evolve for the response events: link protections, deterrence, spares and the escalation score."""

from __future__ import annotations

from wargame.domain.response_events import (
    DimeTaken,
    EscalationChanged,
    EvasionResolved,
    GroundSegmentActed,
    ResponseFailed,
    SpareActivated,
    SpareArrived,
)
from wargame.domain.response_state import Deterrence, LinkProtection, ResponseNote, ResponseState, SpareState
from wargame.domain.state import AssetState, ExerciseState

RESPONSE_EVENTS = (
    GroundSegmentActed,
    SpareActivated,
    SpareArrived,
    DimeTaken,
    EvasionResolved,
    ResponseFailed,
    EscalationChanged,
)


def evolve_response(state: ExerciseState, body: object) -> ExerciseState | None:
    """The state after a response event; None for any other event."""
    if not isinstance(body, RESPONSE_EVENTS):
        return None
    state = _noted(state, body)
    responses = state.responses
    match body:
        case GroundSegmentActed(from_move=start, until_move=end) if body.succeeded and start and end:
            protection = LinkProtection(
                asset_id=body.asset_id, owner=body.owner, action=body.action, from_move=start, until_move=end
            )
            responses = responses.model_copy(update={"protections": (*responses.protections, protection)})
        case DimeTaken(until_move=end) if end is not None:
            deterrence = Deterrence(
                nation=body.nation,
                instrument=body.instrument,
                target_nation=body.target_nation,
                factor=body.deterrence_factor,
                from_move=body.from_move,
                until_move=end,
            )
            responses = responses.model_copy(update={"deterrence": (*responses.deterrence, deterrence)})
        case SpareActivated():
            spare = SpareState(
                spare_id=body.spare_id,
                owner=body.owner,
                activated_move=state.adjudicating_move(),
                arrives_move=body.arrives_move,
            )
            responses = responses.model_copy(update={"spares": {**responses.spares, body.spare_id: spare}})
        case SpareArrived():
            return _arrived(state, body)
        case EscalationChanged():
            responses = responses.model_copy(
                update={
                    "escalation_score": body.score,
                    "escalation_reasons": body.reasons,
                    "credibility": dict(body.credibility),
                }
            )
    return state.model_copy(update={"responses": responses})


def _arrived(state: ExerciseState, body: SpareArrived) -> ExerciseState:
    spec = state.scenario.spare(body.spare_id)
    if spec is None:
        raise ValueError(f"no spare {body.spare_id!r} in the scenario")
    asset = AssetState(
        id=spec.id, owner=spec.owner, orbit=spec.orbit, propellant_dv_m_per_s=spec.propellant_dv_m_per_s
    )
    responses = state.responses
    entry = responses.spares.get(body.spare_id)
    if entry is not None:
        spares = {**responses.spares, body.spare_id: entry.model_copy(update={"arrived": True})}
        responses = responses.model_copy(update={"spares": spares})
    return state.model_copy(update={"assets": {**state.assets, spec.id: asset}, "responses": responses})


def _noted(state: ExerciseState, body: object) -> ExerciseState:
    """The event's explanation added to the notes of the team(s) entitled to it."""
    text = getattr(body, "explanation", None)
    if not isinstance(text, str):
        return state
    owner = getattr(body, "owner", None) or getattr(body, "nation", None)
    nation = None if isinstance(body, DimeTaken) else owner
    kind = str(getattr(body, "type", ""))
    note = ResponseNote(nation=nation, move=state.adjudicating_move(), kind=kind, text=text)
    responses: ResponseState = state.responses
    notes = (*responses.notes, note)
    return state.model_copy(update={"responses": responses.model_copy(update={"notes": notes})})
