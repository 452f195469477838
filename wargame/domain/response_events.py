"""Event bodies of the response orders' outcomes (ground segment, spares, DIME, evasion) and of escalation."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import FreeText, Frozen, Identifier, NationId, NoneOmitted, ShortText
from wargame.domain.response_rules import DimeInstrument, GroundAction


class GroundSegmentActed(Frozen):
    """The outcome of a ground-segment order (owner only): a switch or a hardening protects the
    asset from `from_move` to `until_move`; a restored link ends its status now (the
    asset_status_changed that follows)."""

    type: Literal["ground_segment_acted"] = "ground_segment_acted"
    asset_id: Identifier
    owner: NationId
    action: GroundAction
    succeeded: bool
    p_success: float
    from_move: Annotated[int | None, NoneOmitted] = None
    until_move: Annotated[int | None, NoneOmitted] = None
    explanation: ShortText


class SpareActivated(Frozen):
    """A nation activated a spare (reconstitute order); it arrives at the start of `arrives_move`."""

    type: Literal["spare_activated"] = "spare_activated"
    spare_id: Identifier
    owner: NationId
    arrives_move: int
    explanation: ShortText


class SpareArrived(Frozen):
    """An activated spare entered play: it joins the ground truth and its owner's capability."""

    type: Literal["spare_arrived"] = "spare_arrived"
    spare_id: Identifier
    owner: NationId
    name: ShortText
    kind: ShortText
    mission: ShortText | None = None
    propellant_dv_m_per_s: float
    explanation: ShortText


class DimeTaken(Frozen):
    """A nation's DIME response, public once the move is adjudicated: how it moved the escalation
    score and how long the target nation's effects are deterred."""

    type: Literal["dime_taken"] = "dime_taken"
    nation: NationId
    instrument: DimeInstrument
    target_nation: NationId
    text: FreeText = ""
    escalation_delta: float
    deterrence_factor: float
    from_move: int
    until_move: Annotated[int | None, NoneOmitted] = None
    """The last move of the deterrence; None when the instrument deters nothing."""
    explanation: ShortText


class EvasionResolved(Frozen):
    """An evasion burn met a co-orbital threat (owner only): the p_success it left and the outcome."""

    type: Literal["evasion_resolved"] = "evasion_resolved"
    asset_id: Identifier
    owner: NationId
    inject_id: Identifier
    dv_m_per_s: float
    factor: float
    p_before: float
    p_after: float
    hit: bool
    explanation: ShortText


class ResponseFailed(Frozen):
    """A response order that could not be carried out when the move was adjudicated (owner only)."""

    type: Literal["response_failed"] = "response_failed"
    nation: NationId
    order_kind: ShortText
    subject: Identifier
    explanation: ShortText


class EscalationChanged(Frozen):
    """The escalation model after a move (every seat): its score, level, the ladder's name for it
    and the reasons it moved; each nation's public credibility."""

    type: Literal["escalation_changed"] = "escalation_changed"
    move: int
    score: float
    level: int
    name: ShortText
    previous_score: float
    reasons: tuple[ShortText, ...] = ()
    credibility: dict[NationId, float] = Field(default_factory=dict)
