"""A played red cell's counterspace inventory and order, and the reach of weapons by orbit regime."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from wargame.domain.common import EmptyOmitted, Frozen, Identifier, InjectType, NoneOmitted, ShortText
from wargame.domain.orbit_model import EARTH_RADIUS_KM, KeplerianOrbit, OmmOrbit, Orbit, TleOrbit
from wargame.domain.ruleset_model import Regime, RegimeRules, Ruleset

WEAPON_TYPES = frozenset(
    {
        InjectType.DIRECT_ASCENT_ASAT,
        InjectType.CO_ORBITAL,
        InjectType.LASER_DAZZLE,
        InjectType.LASER_DAMAGE,
        InjectType.HIGH_POWER_MICROWAVE,
        InjectType.NUCLEAR_DETONATION,
        InjectType.UPLINK_JAMMING,
        InjectType.DOWNLINK_JAMMING,
        InjectType.SPOOFING,
        InjectType.CYBER_INTERCEPT,
        InjectType.CYBER_CORRUPTION,
        InjectType.CYBER_SEIZURE,
    }
)
"""Inject types a weapon may have: those a ruleset effect rule resolves against a target (not a
scripted approach or conjunction, not nature, not a message)."""

GM_KM3_S2 = 398600.4418
"""Earth's gravitational parameter (WGS-84), to read a TLE's mean motion as a semi-major axis."""


class WeaponReach(Frozen):
    """What a weapon can reach: orbit regimes (empty: those of its effect rule, or for a weapon on
    a parent satellite the parent's regime) and a range at the moment of the attack."""

    regimes: Annotated[tuple[Regime, ...], EmptyOmitted] = ()
    max_range_km: Annotated[float | None, Field(gt=0.0), NoneOmitted] = None
    """Largest distance from the weapon's site or parent satellite to the target at the attack
    (the move start): farther, the attack resolves as a miss with the reason."""


class Weapon(Frozen):
    """One counterspace capability of a nation: an effect type fired from a ground site or a
    parent satellite, `magazine` times in the exercise."""

    id: Identifier
    name: ShortText
    type: InjectType
    """The effect type: the ruleset's effects.<type> resolves each use like an inject."""
    site_lat_deg: Annotated[float | None, Field(ge=-90.0, le=90.0), NoneOmitted] = None
    site_lon_deg: Annotated[float | None, Field(ge=-180.0, le=360.0), NoneOmitted] = None
    parent: Annotated[Identifier | None, NoneOmitted] = None
    """The nation's space object the weapon is on (co-orbital interceptor, space-based HPM)."""
    reach: WeaponReach = WeaponReach()
    magazine: Annotated[int, Field(ge=1)]
    """Uses in the whole exercise."""
    cost: Annotated[ShortText, Field(exclude_if=lambda v: v == "")] = ""
    """Cost and escalation note shown to the red cell and the white cell."""

    @model_validator(mode="after")
    def _launcher(self) -> Weapon:
        problems = []
        if self.type not in WEAPON_TYPES:
            allowed = ", ".join(sorted(t.value for t in WEAPON_TYPES))
            problems.append(f"type: {self.type.value!r} is not a weapon effect (one of {allowed})")
        if (self.site_lat_deg is None) != (self.site_lon_deg is None):
            problems.append("site_lat_deg and site_lon_deg are given together")
        has_site = self.site_lat_deg is not None
        if has_site == (self.parent is not None):
            problems.append(
                "a weapon has either a ground site (site_lat_deg, site_lon_deg) or a parent satellite"
            )
        if problems:
            raise ValueError(f"weapon {self.id!r}: " + "; ".join(problems))
        return self

    def site(self) -> tuple[float, float] | None:
        if self.site_lat_deg is None or self.site_lon_deg is None:
            return None
        return self.site_lat_deg, self.site_lon_deg


class CounterspaceOrder(Frozen):
    """Fire one of the nation's weapons at a target; adjudicated like an inject of the weapon's type
    when the move closes, with the nation as actor."""

    kind: Literal["counterspace"]
    weapon_id: Identifier
    target: Identifier
    params: Annotated[dict[str, Any], EmptyOmitted] = Field(default_factory=dict)
    """Params of the weapon's effect type (domain/inject_params.py), e.g. duration_moves; the
    site or approacher come from the weapon."""


def _tle_elements(orbit: TleOrbit) -> tuple[float, float]:
    """(semi-major axis km, eccentricity) from a TLE's line 2 (Kepler's third law)."""
    ecc = float("0." + orbit.line2[26:33].strip())
    rev_per_day = float(orbit.line2[52:63])
    n_rad_s = rev_per_day * 2.0 * math.pi / 86400.0
    return (GM_KM3_S2 / (n_rad_s * n_rad_s)) ** (1.0 / 3.0), ecc


def regime_of(orbit: Orbit, rules: RegimeRules) -> Regime:
    """The regime of an orbit under the ruleset's regime rules (as adjudication/orbits.regime_index:
    HEO by eccentricity, then GEO by the mean altitude band, LEO below leo_max, else MEO)."""
    if isinstance(orbit, TleOrbit):
        a_km, ecc = _tle_elements(orbit)
    elif isinstance(orbit, KeplerianOrbit | OmmOrbit):
        a_km, ecc = orbit.semi_major_axis_km, orbit.eccentricity
    else:  # pragma: no cover - the Orbit union has no other kind
        raise TypeError(f"no regime for {type(orbit).__name__}")
    if ecc >= rules.heo_min_eccentricity:
        return "HEO"
    mean_alt_km = a_km - EARTH_RADIUS_KM
    if rules.geo_min_altitude_km <= mean_alt_km <= rules.geo_max_altitude_km:
        return "GEO"
    return "LEO" if mean_alt_km <= rules.leo_max_altitude_km else "MEO"


def reachable_regimes(
    ruleset: Ruleset, inject_type: InjectType, launcher: Orbit | None = None, weapon: Weapon | None = None
) -> tuple[Regime, ...]:
    """Regimes an effect can reach: the rule's `regimes`, narrowed by the weapon's reach, else by
    the regime of the orbit it is fired from (a co-orbital weapon reaches its own regime); empty:
    any."""
    rule = ruleset.effects.get(inject_type)
    allowed: tuple[Regime, ...] = () if rule is None else rule.regimes
    own: tuple[Regime, ...] = ()
    if weapon is not None and weapon.reach.regimes:
        own = weapon.reach.regimes
    elif launcher is not None:
        own = (regime_of(launcher, ruleset.regimes),)
    if not allowed:
        return own
    return tuple(r for r in allowed if r in own) if own else allowed


def reach_refusal(
    ruleset: Ruleset,
    inject_type: InjectType,
    target: str,
    target_orbit: Orbit | None,
    launcher: Orbit | None = None,
    weapon: Weapon | None = None,
) -> str | None:
    """Why an effect of `inject_type` cannot reach the space object `target` (its orbit's regime is
    not one `reachable_regimes` allows); None when it can, or the target is not a space object."""
    if target_orbit is None:
        return None
    regimes = reachable_regimes(ruleset, inject_type, launcher, weapon)
    if not regimes:
        return None
    regime = regime_of(target_orbit, ruleset.regimes)
    if regime in regimes:
        return None
    rule = ruleset.effects.get(inject_type)
    if weapon is not None:
        by = f"weapon {weapon.id!r}" + (
            "" if weapon.reach.regimes or launcher is None else " (on its parent satellite's orbit)"
        )
    elif launcher is not None and rule is not None and not rule.regimes:
        by = f"a {inject_type.value} from its approacher's orbit"
    else:
        by = f"effects.{inject_type.value} in ruleset {ruleset.id!r}"
    return f"{target!r} is in {regime}, out of reach: {by} reaches {' and '.join(regimes)} only"


def inventory_problems(
    inventories: Sequence[tuple[str, str, tuple[Weapon, ...]]], object_owner: dict[str, str | None]
) -> list[str]:
    """Problems of the scenario's inventories, given (nation, side, weapons) per nation and each
    space object's owner: weapons belong to red nations, ids are unique, a parent is the nation's."""
    problems: list[str] = []
    seen: set[str] = set()
    for nation, side, weapons in inventories:
        if weapons and side != "red":
            problems.append(f"nation {nation!r}: only a red nation has a counterspace inventory")
        for weapon in weapons:
            if weapon.id in seen:
                problems.append(f"duplicate weapon id {weapon.id!r}")
            seen.add(weapon.id)
            if weapon.parent is not None and object_owner.get(weapon.parent, "") != nation:
                problems.append(
                    f"weapon {weapon.id!r}: parent {weapon.parent!r} is not a space object of {nation}"
                )
    return problems


class RadiationBelt(Frozen):
    """A radiation belt a nuclear detonation pumped: it acts in the moves after `move`."""

    inject_id: Identifier
    move: int
