"""A nation's estimate of a conjunction's geometry at TCA: the numbers its CDM carries."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from wargame.domain.common import Frozen

Vector3 = tuple[float, float, float]
Sigma = Annotated[float, Field(ge=0.0)]

ENCOUNTER_FRAME = "TEME"
"""The frame of the estimated states: sgp4's true-equator, mean-equinox frame of date."""


class EncounterEstimate(Frozen):
    """Both objects' states at the warning's TCA as the warning nation estimates them, in TEME
    (km, km/s), and the 1-sigma of its track of each (km, per axis: an isotropic covariance).

    The relative position is perpendicular to the relative velocity (the TCA of the estimate)
    and as long as the warning's miss_km, so the Pc of the two states and sigmas (Foster 2D,
    the ruleset's hard-body radius) is the warning's pc. 14 numbers."""

    asset_pos_km: Vector3
    asset_vel_km_per_s: Vector3
    other_pos_km: Vector3
    other_vel_km_per_s: Vector3
    asset_sigma_km: Sigma
    other_sigma_km: Sigma
