"""Ruleset section `responses`: costs and effects of the teams' response orders, and the escalation model."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import Frozen, InjectType

Probability = Annotated[float, Field(ge=0.0, le=1.0)]
NonNegative = Annotated[float, Field(ge=0.0)]
Moves = Annotated[int, Field(ge=1, le=50)]

GroundAction = Literal["switch_ground_station", "harden", "restore_link"]
DimeInstrument = Literal["diplomatic_demarche", "sanctions", "information_campaign", "military_posture"]


class SafeModeRules(Frozen):
    """An asset in safe mode (status safe_mode, service capability.service_by_status.safe_mode):
    payload off, sun-pointing, sensors shuttered; it resists the effect types named here."""

    protection_factors: dict[InjectType, Probability]
    """Multiplier on the p_success of an effect of each type against an asset in safe mode."""


class SwitchStationRules(Frozen):
    """Move an asset's command and data links to another ground station."""

    p_success: Probability
    """Chance the switch works (one keyed draw when the order is adjudicated)."""
    protection_factors: dict[InjectType, Probability]
    """From the next move, multiplier on the p_success of each type against the asset's links."""
    duration_moves: Moves
    """Moves the new station stays unknown to the adversary (from the next move)."""


class HardenRules(Frozen):
    """Harden an asset's ground segment (patches, segmentation, tighter access)."""

    protection_factors: dict[InjectType, Probability]
    """From the next move, multiplier on the p_success of each type against the asset."""
    duration_moves: Moves
    service_factor: Probability
    """The cost: while hardened the asset's service share is multiplied by this."""


class RestoreLinkRules(Frozen):
    """Work around a jammed or seized link (re-route, re-key, reboot) to end its effect early."""

    p_success: Probability
    recovers: tuple[InjectType, ...]
    """Effect types whose reversible status a successful restore ends at once."""


class GroundSegmentRules(Frozen):
    switch_ground_station: SwitchStationRules
    harden: HardenRules
    restore_link: RestoreLinkRules


class EvasionRules(Frozen):
    """An `evasion` manoeuvre in the move a co-orbital threat against the asset resolves."""

    inject_types: tuple[InjectType, ...]
    """Threats an evasion burn can defeat (co-orbital, close approach)."""
    factor_per_m_per_s: NonNegative
    """p_success is multiplied by max(min_factor, 1 - factor_per_m_per_s * |dv|)."""
    min_factor: Probability
    """The best an evasion burn can do (the interceptor keeps some reach)."""


class DimeRule(Frozen):
    """One DIME instrument: how it moves the escalation model and the accused's next effects."""

    escalation_delta: float
    """Added to the escalation score in the move it is taken (negative lowers it)."""
    deterrence_factor: Probability
    """Multiplier on the p_success of effects whose actor is the target nation."""
    deterrence_moves: Annotated[int, Field(ge=0, le=50)]
    """Moves the deterrence lasts from the next move (0: none)."""


class EscalationModelRules(Frozen):
    """Escalation as a score both sides move (in ladder rungs; the level is the highest rung at
    or below it). Adversary effects ratchet it to at least their level."""

    decay_per_quiet_move: NonNegative
    """Subtracted in a move where no hostile effect landed and nobody escalated."""
    attribution_delta: float
    """Added per public attribution of an event to its actor."""
    false_accusation_levels: tuple[str, ...]
    """Likelihood words of a public attribution that count as a firm accusation."""
    false_accusation_delta: float
    """Added per firm public accusation of a nation that was not the event's actor."""
    false_accusation_credibility: Probability
    """Subtracted from the accuser's credibility (1.0 at the start) per firm false accusation."""


class ResponseRules(Frozen):
    safe_mode: SafeModeRules
    ground_segment: GroundSegmentRules
    evasion: EvasionRules
    dime: dict[DimeInstrument, DimeRule]
    escalation: EscalationModelRules
