"""The white cell's commands on scheduled injects in play: skip, hold, lift a hold, retime, edit."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from wargame.domain.common import FreeText, Frozen, Identifier, ShortText
from wargame.domain.override_events import Reason


class SkipInject(Frozen):
    """Never release this scheduled inject (refused once it is released)."""

    type: Literal["skip_inject"]
    inject_id: Identifier
    reason: Reason


class HoldInject(Frozen):
    """Do not release this inject when it falls due, until the hold is lifted."""

    type: Literal["hold_inject"]
    inject_id: Identifier
    reason: Reason


class LiftHold(Frozen):
    """Lift a hold: the inject is released at once if its time has come, else when due."""

    type: Literal["lift_hold"]
    inject_id: Identifier
    reason: Reason


class RetimeInject(Frozen):
    """Move an unreleased inject to a later move and a time in it (hours after its start)."""

    type: Literal["retime_inject"]
    inject_id: Identifier
    move: Annotated[int, Field(ge=1)]
    offset_hours: Annotated[float, Field(ge=0.0)] = 0.0
    reason: Reason


class EditInject(Frozen):
    """Change an unreleased inject's title, text or params (None: unchanged); params are checked
    exactly as an ad-hoc inject's are."""

    type: Literal["edit_inject"]
    inject_id: Identifier
    title: ShortText | None = None
    text: FreeText | None = None
    params: dict[str, Any] | None = None
    reason: Reason
