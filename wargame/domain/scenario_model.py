"""Pydantic schema of a scenario: nations, sensors, space objects, objectives and the MSEL."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from wargame.domain.common import (
    FreeText,
    Frozen,
    Identifier,
    InjectType,
    MissionArea,
    NationId,
    Releasability,
    ShortText,
    UtcDatetime,
)

EARTH_RADIUS_KM = 6378.137
"""WGS-72/84 equatorial radius; a physical constant, not a game number."""


class Nation(Frozen):
    id: NationId
    name: ShortText
    side: Literal["blue", "red", "commercial"] = "blue"
    played: bool = True
    """False for a nation the white cell plays (for example the adversary)."""
    groups: tuple[Identifier, ...] = ()
    """Coalitions the nation belongs to, such as FVEY or CSPO (used by releasability)."""
    center: ShortText | None = None
    """Regional space operations centre the nation belongs to."""


class TleOrbit(Frozen):
    kind: Literal["tle"]
    line1: Annotated[str, Field(min_length=69, max_length=69)]
    line2: Annotated[str, Field(min_length=69, max_length=69)]


class KeplerianOrbit(Frozen):
    kind: Literal["keplerian"]
    epoch: UtcDatetime
    semi_major_axis_km: Annotated[float, Field(gt=EARTH_RADIUS_KM)]
    eccentricity: Annotated[float, Field(ge=0.0, lt=1.0)]
    inclination_deg: Annotated[float, Field(ge=0.0, le=180.0)]
    raan_deg: float
    arg_perigee_deg: float
    mean_anomaly_deg: float
    bstar_per_earth_radius: float = 0.0

    @model_validator(mode="after")
    def _perigee_above_surface(self) -> KeplerianOrbit:
        perigee_km = self.semi_major_axis_km * (1.0 - self.eccentricity)
        if perigee_km <= EARTH_RADIUS_KM + 80.0:
            raise ValueError(
                f"perigee radius {perigee_km:.1f} km is inside the atmosphere "
                f"(must exceed {EARTH_RADIUS_KM + 80.0:.1f} km)"
            )
        return self


Orbit = Annotated[TleOrbit | KeplerianOrbit, Field(discriminator="kind")]


class SpaceObject(Frozen):
    id: Identifier
    name: ShortText
    owner: NationId | None = None
    """Owning nation; None for debris and objects of unknown origin."""
    kind: Literal["payload", "rocket_body", "debris"] = "payload"
    mission: MissionArea | None = None
    orbit: Orbit
    protections: tuple[Identifier, ...] = ()
    """Protection keys that ruleset effect tables know, such as anti_jam or hardened."""
    propellant_dv_m_per_s: Annotated[float, Field(ge=0.0)] = 0.0
    hard_body_radius_m: Annotated[float, Field(gt=0.0)] = 2.0


class Sensor(Frozen):
    id: Identifier
    name: ShortText
    owner: NationId
    model: Identifier
    """Key of the sensor model in the ruleset (its type and limits)."""
    lat_deg: Annotated[float, Field(ge=-90.0, le=90.0)] = 0.0
    lon_deg: Annotated[float, Field(ge=-180.0, le=360.0)] = 0.0
    alt_km: Annotated[float, Field(ge=-0.5, le=10.0)] = 0.0
    orbit: Orbit | None = None
    """Set for a space-based sensor, which has no ground site."""


class Objective(Frozen):
    id: Identifier
    text: FreeText
    capability: ShortText | None = None
    nations: tuple[NationId, ...] = ()


class Inject(Frozen):
    """One MSEL line: a scheduled, contingency or ad-hoc event the white cell releases."""

    id: Identifier
    serial: Annotated[int, Field(ge=0)] = 0
    title: ShortText
    move: Annotated[int, Field(ge=1)] = 1
    offset_hours: Annotated[float, Field(ge=0.0)] = 0.0
    """Scenario time of the inject, in hours after the start of its move."""
    trigger: Literal["time", "manual"] = "manual"
    contingency: bool = False
    type: InjectType
    params: dict[str, Any] = Field(default_factory=dict)
    target: Identifier | None = None
    """The space object the inject acts on, if any."""
    actor: NationId | None = None
    """The nation that carries out the action (for attribution)."""
    sender: ShortText = "White Cell"
    recipients: tuple[NationId, ...] = ()
    """Teams that receive the player-facing text; empty means every played nation."""
    channel: ShortText = "message"
    text: FreeText = ""
    controller_notes: FreeText = ""
    releasability: Releasability = Releasability.NOFORN
    expected_actions: tuple[FreeText, ...] = ()
    objectives: tuple[Identifier, ...] = ()


class Scenario(Frozen):
    id: Identifier
    title: ShortText
    description: FreeText = ""
    ruleset: Identifier = "standard"
    start_time: UtcDatetime
    move_length_hours: Annotated[float, Field(gt=0.0, le=24.0 * 14)]
    moves: Annotated[int, Field(ge=1, le=200)]
    seed: int = 1
    nations: tuple[Nation, ...]
    sensors: tuple[Sensor, ...] = ()
    objects: tuple[SpaceObject, ...] = ()
    objectives: tuple[Objective, ...] = ()
    msel: tuple[Inject, ...] = ()

    @property
    def move_length(self) -> timedelta:
        return timedelta(hours=self.move_length_hours)

    def played_nations(self) -> list[str]:
        return [n.id for n in self.nations if n.played]

    def nation(self, nation_id: str) -> Nation | None:
        return next((n for n in self.nations if n.id == nation_id), None)

    def object(self, object_id: str) -> SpaceObject | None:
        return next((o for o in self.objects if o.id == object_id), None)

    def inject(self, inject_id: str) -> Inject | None:
        return next((i for i in self.msel if i.id == inject_id), None)

    @model_validator(mode="after")
    def _cross_references(self) -> Scenario:
        problems: list[str] = []
        nation_ids = {n.id for n in self.nations}
        object_ids = {o.id for o in self.objects}
        objective_ids = {o.id for o in self.objectives}
        for label, ids in (
            ("nation", [n.id for n in self.nations]),
            ("sensor", [s.id for s in self.sensors]),
            ("object", [o.id for o in self.objects]),
            ("objective", [o.id for o in self.objectives]),
            ("inject", [i.id for i in self.msel]),
        ):
            seen: set[str] = set()
            for item_id in ids:
                if item_id in seen:
                    problems.append(f"duplicate {label} id {item_id!r}")
                seen.add(item_id)
        for sensor in self.sensors:
            if sensor.owner not in nation_ids:
                problems.append(f"sensor {sensor.id!r}: unknown owner nation {sensor.owner!r}")
        for obj in self.objects:
            if obj.owner is not None and obj.owner not in nation_ids:
                problems.append(f"object {obj.id!r}: unknown owner nation {obj.owner!r}")
        for inject in self.msel:
            if inject.move > self.moves:
                problems.append(
                    f"inject {inject.id!r}: move {inject.move} is after the last move {self.moves}"
                )
            if inject.offset_hours >= self.move_length_hours:
                problems.append(
                    f"inject {inject.id!r}: offset_hours {inject.offset_hours} is not inside "
                    f"a move of {self.move_length_hours} h"
                )
            if inject.target is not None and inject.target not in object_ids:
                problems.append(f"inject {inject.id!r}: unknown target object {inject.target!r}")
            if inject.actor is not None and inject.actor not in nation_ids:
                problems.append(f"inject {inject.id!r}: unknown actor nation {inject.actor!r}")
            for recipient in inject.recipients:
                if recipient not in nation_ids:
                    problems.append(f"inject {inject.id!r}: unknown recipient {recipient!r}")
            for objective in inject.objectives:
                if objective not in objective_ids:
                    problems.append(f"inject {inject.id!r}: unknown objective {objective!r}")
        if not any(n.played for n in self.nations):
            problems.append("no nation is played by a team")
        if problems:
            raise ValueError("; ".join(problems))
        return self
