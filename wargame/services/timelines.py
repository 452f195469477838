"""Whose AAR a seat may read, and the timeline a seat saw, grouped for people and cached per log head."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from wargame.aar.report import build_report, timeline_filter
from wargame.aar.timeline import group_timeline
from wargame.domain.audience import Role, is_control_viewer, team
from wargame.domain.state import ExerciseState
from wargame.services.commands import ExerciseService
from wargame.services.refusals import Refused

JsonDict = dict[str, Any]

TIMELINES_KEPT = 4
"""Timelines a process keeps: the few seats a facilitator flips between while filtering one."""


class ReportRefused(Refused):
    """Why a seat may not read the report (or the timeline) of the viewer it asked for."""


def report_viewers(state: ExerciseState) -> list[str]:
    """Every viewer of the exercise a report can be built for: control, evaluators, the observer,
    each team."""
    seats = [Role.FACILITATOR.value, Role.WHITE_CELL.value, Role.EVALUATOR.value, Role.OBSERVER.value]
    return [*seats, *(team(n) for n in state.played_nations())]


def report_viewer(state: ExerciseState, seat_viewer: str, requested: str | None) -> str:
    """The viewer whose report `seat_viewer` gets when it asks for `requested` (None: its own).
    Control may read any seat's projected report; any other seat its own only."""
    wanted = requested or seat_viewer
    viewers = report_viewers(state)
    if wanted not in viewers:
        raise ReportRefused(400, "bad_request", f"viewer must be one of {', '.join(viewers)}; not {wanted!r}")
    if wanted != seat_viewer and not is_control_viewer(seat_viewer):
        raise ReportRefused(403, "forbidden", f"a seat reads its own report only, not {wanted}'s")
    return wanted


class Timelines:
    """The AAR timeline of each (exercise, viewer): build_report's projected entries, rebuilt only
    when the log has grown, so switching filters does not read the log again."""

    def __init__(self, service: ExerciseService) -> None:
        self.service = service
        self._cache: OrderedDict[tuple[str, str, int], list[JsonDict]] = OrderedDict()
        self._lock = threading.Lock()

    def entries(self, exercise_id: str, viewer: str) -> list[JsonDict]:
        """report["timeline"] of build_report(log, viewer): every event as `viewer` was sent it."""
        key = (exercise_id, viewer, self.service.state(exercise_id).last_seq)
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
                return found
        events = self.service.store.iter_after(exercise_id, 0)
        built: list[JsonDict] = build_report(events, viewer, catalogs=self.service.catalog)["timeline"]
        with self._lock:
            self._cache[key] = built
            while len(self._cache) > TIMELINES_KEPT:
                self._cache.popitem(last=False)
        return built

    def grouped(
        self,
        exercise_id: str,
        viewer: str,
        *,
        event_type: str | None = None,
        actor: str | None = None,
        move: int | None = None,
    ) -> JsonDict:
        """`viewer`'s timeline restricted by type, actor and move, grouped (group_timeline), with
        what the filters may choose from: `{viewer, event_count, matched, groups, types, actors,
        moves, action_pc}`."""
        state = self.service.state(exercise_id)
        entries = self.entries(exercise_id, viewer)
        matched = timeline_filter(
            {"timeline": entries},
            types=[event_type] if event_type else None,
            actor=actor or None,
            move=move,
        )
        action_pc = state.ruleset.conjunction.pc_mitigation
        return {
            "viewer": viewer,
            "event_count": len(entries),
            "matched": len(matched),
            "groups": group_timeline(matched, action_pc=action_pc),
            "types": sorted({str(e["type"]) for e in entries}),
            "actors": sorted({str(e["actor"]) for e in entries}),
            "moves": sorted({int(e["move"]) for e in entries}),
            "action_pc": action_pc,
        }
