"""The white cell's command on the open move's deadline: set, extend or clear it, with a reason."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import Frozen
from wargame.domain.tempo_model import OnDeadline


class SetMoveDeadline(Frozen):
    """`set`: the deadline falls `minutes` of running time from now; `extend`: it moves `minutes`
    later; `clear`: the move has no deadline (scenario time then stops where it is). Logged with
    `reason`."""

    type: Literal["set_move_deadline"]
    action: Literal["set", "extend", "clear"]
    minutes: Annotated[float, Field(gt=0.0, le=24.0 * 60)] | None = None
    on_deadline: OnDeadline | None = None
    """What the deadline does when it passes (default: the scenario's tempo, or the current one)."""
    reason: Annotated[str, Field(min_length=3, max_length=200, pattern=r"\S")]
