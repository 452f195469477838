"""Regional effects of ground emitters: a downlink jammer denies a satellite's service only near its site."""

from __future__ import annotations

import math

from wargame.adjudication.orbits import satrec_from_orbit
from wargame.domain.inject_params import RfEmitterParams, recorded_params
from wargame.domain.ruleset_model import EffectRule
from wargame.domain.scenario_model import Inject, Orbit
from wargame.domain.state import ExerciseState

EARTH_RADIUS_KM = 6378.135
"""WGS-72, as sgp4 uses."""


def footprint_share(radius_km: float, orbit: Orbit) -> float:
    """Share of a satellite's footprint (the Earth cap it sees above the horizon from its mean
    altitude) inside a circle of `radius_km` on the ground: cap areas, 1 at most."""
    semi_major_axis_km = satrec_from_orbit(orbit).a * EARTH_RADIUS_KM
    ratio = min(1.0, EARTH_RADIUS_KM / max(semi_major_axis_km, EARTH_RADIUS_KM))
    footprint = 1.0 - ratio  # 1 - cos(horizon half-angle)
    denied = 1.0 - math.cos(min(radius_km / EARTH_RADIUS_KM, math.pi))
    return 1.0 if footprint <= 0.0 else min(1.0, denied / footprint)


def emitter_region(rule: EffectRule, inject: Inject) -> tuple[float, float, float] | None:
    """(lat_deg, lon_deg, radius_km) an effect is confined to: a rule with region_radius_km
    and an inject that names its emitter's site; None: the effect is global."""
    if rule.region_radius_km is None:
        return None
    params = recorded_params(inject.type, inject.params)
    site = params.site() if isinstance(params, RfEmitterParams) else None
    return None if site is None else (site[0], site[1], rule.region_radius_km)


def region_text(region: tuple[float, float, float]) -> str:
    """What the owner's users report: 'downlink denied within 1000 km of 38.0N 121.5E'."""
    lat, lon, radius = region
    lon = (lon + 180.0) % 360.0 - 180.0
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    return f"service denied within {radius:.0f} km of {abs(lat):.1f}{ns} {abs(lon):.1f}{ew}"


def regional_shares(state: ExerciseState) -> dict[str, float]:
    """Share of its footprint each space object loses to the regional effect that caused its
    current status (its cause names an inject whose effect is regional), by object id."""
    shares: dict[str, float] = {}
    for asset_id, asset in state.assets.items():
        inject_id = (asset.cause or "").removeprefix("inject:")
        entry = state.injects.get(inject_id) if asset.cause and asset.cause.startswith("inject:") else None
        rule = None if entry is None else state.ruleset.effects.get(entry.inject.type)
        if entry is None or rule is None:
            continue
        region = emitter_region(rule, entry.inject)
        if region is not None:
            shares[asset_id] = footprint_share(region[2], asset.orbit)
    return shares
