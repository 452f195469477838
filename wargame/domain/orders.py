"""Orders a national team can submit during a move; sealed until the move closes."""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import Frozen, Identifier, NationId, ShortText, ZeroOmitted
from wargame.domain.counterspace import CounterspaceOrder
from wargame.domain.response_orders import DimeOrder, GroundSegmentOrder, ReconstituteOrder, SafeModeOrder

DeltaV = Annotated[float, Field(ge=-1000.0, le=1000.0)]
"""One delta-v component, m/s."""
AddedDeltaV = Annotated[ZeroOmitted, Field(ge=-1000.0, le=1000.0)]
"""A delta-v component added after the first release (left out of dumps when 0), m/s."""


class ManoeuvreOrder(Frozen):
    """Change an asset's orbit by an impulsive delta-v, given in the asset's RTN frame at the burn.

    RTN axes, from the position r and velocity v at the burn: radial along r; cross-track along
    the angular momentum h = r x v; along-track along h x r (in the orbit plane, ahead of the
    satellite; the velocity direction for a circular orbit). `dv_m_per_s` is the along-track
    component (positive raises the orbit). Propellant and the ruleset's
    `orders.max_manoeuvre_dv_m_per_s` count the norm of the three components.
    """

    kind: Literal["manoeuvre"]
    asset_id: Identifier
    dv_m_per_s: DeltaV
    """Along-track component, m/s."""
    dv_radial_m_per_s: AddedDeltaV = 0.0
    """Radial component (away from the Earth), m/s."""
    dv_cross_track_m_per_s: AddedDeltaV = 0.0
    """Cross-track component (along the orbit normal r x v), m/s."""
    purpose: Literal["collision_avoidance", "evasion", "reposition"] = "collision_avoidance"

    @property
    def dv_rtn_m_per_s(self) -> tuple[float, float, float]:
        """(radial, along-track, cross-track), m/s."""
        return (self.dv_radial_m_per_s, self.dv_m_per_s, self.dv_cross_track_m_per_s)

    @property
    def dv_norm_m_per_s(self) -> float:
        """Length of the delta-v vector, m/s: what the burn costs in propellant."""
        return math.hypot(*self.dv_rtn_m_per_s)


class AntiJamOrder(Frozen):
    """Switch an asset's anti-jam mode (frequency hopping, nulling) on or off."""

    kind: Literal["anti_jam"]
    asset_id: Identifier
    enabled: bool


class TaskingRequestOrder(Frozen):
    """Ask a partner to task one of its sensors on an object for us."""

    kind: Literal["tasking_request"]
    partner: NationId
    sensor_id: Identifier
    object_id: Identifier


class PublicAttributionOrder(Frozen):
    """Publicly attribute an event to a nation at a stated likelihood."""

    kind: Literal["public_attribution"]
    inject_id: Identifier
    accused: NationId
    likelihood: ShortText


Order = Annotated[
    ManoeuvreOrder | AntiJamOrder | TaskingRequestOrder | PublicAttributionOrder
    | SafeModeOrder | GroundSegmentOrder | ReconstituteOrder | DimeOrder | CounterspaceOrder,
    Field(discriminator="kind"),
]
