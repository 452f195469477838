"""AAR sentences for the white cell's control events: overrides and the handling of scheduled
injects (each with its reason)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

JsonDict = dict[str, Any]
Names = Mapping[str, str]


def _name(names: Names, object_id: Any) -> str:
    return names.get(str(object_id), str(object_id))


def _forced(actor: str, body: JsonDict, names: Names) -> str:
    return f"{actor} forced a {body.get('outcome')} for inject {body.get('inject_id')}: {body.get('reason')}"


def _status(actor: str, body: JsonDict, names: Names) -> str:
    until = f" until move {body['until_move']}" if body.get("until_move") else ""
    return (f"{actor} overrode the status of {_name(names, body.get('asset_id'))}: {body.get('previous')} to "
            f"{body.get('status')}{until}: {body.get('reason')}")


def _debris(actor: str, body: JsonDict, names: Names) -> str:
    count = len(body.get("fragment_ids") or [])
    return (f"{actor} took {count} fragment(s) of {_name(names, body.get('parent_id'))} out of play: "
            f"{body.get('reason')}")


def _collision(actor: str, body: JsonDict, names: Names) -> str:
    pair = " and ".join(_name(names, o) for o in body.get("objects") or [])
    return f"{actor} undid the collision of {pair} (inject {body.get('inject_id')}): {body.get('reason')}"


def _readjudicated(actor: str, body: JsonDict, names: Names) -> str:
    changes = body.get("changes") or {}
    parts = [f"{k} {v}" for k, v in (changes.get("outcomes") or {}).items()]
    parts += [f"{_name(names, k)} {v}" for k, v in (changes.get("statuses") or {}).items()]
    what = f" with {', '.join(parts)}" if parts else ""
    return (f"{actor} re-adjudicated move {body.get('move')}{what}, superseding "
            f"{len(body.get('supersedes') or [])} event(s): {body.get('reason')}")


def _inject_action(verb: str) -> Callable[[str, JsonDict, Names], str]:
    def summary(actor: str, body: JsonDict, names: Names) -> str:
        return f"{actor} {verb} inject {body.get('inject_id')}: {body.get('reason')}"

    return summary


def _retimed(actor: str, body: JsonDict, names: Names) -> str:
    return (f"{actor} retimed inject {body.get('inject_id')} from move {body.get('previous_move')} "
            f"+{float(body.get('previous_offset_hours') or 0):g} h to move {body.get('move')} "
            f"+{float(body.get('offset_hours') or 0):g} h: {body.get('reason')}")


def _edited(actor: str, body: JsonDict, names: Names) -> str:
    fields = ", ".join(sorted(body.get("changes") or {}))
    return f"{actor} edited inject {body.get('inject_id')} ({fields}): {body.get('reason')}"


CONTROL_SUMMARISERS: dict[str, Callable[[str, JsonDict, Names], str]] = {
    "inject_outcome_forced": _forced,
    "status_overridden": _status,
    "debris_removed": _debris,
    "collision_undone": _collision,
    "move_readjudicated": _readjudicated,
    "inject_skipped": _inject_action("skipped"),
    "inject_held": _inject_action("held"),
    "inject_hold_lifted": _inject_action("lifted the hold on"),
    "inject_retimed": _retimed,
    "inject_edited": _edited,
}
