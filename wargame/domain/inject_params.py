"""Typed parameters of each inject type: what the adjudication core reads from `Inject.params`.

Input (scenario files, MSEL spreadsheets, ad-hoc commands) is checked with `check_params`:
unknown keys are refused, because the core would silently ignore them. Recorded injects are read
with `recorded_params`, which drops unknown keys (they never had an effect, and logs written
before this check must play on as they did) and returns `InvalidParams` with the reason for a
value the core cannot use, so the move still adjudicates and the inject resolves as invalid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from wargame.domain.common import Identifier, InjectType
from wargame.domain.ruleset_model import EffectRule, StormSeverity


def _not_a_flag(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("Input should be a number, not true or false")
    return value


Number = Annotated[float, BeforeValidator(_not_a_flag)]
"""A finite number; a numeric string is read as its number, yes/no/true/false are refused."""


class InjectParams(BaseModel):
    """Parameters of one inject type; frozen, finite numbers, no unknown keys."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False, use_attribute_docstrings=True
    )

    OBJECT_FIELDS: ClassVar[tuple[str, ...]] = ()
    """Fields that name a space object of the scenario (checked against it where input enters)."""

    def named_objects(self) -> dict[str, str]:
        """Field -> id of the space objects these params name (the threatening object)."""
        named = {name: getattr(self, name) for name in self.OBJECT_FIELDS}
        return {name: value for name, value in named.items() if value is not None}


class NoParams(InjectParams):
    """The type takes no parameters: its ruleset effect rule decides the outcome (`params: {}`)."""


class EffectParams(InjectParams):
    """Parameters of a type the ruleset's effect rule resolves: what an inject may set for itself."""

    duration_moves: Annotated[int, Field(ge=0)] | None = None
    """Moves this inject's status lasts instead of its ruleset rule's duration_moves (it ends when
    that move is adjudicated); refused where the rule is irreversible."""


class SpaceWeatherParams(EffectParams):
    """A geomagnetic storm: the effect rule's outcome, scaled by the ruleset's level for its severity."""

    severity: StormSeverity | None = None
    """NOAA G scale (G1 minor ... G5 extreme); absent: the ruleset's space_weather.default_severity."""


class CloseApproachParams(InjectParams):
    """A scripted rendezvous: the approacher moves onto the target's orbit, `range_km` behind it."""

    approacher: Identifier
    """The actor's space object that moves in (not the target)."""
    range_km: Annotated[Number, Field(gt=0.0)]
    """Distance at which the approacher ends, trailing the target on its orbit; at or below the
    ruleset's close_approach.warning_range_km, nations tracking both objects are warned."""

    OBJECT_FIELDS = ("approacher",)


class ConjunctionParams(InjectParams):
    """A scripted conjunction between the target and a secondary object."""

    secondary: Identifier
    """The other space object of the conjunction (debris, a rocket body, a satellite)."""
    miss_km: Annotated[Number, Field(ge=0.0)]
    """Predicted miss distance; below the ruleset's conjunction.hard_body_radius_m, and not
    avoided, the two objects collide."""
    tca_offset_hours: Annotated[Number, Field(ge=0.0)] = 0.0
    """Time of closest approach, in hours after the inject's own time."""

    OBJECT_FIELDS = ("secondary",)


class OrbitalWeaponParams(EffectParams):
    """An attack from orbit (co-orbital ASAT, space-based high-power microwave)."""

    approacher: Identifier | None = None
    """The actor's space object that attacks: custody of it is warning and attribution evidence
    and decides who observes the effect. Without it, every object of the actor counts."""

    OBJECT_FIELDS = ("approacher",)


class RfEmitterParams(EffectParams):
    """A ground RF emitter (jammer, spoofer): its site is RF geolocation evidence."""

    site_lat_deg: Annotated[Number | None, Field(ge=-90.0, le=90.0)] = None
    """Latitude of the emitter's ground site (given with `site_lon_deg`): a nation's RF
    geolocation sensor within the ruleset's attribution.rf_geolocation_range_km of it holds
    attribution evidence."""
    site_lon_deg: Annotated[Number | None, Field(ge=-180.0, le=360.0)] = None
    """East longitude of the emitter's ground site (given with `site_lat_deg`)."""

    @model_validator(mode="after")
    def _site_is_a_point(self) -> RfEmitterParams:
        if (self.site_lat_deg is None) != (self.site_lon_deg is None):
            given = "site_lat_deg" if self.site_lon_deg is None else "site_lon_deg"
            raise ValueError(f"site_lat_deg and site_lon_deg are given together (got only {given})")
        return self

    def site(self) -> tuple[float, float] | None:
        """(lat_deg, lon_deg) of the emitter's site, if given."""
        if self.site_lat_deg is None or self.site_lon_deg is None:
            return None
        return self.site_lat_deg, self.site_lon_deg


class NuclearParams(EffectParams):
    """A nuclear detonation: its burst point, else the target's position at the inject's time."""

    burst_lat_deg: Annotated[Number | None, Field(ge=-90.0, le=90.0)] = None
    """Latitude of the burst (given with `burst_lon_deg` and `burst_altitude_km`); without them
    the burst is at the target's position at the inject's time."""
    burst_lon_deg: Annotated[Number | None, Field(ge=-180.0, le=360.0)] = None
    """East longitude of the burst."""
    burst_altitude_km: Annotated[Number | None, Field(gt=0.0, le=50000.0)] = None
    """Altitude of the burst: satellites within the ruleset's nuclear.area_radius_km of it are exposed."""

    @model_validator(mode="after")
    def _burst_is_a_point(self) -> NuclearParams:
        given = [self.burst_lat_deg, self.burst_lon_deg, self.burst_altitude_km]
        if any(v is None for v in given) and any(v is not None for v in given):
            raise ValueError("burst_lat_deg, burst_lon_deg and burst_altitude_km are given together")
        return self

    def burst(self) -> tuple[float, float, float] | None:
        """(lat_deg, lon_deg, altitude_km) of the burst, if given."""
        if self.burst_lat_deg is None or self.burst_lon_deg is None or self.burst_altitude_km is None:
            return None
        return self.burst_lat_deg, self.burst_lon_deg, self.burst_altitude_km


PARAMS_MODELS: dict[InjectType, type[InjectParams]] = {
    InjectType.DIRECT_ASCENT_ASAT: EffectParams,
    InjectType.CO_ORBITAL: OrbitalWeaponParams,
    InjectType.CLOSE_APPROACH: CloseApproachParams,
    InjectType.LASER_DAZZLE: EffectParams,
    InjectType.LASER_DAMAGE: EffectParams,
    InjectType.HIGH_POWER_MICROWAVE: OrbitalWeaponParams,
    InjectType.NUCLEAR_DETONATION: NuclearParams,
    InjectType.UPLINK_JAMMING: RfEmitterParams,
    InjectType.DOWNLINK_JAMMING: RfEmitterParams,
    InjectType.SPOOFING: RfEmitterParams,
    InjectType.CYBER_INTERCEPT: EffectParams,
    InjectType.CYBER_CORRUPTION: EffectParams,
    InjectType.CYBER_SEIZURE: EffectParams,
    InjectType.SPACE_WEATHER: SpaceWeatherParams,
    InjectType.CONJUNCTION: ConjunctionParams,
    InjectType.MESSAGE: NoParams,
}
"""The params model of every inject type."""


RULE_FIELDS = frozenset(EffectRule.model_fields) - {"duration_moves"}
"""Fields of a ruleset effect rule an inject cannot set for itself (duration_moves it can)."""


@dataclass(frozen=True)
class InvalidParams:
    """Params the core cannot use, and why: each problem reads `params.<name>: <what is wrong>`."""

    problems: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.problems)


def _got(value: Any) -> str:
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f" (got {text.replace(';', ',')})"


def _describe(inject_type: InjectType, error: ErrorDetails) -> str:
    loc = ".".join(str(part) for part in error["loc"])
    where = f"params.{loc}" if loc else "params"
    kind = error["type"]
    if kind == "extra_forbidden":
        takes = ", ".join(PARAMS_MODELS[inject_type].model_fields) or "none"
        if loc in RULE_FIELDS:
            return (
                f"{where}: set by the ruleset's effects.{inject_type.value} for every such inject, "
                f"not per inject (an inject takes {takes})"
            )
        return f"{where}: not a parameter of {inject_type.value} injects (they take {takes})"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in ("missing", "value_error") or isinstance(error.get("input"), dict):
        return f"{where}: {message}"
    return f"{where}: {message}{_got(error.get('input'))}"


def check_params(inject_type: InjectType, params: Mapping[str, Any]) -> InjectParams | InvalidParams:
    """The typed params of input (a file, a spreadsheet row, a command); unknown keys refused."""
    try:
        return PARAMS_MODELS[inject_type].model_validate(dict(params))
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        return InvalidParams(tuple(_describe(inject_type, e) for e in errors))


def recorded_params(inject_type: InjectType, params: Mapping[str, Any]) -> InjectParams | InvalidParams:
    """The params the core acts on for a recorded inject: keys the type does not take are
    dropped (they never had an effect); a value it cannot use makes the params invalid."""
    fields = PARAMS_MODELS[inject_type].model_fields
    return check_params(inject_type, {k: v for k, v in params.items() if k in fields})


def named_objects(inject_type: InjectType, params: Mapping[str, Any]) -> tuple[str, ...]:
    """Space objects a recorded inject's params name; none when its params are invalid."""
    typed = recorded_params(inject_type, params)
    return () if isinstance(typed, InvalidParams) else tuple(typed.named_objects().values())
