"""Orders a national team can submit during a move; sealed until the move closes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import Frozen, Identifier, NationId, ShortText


class ManoeuvreOrder(Frozen):
    """Change an asset's orbit by a along-track delta-v (positive raises the orbit)."""

    kind: Literal["manoeuvre"]
    asset_id: Identifier
    dv_m_per_s: Annotated[float, Field(ge=-1000.0, le=1000.0)]
    purpose: Literal["collision_avoidance", "evasion", "reposition"] = "collision_avoidance"


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
    ManoeuvreOrder | AntiJamOrder | TaskingRequestOrder | PublicAttributionOrder,
    Field(discriminator="kind"),
]
