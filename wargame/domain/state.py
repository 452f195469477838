"""The exercise state: the fold of the event log, never mutated in place."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from wargame.domain.common import (
    AssetStatus,
    Frozen,
    Identifier,
    NationId,
    SharingLevel,
    UtcDatetime,
)
from wargame.domain.orders import Order
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Inject, Orbit, Scenario

Phase = Literal["setup", "running", "paused", "ended"]


class Track(Frozen):
    """What one nation believes about one object at the end of the last adjudicated move."""

    object_id: Identifier
    sigma_km: float
    source: Literal["owner", "own", "shared", "fused"]
    contributors: tuple[NationId, ...] = ()
    """Nations whose data went into this track (the holder included when it observed)."""
    observed_at: UtcDatetime | None = None
    lat_deg: float
    lon_deg: float
    alt_km: float
    regime: str


class AssetState(Frozen):
    """Ground truth of one space object."""

    id: Identifier
    owner: NationId | None
    status: AssetStatus = AssetStatus.NOMINAL
    status_until_move: int | None = None
    cause: str | None = None
    orbit: Orbit
    propellant_dv_m_per_s: float = 0.0
    anti_jam: bool = False


class SubmittedOrder(Frozen):
    order_id: Identifier
    nation: NationId
    move: int
    order: Order
    reason: str = ""


class TaskingRequest(Frozen):
    request_id: Identifier
    requester: NationId
    partner: NationId
    sensor_id: Identifier
    object_id: Identifier
    move: int
    status: Literal["pending", "accepted", "declined"] = "pending"
    answer_reason: str = ""


class InjectState(Frozen):
    inject: Inject
    adhoc: bool = False
    released_move: int | None = None
    resolved: bool = False


class ChatMessage(Frozen):
    message_id: Identifier
    channel: str
    sender: str
    text: str
    at: UtcDatetime
    audience: tuple[str, ...]


class Warning(Frozen):
    """A conjunction or close-approach warning a nation received from its own picture."""

    kind: Literal["conjunction", "close_approach"]
    nation: NationId
    asset_id: Identifier
    other_id: Identifier
    move: int
    miss_km: float
    pc: float | None = None


class NationState(Frozen):
    id: NationId
    sharing: dict[NationId, SharingLevel] = Field(default_factory=dict)
    orders: dict[Identifier, SubmittedOrder] = Field(default_factory=dict)
    """Orders for the current move; cleared when the move is adjudicated."""
    picture: dict[Identifier, Track] = Field(default_factory=dict)
    previous_picture: dict[Identifier, Track] = Field(default_factory=dict)
    """The picture one move earlier (what 'delayed' sharing releases)."""
    warnings: tuple[Warning, ...] = ()


class ExerciseState(Frozen):
    exercise_id: str
    title: str
    scenario: Scenario
    ruleset: Ruleset
    seed: int
    phase: Phase = "setup"
    move: int = 0
    """0 before the start; n while move n is being played."""
    scenario_time: UtcDatetime
    last_seq: int = 0
    last_hash: str = ""
    assets: dict[Identifier, AssetState] = Field(default_factory=dict)
    nations: dict[NationId, NationState] = Field(default_factory=dict)
    injects: dict[Identifier, InjectState] = Field(default_factory=dict)
    taskings: dict[Identifier, TaskingRequest] = Field(default_factory=dict)
    chat: tuple[ChatMessage, ...] = ()
    attributions: tuple[dict[str, str], ...] = ()
    escalation_level: int = 0
    metrics_by_move: dict[int, dict[str, object]] = Field(default_factory=dict)

    def move_start(self, move: int) -> datetime:
        return self.scenario.start_time + self.scenario.move_length * max(move - 1, 0)

    def played_nations(self) -> list[str]:
        return self.scenario.played_nations()
