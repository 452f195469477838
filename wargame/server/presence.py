"""Presence from heartbeats: who is online in an exercise, and what each audience may see of it.

Presence is ephemeral (never in the event log). Each server process beats the seats it has
heard from recently; a seat is online while some process heard it within the timeout. The
projection lives here, in the server layer, because it concerns connections, not the game:
control (white cell, facilitators) sees every seat; a team sees its own team and whether
control is online; an observer sees whether control is online.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from wargame.domain.audience import is_control_viewer

CONTROL_VIEWERS = ("white_cell", "facilitator")


def presence_view(viewer: str, online: Iterable[str]) -> list[str]:
    """The online seats `viewer` is entitled to know about (deny by default), sorted."""
    seats = set(online)
    if is_control_viewer(viewer):
        return sorted(seats)
    visible = {v for v in seats if v in CONTROL_VIEWERS}
    if viewer.startswith("team:") and viewer in seats:
        visible.add(viewer)
    return sorted(visible)


class PresenceBoard:
    """Heartbeats per server process; `online()` is every viewer heard within the timeout."""

    def __init__(self, timeout_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.timeout_s = timeout_s
        self.clock = clock
        self._beats: dict[str, tuple[float, frozenset[str]]] = {}

    def beat(self, server: str, viewers: Iterable[str]) -> None:
        self._beats[server] = (self.clock(), frozenset(viewers))

    def viewers_of(self, server: str) -> frozenset[str]:
        return self._beats.get(server, (0.0, frozenset()))[1]

    def online(self) -> frozenset[str]:
        now = self.clock()
        alive = [v for at, v in self._beats.values() if now - at <= self.timeout_s]
        stale = [s for s, (at, _) in self._beats.items() if now - at > self.timeout_s]
        for server in stale:
            del self._beats[server]
        return frozenset().union(*alive) if alive else frozenset()
