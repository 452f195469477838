"""build_report(events, viewer): the after-action review of an exercise, from its log alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from wargame.aar import progress
from wargame.aar.charts import build_charts
from wargame.aar.hseep import build_aar_ip
from wargame.aar.planned import planned_vs_actual
from wargame.aar.sections import (
    decisions_section,
    metrics_by_move,
    observations_section,
    sharing_section,
    warnings_section,
)
from wargame.aar.sharing_value import sharing_value_section
from wargame.aar.summaries import summarise
from wargame.domain.audience import is_control_viewer, nation_of
from wargame.domain.events import EventEnvelope
from wargame.domain.scenario_model import EXERCISE_MARKING
from wargame.domain.state import ExerciseState
from wargame.eventlog.chain import ChainChecker
from wargame.eventlog.replay import CatalogLoader, fold
from wargame.protocol.projection import view_for

JsonDict = dict[str, Any]

REPORT_VERSION = 1


def build_report(
    events: Iterable[EventEnvelope],
    viewer: str = "facilitator",
    *,
    until_move: int | None = None,
    catalogs: CatalogLoader | None = None,
) -> JsonDict:
    """The AAR of an exercise as `viewer` may see it, optionally only up to the end of a move.

    Every event passes through `view_for(viewer, event)`; a control viewer gets ground truth, a
    team only what it was sent. The final state is the fold of the (possibly truncated) log,
    likewise projected with `view_for`. `events` is read once, in order (a list is sorted by
    seq first), so a store's streaming read keeps only the projected events in memory.
    `catalogs` reads the background catalog that exercise_created names, if it names one.
    """
    ordered = sorted(events, key=lambda e: e.seq) if isinstance(events, Sequence) else events
    chain = ChainChecker()
    problems: list[str] = []
    state: ExerciseState | None = None
    visible: list[JsonDict] = []
    read, move = 0, -1
    for event in ordered:
        if until_move is not None and event.move > until_move:
            continue
        read += 1
        if read % progress.EVERY_EVENTS == 0 or event.move != move:
            move = event.move
            progress.note(f"{read:,} events read (move {move})")
        problems.extend(chain.check(event))
        state = fold((event,), state, catalogs)
        view = view_for(viewer, event)
        if view is not None:
            view.setdefault("seq", len(visible) + 1)  # a team's numbers are its own stream's
            visible.append(view)
    if chain.last is None:
        raise ValueError("an AAR needs at least the exercise_created event")
    if state is None:
        raise ValueError("the log holds no exercise")
    progress.note(f"{read:,} events read; building the sections")
    snapshot = view_for(viewer, state)
    assert snapshot is not None
    created = next((v for v in visible if v["type"] == "exercise_created"), None)

    control = is_control_viewer(viewer)
    viewer_nation = nation_of(viewer)
    played = [n["id"] for n in snapshot.get("nations", []) if n.get("played")]
    last_move = int(snapshot.get("move", 0))
    moves = list(range(1, last_move + 1))
    names = {  # names show only where an event this viewer sees names the id
        **{s.id: s.name for s in state.scenario.sensors},
        **{o.id: o.name for o in state.scenario.objects},
    }
    if control:
        warned = played
    else:
        warned = [viewer_nation] if viewer_nation in played else []

    metrics = metrics_by_move(
        visible, moves, _escalation_names(created), state.ruleset.warning.timely_hours
    )
    scenario = (created or {}).get("body", {}).get("scenario") or {}
    exercise = _exercise(chain.last, visible, snapshot, created, problems)
    return {
        "version": REPORT_VERSION,
        "viewer": viewer,
        "until_move": until_move,
        "exercise": exercise,
        "timeline": [_timeline_entry(v, names) for v in visible],
        "metrics_by_move": metrics,
        "sharing": sharing_section(
            visible, played, moves or [0], control=control, viewer_nation=viewer_nation
        ),
        "decisions": decisions_section(visible),
        "observations": observations_section(visible, snapshot.get("objectives", [])),
        "warnings": warnings_section(visible, warned),
        "sharing_value": sharing_value_section(visible) if control else None,
        "planned_vs_actual": planned_vs_actual(
            visible, scenario.get("msel") or [], played=played, viewer_nation=viewer_nation,
            start_time=snapshot.get("start_time"), move_length_h=snapshot.get("move_length_hours"),
            names=names,
        ),
        "charts": build_charts(
            visible, metrics, moves, nations=snapshot.get("nations", []),
            agreements=scenario.get("agreements") or snapshot.get("agreements") or [],
            viewer_nation=viewer_nation,
        ),
        "aar_ip": build_aar_ip(visible, snapshot, created, exercise),
    }


def _exercise(
    last: EventEnvelope,
    visible: Sequence[JsonDict],
    snapshot: JsonDict,
    created: JsonDict | None,
    problems: list[str],
) -> JsonDict:
    control = created is not None  # exercise_created is visible to control seats only
    body = created["body"] if created else {}
    scenario = body.get("scenario") or {}
    ruleset = body.get("ruleset") or {}
    return {
        "id": last.exercise_id,
        "title": snapshot.get("title"),
        "marking": snapshot.get("marking") or scenario.get("marking") or EXERCISE_MARKING,
        "scenario_id": scenario.get("id") or snapshot.get("scenario_id"),
        "scenario_title": scenario.get("title"),
        "ruleset_id": ruleset.get("id"),
        "seed": body.get("seed"),
        "start_time": snapshot.get("start_time"),
        "move_length_hours": snapshot.get("move_length_hours"),
        "moves_planned": snapshot.get("moves"),
        "moves_played": snapshot.get("move", 0),
        "final_phase": snapshot.get("phase"),
        "final_scenario_time": snapshot.get("scenario_time"),
        "nations": [
            {k: n.get(k) for k in ("id", "name", "side", "played")}
            for n in snapshot.get("nations", [])
        ],
        "first_event_at": visible[0]["at"] if visible else None,
        "last_event_at": visible[-1]["at"] if visible else None,
        "event_count": len(visible),
        "last_seq": last.seq if control else (visible[-1]["seq"] if visible else 0),
        "chain_ok": not problems,
        "chain_problems": list(problems) if control else [],
        # the head to anchor outside the database (`wargame exercise verify --expect-head`); the
        # log's own seq and hash are control's to see, a team's export has none
        "head_seq": last.seq if control else None,
        "head_hash": last.hash if control else None,
    }


def _escalation_names(created: JsonDict | None) -> dict[int, str]:
    if created is None:
        return {}
    steps = (created["body"].get("ruleset") or {}).get("escalation") or []
    return {int(step["level"]): str(step["name"]) for step in steps}


def _compact_body(event_type: str, body: JsonDict) -> JsonDict:
    """The body as shown in the timeline; exercise_created keeps ids, not the whole scenario,
    and an analysis's result its verdict (its tables are the sharing_value section)."""
    if event_type == "sharing_analysis_completed":
        result = body.get("result") or {}
        return {"analysis_id": body.get("analysis_id"), "exact": result.get("exact"),
                "variants": len(result.get("variants") or [])}
    if event_type != "exercise_created":
        return body
    scenario = body.get("scenario") or {}
    ruleset = body.get("ruleset") or {}
    return {
        "type": event_type, "title": body.get("title"), "seed": body.get("seed"),
        "scenario": {"id": scenario.get("id"), "title": scenario.get("title")},
        "ruleset": {"id": ruleset.get("id"), "title": ruleset.get("title")},
    }


def _timeline_entry(view: JsonDict, names: dict[str, str]) -> JsonDict:
    return {
        "seq": view["seq"],
        "at": view["at"],
        "scenario_time": view["scenario_time"],
        "move": view["move"],
        "actor": view["actor"],
        "type": view["type"],
        "summary": summarise(view["type"], view["actor"], view["body"], names),
        "body": _compact_body(view["type"], view["body"]),
    }


def timeline_filter(
    report: JsonDict,
    *,
    types: Sequence[str] | None = None,
    actor: str | None = None,
    move: int | None = None,
) -> list[JsonDict]:
    """Timeline entries of a report restricted by event type, actor and/or move."""
    return [
        entry for entry in report["timeline"]
        if (types is None or entry["type"] in types)
        and (actor is None or entry["actor"] == actor)
        and (move is None or entry["move"] == move)
    ]
