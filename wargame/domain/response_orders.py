"""Response orders a team can give (safe mode, ground segment, reconstitution, DIME), sealed like others."""

from __future__ import annotations

from typing import Literal

from wargame.domain.common import FreeText, Frozen, Identifier, NationId
from wargame.domain.response_rules import DimeInstrument, GroundAction


class SafeModeOrder(Frozen):
    """Put an own asset into safe mode (enter) or bring it back to service (leave)."""

    kind: Literal["safe_mode"]
    asset_id: Identifier
    enter: bool


class GroundSegmentOrder(Frozen):
    """Act on an own asset's ground segment: switch its ground station, harden it, or work
    around a jammed or seized link (responses.ground_segment in the ruleset)."""

    kind: Literal["ground_segment"]
    asset_id: Identifier
    action: GroundAction


class ReconstituteOrder(Frozen):
    """Activate one of the nation's spares (scenario `spares`): it enters play after its lead time."""

    kind: Literal["reconstitute"]
    spare_id: Identifier


class DimeOrder(Frozen):
    """A diplomatic, information, military or economic response aimed at a nation."""

    kind: Literal["dime"]
    instrument: DimeInstrument
    target_nation: NationId
    text: FreeText = ""
