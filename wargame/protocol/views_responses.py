"""What a team sees of its responses: the escalation level and why, spares, link protections, deterrence."""

from __future__ import annotations

from typing import get_args

from wargame.adjudication.escalation_model import ladder_step
from wargame.domain.common import Frozen
from wargame.domain.response_rules import DimeInstrument, GroundAction
from wargame.domain.response_state import Deterrence, LinkProtection, ResponseNote
from wargame.domain.state import ExerciseState


class EscalationCard(Frozen):
    """The escalation model as every team sees it after the last adjudicated move."""

    level: int
    name: str
    score: float
    reasons: list[str]
    """Why it moved in the last adjudicated move."""
    credibility: dict[str, float]


class SpareCard(Frozen):
    id: str
    name: str
    kind: str
    mission: str | None
    lead_time_moves: int
    propellant_dv_m_per_s: float
    status: str
    """available, activated (arrives at the start of arrives_move) or arrived."""
    arrives_move: int | None = None


class ResponsesCard(Frozen):
    escalation: EscalationCard
    spares: list[SpareCard]
    """The nation's own spares."""
    protections: list[LinkProtection]
    """The nation's switched or hardened ground segments (from_move..until_move)."""
    deterrence: list[Deterrence]
    """Every DIME deterrence (public), from_move..until_move."""
    notes: list[ResponseNote]
    """What the responses did and why: the team's own outcomes and every public DIME response."""
    dime_instruments: list[str]
    ground_actions: list[str]


def responses_card(state: ExerciseState, nation: str) -> ResponsesCard | None:
    """The team's response card; None when the ruleset defines no responses."""
    rules = state.ruleset.responses
    if rules is None:
        return None
    held = state.responses
    level, name = ladder_step(state, max(held.escalation_score, float(state.escalation_level)))
    spares = []
    for spare in state.scenario.spares:
        if spare.owner != nation:
            continue
        entry = held.spares.get(spare.id)
        status = "available" if entry is None else "arrived" if entry.arrived else "activated"
        spares.append(
            SpareCard(
                id=spare.id,
                name=spare.name,
                kind=spare.kind,
                mission=spare.mission.value if spare.mission else None,
                lead_time_moves=spare.lead_time_moves,
                propellant_dv_m_per_s=spare.propellant_dv_m_per_s,
                status=status,
                arrives_move=None if entry is None else entry.arrives_move,
            )
        )
    return ResponsesCard(
        escalation=EscalationCard(
            level=level,
            name=name,
            score=held.escalation_score,
            reasons=list(held.escalation_reasons),
            credibility={n: held.credibility.get(n, 1.0) for n in state.played_nations()},
        ),
        spares=spares,
        protections=[p for p in held.protections if p.owner == nation],
        deterrence=list(held.deterrence),
        notes=[n for n in held.notes if n.nation in (None, nation)],
        dime_instruments=[i for i in get_args(DimeInstrument) if i in rules.dime],
        ground_actions=list(get_args(GroundAction)),
    )
