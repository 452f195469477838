"""Seats, viewers and audience tags: who an event is addressed to and who may read it."""

from __future__ import annotations

from enum import StrEnum

from wargame.domain.common import Frozen, NationId

CONTROL = "control"
"""Audience tag of ground truth: the white cell, facilitators and evaluators see everything."""
EVERYONE = "all"
"""Audience tag of an event every seat may see, observers included."""


class Role(StrEnum):
    PLAYER = "player"
    WHITE_CELL = "white_cell"
    FACILITATOR = "facilitator"
    OBSERVER = "observer"
    EVALUATOR = "evaluator"
    """Sees what a facilitator sees (ground truth, the whole log) and sends only evaluation
    commands: observations and the AAR/IP's ratings, strengths, AFIs and improvement items."""


class Seat(Frozen):
    """Who is acting: a role, for players the nation whose team they sit in, and the named
    member of that team or cell who holds this seat's link ("" for an unnamed link)."""

    role: Role
    nation: NationId | None = None
    label: str = ""
    member: str = ""

    @property
    def viewer(self) -> str:
        """The key of the stream this seat reads."""
        if self.role is Role.PLAYER:
            return team(self.nation or "")
        return self.role.value

    @property
    def actor(self) -> str:
        return self.viewer

    @property
    def is_control(self) -> bool:
        """Whether the seat may act as control (control chat): white cell and facilitators."""
        return self.role in (Role.WHITE_CELL, Role.FACILITATOR)


def team(nation: str) -> str:
    return f"team:{nation}"


def nation_of(viewer: str) -> str | None:
    return viewer.removeprefix("team:") if viewer.startswith("team:") else None


GROUND_TRUTH_VIEWERS = (Role.WHITE_CELL.value, Role.FACILITATOR.value, Role.EVALUATOR.value)
"""Viewers that see ground truth and the whole log, each event with its seq (their stream is the
log): the white cell, facilitators and evaluators. Evaluators only read: `decide.authorize`
refuses them every command but the evaluation ones."""


def is_control_viewer(viewer: str) -> bool:
    """Whether `viewer` sees as control does (GROUND_TRUTH_VIEWERS)."""
    return viewer in GROUND_TRUTH_VIEWERS


def can_see(audience: tuple[str, ...], viewer: str) -> bool:
    """Deny by default: control sees all; others only what is addressed to them or to everyone."""
    if is_control_viewer(viewer):
        return True
    if EVERYONE in audience:
        return True
    return viewer.startswith("team:") and viewer in audience


def teams(*nations: str | None) -> tuple[str, ...]:
    """Audience of the given nations' teams plus control, without duplicates, in a stable order."""
    tags = [CONTROL]
    for nation in nations:
        if nation and team(nation) not in tags:
            tags.append(team(nation))
    return tuple(tags)


def control_only() -> tuple[str, ...]:
    return (CONTROL,)


def everyone() -> tuple[str, ...]:
    return (CONTROL, EVERYONE)
