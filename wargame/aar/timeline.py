"""group_timeline(entries): the AAR timeline for people, runs of repetitive events folded into one row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from wargame.aar.request_summaries import REQUEST_NOUNS

JsonDict = dict[str, Any]

BURST_TYPES = frozenset({"conjunction_warning", "close_approach_detected"})
"""Warning types read as one burst. The adjudicator writes a move's warnings grouped by nation,
the two types interleaved, so a run of entries of these types (nothing else between them) is
one burst, split into one group per type. A burst is the only run that may span moves: in a
timeline filtered to warnings, consecutive moves' warnings form one burst ("1,314 conjunction
warnings, moves 1-3"); in the whole timeline each move's burst is closed by the move's other
events."""

REQUIRED = ("seq", "move", "type", "summary")

NOUNS: dict[str, tuple[str, str]] = {
    "picture_updated": ("picture updated", "pictures updated"),
    "conjunction_warning": ("conjunction warning", "conjunction warnings"),
    "close_approach_detected": ("close approach detected", "close approaches detected"),
    "asset_status_changed": ("asset status change", "asset status changes"),
    "threat_assessed": ("threat assessment", "threat assessments"),
    "inject_released": ("inject released", "injects released"),
    "inject_resolved": ("inject resolved", "injects resolved"),
    "inject_forwarded": ("inject forwarded", "injects forwarded"),
    "chat_posted": ("chat message", "chat messages"),
    "order_submitted": ("order submitted", "orders submitted"),
    "order_cancelled": ("order cancelled", "orders cancelled"),
    "product_released": ("product released", "products released"),
    "product_withdrawn": ("product withdrawn", "products withdrawn"),
    "sharing_policy_set": ("sharing policy change", "sharing policy changes"),
    "tasking_requested": ("tasking request", "tasking requests"),
    "tasking_answered": ("tasking answer", "tasking answers"),
    "attribution_published": ("public attribution", "public attributions"),
    "observation_recorded": ("observation recorded", "observations recorded"),
    "manoeuvre_executed": ("manoeuvre executed", "manoeuvres executed"),
    "anti_jam_set": ("anti-jam change", "anti-jam changes"),
    "status_disclosed": ("status disclosed", "statuses disclosed"),
    "debris_created": ("breakup", "breakups"),
    "move_closing": ("move closing", "move closings"),
    "inject_outcome_forced": ("outcome forced", "outcomes forced"),
    "status_overridden": ("status override", "status overrides"),
    "debris_removed": ("debris removal", "debris removals"),
    "collision_undone": ("collision undone", "collisions undone"),
    "move_readjudicated": ("move re-adjudicated", "moves re-adjudicated"),
    "inject_skipped": ("inject skipped", "injects skipped"),
    "inject_held": ("inject held", "injects held"),
    "inject_hold_lifted": ("hold lifted", "holds lifted"),
    "inject_retimed": ("inject retimed", "injects retimed"),
    "inject_edited": ("inject edited", "injects edited"),
    **REQUEST_NOUNS,
    "move_clock_set": ("move clock change", "move clock changes"),
    "deadline_warning": ("deadline warning", "deadline warnings"),
}
"""How a group of each type is counted in its summary; other types read "N '<type>' events"."""

MAX_NAMED = 6
"""How many nations or ids a group's summary names before it says "and N more"."""


def group_timeline(
    entries: Iterable[JsonDict], *, action_pc: float | None = None
) -> list[JsonDict]:
    """Fold an AAR timeline (report["timeline"] entries, any filter applied) into rows for people.

    Entries are taken in seq order. A run of consecutive entries of one type in one move is one
    group; a burst of warnings (BURST_TYPES) is one group per type and may span moves. Every
    other entry is a group of one, whose summary is the entry's own. Each group is
    `{key, type, move_first, move_last, seq_first, seq_last, count, summary, members}`, members
    in seq order, groups in the order of their first member. `action_pc` (the ruleset's
    conjunction.pc_mitigation, which sets a warning's action_threshold_exceeded) is quoted in
    the summary of conjunction warnings when given.
    """
    ordered = sorted(_checked(entries), key=lambda e: int(e["seq"]))
    groups: list[JsonDict] = []
    run: list[JsonDict] = []
    for entry in ordered:
        if run and not _continues(run[-1], entry):
            groups.extend(_split(run, action_pc))
            run = []
        run.append(entry)
    if run:
        groups.extend(_split(run, action_pc))
    return groups


def _checked(entries: Iterable[JsonDict]) -> list[JsonDict]:
    checked = list(entries)
    for position, entry in enumerate(checked):
        missing = [k for k in REQUIRED if k not in entry]
        if missing:
            raise ValueError(
                f"timeline entry {position} (seq {entry.get('seq', '?')}) lacks {', '.join(missing)}"
            )
    return checked


def _continues(previous: JsonDict, entry: JsonDict) -> bool:
    if previous["type"] in BURST_TYPES and entry["type"] in BURST_TYPES:
        return True
    return bool(previous["type"] == entry["type"] and previous["move"] == entry["move"])


def _split(run: Sequence[JsonDict], action_pc: float | None) -> list[JsonDict]:
    """A run as groups, one per type, in the order of each type's first entry."""
    by_type: dict[str, list[JsonDict]] = {}
    for entry in run:
        by_type.setdefault(str(entry["type"]), []).append(entry)
    return [_group(members, action_pc) for members in by_type.values()]


def _group(members: Sequence[JsonDict], action_pc: float | None) -> JsonDict:
    first, last = members[0], members[-1]
    moves = [int(m["move"]) for m in members]
    kind = str(first["type"])
    count = len(members)
    if count == 1:
        summary = str(first["summary"])
    else:
        summary = _headline(kind, count, min(moves), max(moves))
        detail = DETAILS.get(kind, _by_nation)(members, action_pc)
        summary = f"{summary}: {detail}" if detail else summary
    return {
        "key": f"{kind}@{first['seq']}",
        "type": kind,
        "move_first": min(moves),
        "move_last": max(moves),
        "seq_first": int(first["seq"]),
        "seq_last": int(last["seq"]),
        "count": count,
        "summary": summary,
        "members": list(members),
    }


def _headline(kind: str, count: int, move_first: int, move_last: int) -> str:
    singular, plural = NOUNS.get(kind, (f"'{kind}' event", f"'{kind}' events"))
    noun = singular if count == 1 else plural
    moves = f"move {move_first}" if move_first == move_last else f"moves {move_first}-{move_last}"
    return f"{count:,} {noun}, {moves}"


def _named(values: Iterable[Any]) -> str:
    """Distinct values in first-seen order, the first MAX_NAMED named, the rest counted."""
    distinct = list(dict.fromkeys(str(v) for v in values if v not in (None, "")))
    shown = ", ".join(distinct[:MAX_NAMED])
    more = len(distinct) - MAX_NAMED
    return f"{shown} and {more:,} more" if more > 0 else shown


def _body(entry: JsonDict) -> JsonDict:
    body = entry.get("body")
    return body if isinstance(body, dict) else {}


def _by_nation(members: Sequence[JsonDict], action_pc: float | None) -> str:
    nations = _named(_body(m).get("nation") for m in members)
    if nations:
        return nations
    teams = _named(str(m.get("actor", "")).removeprefix("team:") for m in members
                   if str(m.get("actor", "")).startswith("team:"))
    return f"by {teams}" if teams else ""


def _conjunctions(members: Sequence[JsonDict], action_pc: float | None) -> str:
    above = sum(1 for m in members if _body(m).get("action_threshold_exceeded"))
    threshold = f"Pc {action_pc:.0e}".replace("e-0", "e-") if action_pc else "the action threshold"
    nations = _named(_body(m).get("nation") for m in members)
    return f"{above:,} above {threshold}" + (f" (warned: {nations})" if nations else "")


def _close_approaches(members: Sequence[JsonDict], action_pc: float | None) -> str:
    ranges = [float(r) for m in members if (r := _body(m).get("range_km")) is not None]
    nations = _named(_body(m).get("nation") for m in members)
    closest = f"closest {min(ranges):,.1f} km" if ranges else ""
    return "; ".join(part for part in (closest, f"seen by {nations}" if nations else "") if part)


def _injects(members: Sequence[JsonDict], action_pc: float | None) -> str:
    ids = []
    for member in members:
        body = _body(member)
        inject = body.get("inject")
        ids.append(inject.get("id") if isinstance(inject, dict) else body.get("inject_id"))
    return _named(ids)


def _statuses(members: Sequence[JsonDict], action_pc: float | None) -> str:
    return _named(f"{_body(m).get('asset_id')} {_body(m).get('status')}" for m in members)


DETAILS: dict[str, Callable[[Sequence[JsonDict], float | None], str]] = {
    "asset_status_changed": _statuses,
    "conjunction_warning": _conjunctions,
    "close_approach_detected": _close_approaches,
    "inject_released": _injects,
    "inject_resolved": _injects,
    "inject_forwarded": _injects,
}
"""What a group's summary says after its count, by type (default: the nations it concerns)."""
