"""Scenario and ruleset data of requests between teams: providers' fallback capacity and the rules."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from wargame.domain.common import Frozen, MissionArea

Units = Annotated[int, Field(ge=1, le=10_000)]


class FallbackOffer(Frozen):
    """What a provider nation (allied or commercial) can lend other teams as fallback service:
    units of capacity per mission area, and the largest single request it takes per area."""

    capacity: dict[MissionArea, Annotated[int, Field(ge=0, le=10_000)]]
    """Units of each mission area it can have lent out at once."""
    max_request: dict[MissionArea, Units] = Field(default_factory=dict)
    """The most units one request may ask for, per area (absent: up to the capacity)."""

    @model_validator(mode="after")
    def _limits_within_capacity(self) -> FallbackOffer:
        unknown = sorted(a.value for a in self.max_request if a not in self.capacity)
        if unknown:
            raise ValueError(f"max_request names areas without capacity: {unknown}")
        return self

    def request_limit(self, area: MissionArea) -> int:
        """The most units one request may ask for in `area` (0: the provider offers none)."""
        capacity = self.capacity.get(area, 0)
        return min(self.max_request.get(area, capacity), capacity)


class RequestRules(Frozen):
    """What lent fallback capacity is worth (ruleset `requests`): each accepted unit raises the
    requester's capability score in the mission area, up to a ceiling, for the moves granted."""

    capability_per_unit: Annotated[float, Field(gt=0.0, le=1.0)]
    """Capability score one lent unit adds in its mission area."""
    max_capability: Annotated[float, Field(gt=0.0, le=1.0)]
    """The score fallback capacity can raise an area to, no higher."""
    max_moves: Annotated[int, Field(ge=1, le=50)]
    """The longest a capacity request may run, in moves."""
