"""Trigger conditions of MSEL injects, written as data: a small, safe language with no code."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from wargame.domain.common import AssetStatus, Frozen, Identifier, MissionArea, NationId

OrderKind = Literal["manoeuvre", "anti_jam", "tasking_request", "public_attribution"]


class AssetStatusCondition(Frozen):
    asset: Identifier
    status: AssetStatus
    or_worse: bool = True
    """Also hold when the asset is in a worse status (nominal < degraded < disabled < destroyed)."""


class OrderCondition(Frozen):
    nation: NationId
    kind: OrderKind
    asset: Identifier | None = None
    """Only orders about this asset (manoeuvre, anti_jam) or object (tasking_request)."""


class CapabilityCondition(Frozen):
    nation: NationId
    mission: MissionArea
    below: Annotated[float, Field(ge=0.0, le=1.0)]
    """Holds when the share of service delivered in the last adjudicated move is below this."""


CONDITION_KINDS = (
    "after_inject",
    "inject_resolved",
    "asset_status",
    "escalation_at_least",
    "order_kind_by",
    "capability_below",
    "all_of",
    "any_of",
    "none_of",
)
"""Keys of a condition; exactly one of them is set in each condition."""


class Condition(Frozen):
    """A test on earlier events, written as data: exactly one key per condition.

    `{after_inject: ID, delay_moves: 1}`, `{inject_resolved: ID}`,
    `{asset_status: {asset: X, status: degraded}}`, `{escalation_at_least: 3}`,
    `{order_kind_by: {nation: X, kind: manoeuvre}}`,
    `{capability_below: {nation: X, mission: SATCOM, below: 0.5}}`,
    and `all_of`, `any_of`, `none_of` lists of conditions.
    """

    after_inject: Identifier | None = None
    """Holds once the inject was released at least `delay_moves` moves ago."""
    inject_resolved: Identifier | None = None
    """Holds once the adjudicator resolved the inject (at least `delay_moves` moves ago)."""
    delay_moves: Annotated[int, Field(ge=0)] = 0
    asset_status: AssetStatusCondition | None = None
    escalation_at_least: Annotated[int, Field(ge=0)] | None = None
    order_kind_by: OrderCondition | None = None
    """Holds when the nation submitted such an order in the move that closed last, or in the open
    move so far (conditions are also evaluated as each command is decided)."""
    capability_below: CapabilityCondition | None = None
    all_of: tuple[Condition, ...] | None = None
    any_of: tuple[Condition, ...] | None = None
    none_of: tuple[Condition, ...] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        present = [key for key in CONDITION_KINDS if getattr(self, key) is not None]
        if len(present) != 1:
            found = ", ".join(present) if present else "none"
            raise ValueError(
                f"a condition needs exactly one of {', '.join(CONDITION_KINDS)} (found {found})"
            )
        if self.delay_moves and present[0] not in ("after_inject", "inject_resolved"):
            raise ValueError("delay_moves only goes with after_inject or inject_resolved")
        for key in ("all_of", "any_of", "none_of"):
            if getattr(self, key) == ():
                raise ValueError(f"{key} needs at least one condition")
        return self

    def children(self) -> tuple[Condition, ...]:
        return self.all_of or self.any_of or self.none_of or ()

    def walk(self) -> list[Condition]:
        """This condition and every nested one, depth first."""
        found = [self]
        for child in self.children():
            found.extend(child.walk())
        return found
