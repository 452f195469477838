"""Recorded streams for the browser's fold: for each kind of seat, its snapshot at the start of a
tutorial game played with the real core, every event it received (with its position), and its
snapshot at the end. The frontend's apply.fixture.test.ts applies the events to the first snapshot
and compares with the last (the Zulip guarantee, on the client).

The fixture is checked in (frontend/fixtures/tutorial-streams.json). This test fails when the
game recorded now differs from it; `WARGAME_WRITE_FIXTURES=1` rewrites it.
"""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from wargame.domain.audience import Role, Seat, is_control_viewer
from wargame.domain.commands import Command
from wargame.domain.common import MissionArea
from wargame.domain.events import ExerciseCreated
from wargame.domain.request_model import FallbackOffer
from wargame.eventlog.replay import fold
from wargame.eventlog.store import MemoryEventStore
from wargame.protocol.event_bodies import ControlEventBodies, TeamEventBodies
from wargame.protocol.projection import view_for
from wargame.protocol.seat_snapshot import snapshot_text, snapshot_view
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "frontend" / "fixtures" / "tutorial-streams.json"
EXERCISE = "fixture1"
CLOCK = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
VIEWERS = ("team:USA", "team:JPN", "white_cell", "facilitator", "evaluator", "observer")
"""A team that releases, withdraws and orders; one that receives after review and forwards; the
control seats and the evaluator; the observer."""

command_adapter: TypeAdapter[Command] = TypeAdapter(Command)
USA = Seat(role=Role.PLAYER, nation="USA", member="ana")
GBR = Seat(role=Role.PLAYER, nation="GBR")
JPN = Seat(role=Role.PLAYER, nation="JPN")
WHITE = Seat(role=Role.WHITE_CELL)
FACILITATOR = Seat(role=Role.FACILITATOR)
EVALUATOR = Seat(role=Role.EVALUATOR, member="eva")


def rel(*nations: str) -> dict[str, Any]:
    return {"releasability": "REL", "releasable_to": list(nations)}


SCRIPT: list[tuple[Seat, dict[str, Any]]] = [
    (WHITE, {"type": "start_exercise"}),
    # Move 1: releases (one under the USA-GBR agreement, one in review for JPN), chat, orders.
    (USA, {"type": "release_product", "product": {"kind": "tracks"}, "marking": rel("GBR")}),
    (USA, {"type": "release_product", "product": {"kind": "tracks", "regimes": ["GEO"]},
           "marking": rel("JPN"), "level": "degraded"}),
    (GBR, {"type": "release_product", "product": {"kind": "warnings"},
           "marking": {"releasability": "REL FVEY"}}),
    (JPN, {"type": "release_product", "product": {"kind": "assessments"}, "marking": rel("USA")}),
    (JPN, {"type": "release_product", "product": {"kind": "warnings"}, "marking": rel("USA")}),
    (JPN, {"type": "forward_inject", "inject_id": "inj-002", "recipients": ["GBR"],
           "marking": {"releasability": "REL CSPO"}, "text": "Conjunction on our IGS satellite"}),
    (GBR, {"type": "post_chat", "channel": "coalition", "text": "GBR tracks the inspector"}),
    (USA, {"type": "post_chat", "channel": "team", "text": "USA internal only"}),
    (JPN, {"type": "post_chat", "channel": "bilateral", "partner": "USA", "text": "Can you task Socorro?"}),
    (WHITE, {"type": "post_chat", "channel": "control", "text": "control note"}),
    (JPN, {"type": "submit_order", "reason": "Pc above threshold",
           "order": {"kind": "manoeuvre", "asset_id": "jpn-igs-optical-8", "dv_m_per_s": 0.5}}),
    (USA, {"type": "submit_order", "reason": "jamming expected",
           "order": {"kind": "anti_jam", "asset_id": "usa-wgs-10", "enabled": True}}),
    (JPN, {"type": "submit_order", "reason": "need custody",
           "order": {"kind": "tasking_request", "partner": "USA", "sensor_id": "usa-geodss-socorro",
                     "object_id": "red-inspector-1"}}),
    (USA, {"type": "answer_tasking", "request_id": "$tasking", "accept": True, "reason": "Socorro is free"}),
    # Requests: a statement refused then issued, an RFI answered, a request for assistance lapsed.
    (USA, {"type": "draft_statement", "text": "We condemn the jamming.", "cosigners": ["GBR", "JPN"]}),
    (GBR, {"type": "answer_statement", "statement_id": "$statement", "consent": True}),
    (JPN, {"type": "answer_statement", "statement_id": "$statement", "consent": False,
           "reason": "name no one"}),
    (USA, {"type": "amend_statement", "statement_id": "$statement",
           "text": "We are concerned by the jamming."}),
    (JPN, {"type": "answer_statement", "statement_id": "$statement", "consent": True}),
    (GBR, {"type": "answer_statement", "statement_id": "$statement", "consent": True}),
    (USA, {"type": "send_request", "kind": "rfi", "text": "Who owns the inspector?"}),
    (WHITE, {"type": "answer_request", "request_id": "$rfi-USA", "approve": True,
             "answer": "RED, per intel"}),
    (JPN, {"type": "send_request", "kind": "assistance", "to": "USA", "text": "Lend us Socorro time"}),
    (WHITE, {"type": "release_inject", "inject_id": "inj-005"}),
    (WHITE, {"type": "adhoc_inject", "inject_type": "spoofing", "title": "GNSS timing spoof",
             "target": "jpn-himawari-9", "actor": "RED", "recipients": ["JPN"]}),
    (WHITE, {"type": "adhoc_inject", "inject_type": "high_power_microwave", "title": "HPM on the fence",
             "target": "usa-space-fence", "actor": "RED", "recipients": ["USA"]}),
    (FACILITATOR, {"type": "record_observation", "rating": "S", "text": "USA shared early"}),
    (EVALUATOR, {"type": "record_observation", "objective_id": "obj-safety", "task": 1,
                 "inject_id": "inj-002", "nation": "JPN", "rating": "S",
                 "text": "JPN assessed the conjunction at once"}),
    (EVALUATOR, {"type": "set_afi", "objective_id": "obj-safety", "title": "Catalog-only Pc",
                 "observation": "JPN manoeuvred on a catalog-only Pc", "root_cause": "no tasking agreement",
                 "recommendation": "agree tasking with USA", "observation_ids": ["$evaluator-observation"]}),
    (WHITE, {"type": "advance_move", "from_move": 1}),
    # Move 2: a withdrawal, restores and a disclosure, an attribution.
    (USA, {"type": "withdraw_product", "product_id": "$USA-tracks-GBR"}),
    (WHITE, {"type": "restore_asset", "asset_id": "gbr-skynet-5d", "reason": "storm passed"}),
    (WHITE, {"type": "disclose_status", "asset_id": "jpn-himawari-9", "reason": "users report drift"}),
    (WHITE, {"type": "restore_asset", "asset_id": "usa-space-fence", "reason": "radar rebooted"}),
    (USA, {"type": "submit_order", "reason": "evidence from the fence",
           "order": {"kind": "public_attribution", "inject_id": "inj-001", "accused": "RED",
                     "likelihood": "likely"}}),
    (GBR, {"type": "submit_order", "reason": "avoid the debris",
           "order": {"kind": "manoeuvre", "asset_id": "gbr-tyche-1", "dv_m_per_s": 0.2}}),
    (GBR, {"type": "cancel_order", "order_id": "$GBR-order"}),
    (EVALUATOR, {"type": "edit_observation", "observation_id": "$evaluator-observation",
                 "objective_id": "obj-safety", "task": 2, "inject_id": "inj-002", "nation": "JPN",
                 "rating": "M",
                 "text": "JPN spent propellant before asking for a precise track"}),
    (FACILITATOR, {"type": "retract_observation", "observation_id": "$facilitator-observation",
                   "reason": "duplicate"}),
    (EVALUATOR, {"type": "set_rating", "subject": "objective", "subject_id": "obj-safety", "rating": "M",
                 "rationale": "late coordination"}),
    (EVALUATOR, {"type": "set_rating", "subject": "capability", "subject_id": "Information Sharing",
                 "rating": "S"}),
    (EVALUATOR, {"type": "set_rating", "subject": "capability", "subject_id": "Information Sharing",
                 "rating": None}),
    (EVALUATOR, {"type": "set_strength", "objective_id": "obj-sharing",
                 "text": "USA released tracks at once"}),
    (EVALUATOR, {"type": "set_strength", "strength_id": "$strength", "objective_id": "obj-sharing",
                 "text": "USA released its tracks within the move"}),
    (FACILITATOR, {"type": "set_improvement_item", "afi_id": "$afi", "corrective_action": "Agree tasking",
                   "capability_element": "planning", "organisation": "JPN SOG", "poc": "Lt Col Ito",
                   "start_date": "2027-04-01", "end_date": "2027-06-30"}),
    (EVALUATOR, {"type": "set_afi", "afi_id": "$afi", "objective_id": "obj-safety",
                 "title": "Catalog-only Pc",
                 "observation": "JPN manoeuvred on a catalog-only Pc", "analysis": "Pc from catalog data",
                 "root_cause": "no tasking agreement", "recommendation": "agree tasking with USA"}),
    (EVALUATOR, {"type": "set_strength", "objective_id": "obj-custody", "text": "to be removed"}),
    (EVALUATOR, {"type": "remove_evaluation_item", "item_id": "$strength", "reason": "merged"}),
    # The white cell's control of scheduled injects of move 4 (the MSEL's state in its view).
    (WHITE, {"type": "hold_inject", "inject_id": "inj-007", "reason": "wait for the storm"}),
    (WHITE, {"type": "lift_hold", "inject_id": "inj-007", "reason": "storm has passed"}),
    (WHITE, {"type": "retime_inject", "inject_id": "inj-007", "move": 4, "offset_hours": 2.0,
             "reason": "later in the move"}),
    (WHITE, {"type": "edit_inject", "inject_id": "inj-008", "title": "Cyber intrusion at a ground station",
             "reason": "clearer title for players"}),
    (WHITE, {"type": "pause_exercise", "reason": "hot wash"}),
    (WHITE, {"type": "resume_exercise"}),
    (WHITE, {"type": "advance_move", "from_move": 2}),
    (JPN, {"type": "post_chat", "channel": "coalition", "text": "Move 3: thanks for the warning"}),
]
"""The game: `$NAME` ids are filled in from earlier results (see `play`)."""
CAPACITY_STEPS: list[tuple[Seat, dict[str, Any]]] = [
    (USA, {"type": "request_capacity", "provider": "GBR", "area": "SATCOM", "units": 2, "moves": 2}),
    (GBR, {"type": "answer_capacity", "request_id": "$capacity", "accept": True, "units": 1,
           "reason": "one spare"}),
]
"""A capacity request accepted in part, played in the fixture's game only (its GBR lends SATCOM;
the shipped tutorial, which tests/server/test_replay.py plays SCRIPT on, has no provider)."""
FIXTURE_SCRIPT = [SCRIPT[0], *CAPACITY_STEPS, *SCRIPT[1:]]


def _created() -> tuple[ExerciseCreated, Any]:
    scenario, background = load_scenario_parts(find_scenario("tutorial"))
    ruleset = load_ruleset(find_ruleset(scenario.ruleset))
    gbr = scenario.nation("GBR")
    assert gbr is not None
    lender = gbr.model_copy(update={"fallback": FallbackOffer(capacity={MissionArea.SATCOM: 2})})
    nations = tuple(lender if n.id == "GBR" else n for n in scenario.nations)
    scenario = scenario.model_copy(update={"nations": nations})  # GBR lends SATCOM on request
    created = ExerciseCreated(
        title=scenario.title, scenario=scenario, ruleset=ruleset, seed=scenario.seed, id_salt="fixture-salt"
    )
    return created, background


def play() -> ExerciseService:
    """The scripted tutorial game on an in-memory store, with a fixed clock and salt."""
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator(), clock=lambda: CLOCK)
    created, background = _created()
    service.create(EXERCISE, created, background)
    names: dict[str, str] = {}
    for step, (seat, raw) in enumerate(FIXTURE_SCRIPT):
        command = command_adapter.validate_python(resolved(raw, names))
        result, events = service.handle_events(EXERCISE, seat, f"step-{step}", command)
        assert result["status"] == "accepted", f"step {step} {raw['type']}: {result}"
        for event in events:
            learn_names(event.body.model_dump(mode="json"), names)
    return service


def resolved(raw: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A script step with its `$NAME`s replaced by the ids they stand for."""
    data: dict[str, Any] = json.loads(json.dumps(raw))
    if "observation_ids" in data:
        data["observation_ids"] = [names[i.removeprefix("$")] for i in data["observation_ids"]]
    keys = ("product_id", "order_id", "request_id", "statement_id", "observation_id", "strength_id", "afi_id",
            "item_id")
    for key in keys:
        if str(data.get(key, "")).startswith("$"):
            data[key] = names[data[key][1:]]
    return data


def learn_names(body: dict[str, Any], names: dict[str, str]) -> None:
    """Remember the ids an event's body gives the script's `$NAME`s."""
    if body["type"] == "product_released" and body["product"]["kind"] == "tracks":
        names[f"{body['nation']}-tracks-{body['recipients'][0]}"] = body["product_id"]
    if body["type"] == "order_submitted":
        names[f"{body['nation']}-order"] = body["order_id"]
    if body["type"] == "tasking_requested":
        names["tasking"] = body["request_id"]
    if body["type"] == "capacity_requested":
        names["capacity"] = body["request_id"]
    if body["type"] == "statement_drafted":
        names["statement"] = body["statement_id"]
    if body["type"] == "request_sent":
        names[f"{body['kind']}-{body['requester']}"] = body["request_id"]
    if body["type"] == "observation_recorded":
        names[f"{body['author']}-observation"] = body["observation_id"]
    if body["type"] in ("strength_set", "afi_set"):
        names[body["type"].removesuffix("_set")] = body.get("strength_id") or body["afi_id"]


def _snapshot(viewer: str, state: Any) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(snapshot_text(snapshot_view(viewer, state)))
    return parsed


def _check_body(viewer: str, event: dict[str, Any]) -> None:
    """The body is the one the schema declares for this kind of seat and event type."""
    bodies = ControlEventBodies if is_control_viewer(viewer) else TeamEventBodies
    field = bodies.model_fields.get(event["type"])
    assert field is not None, f"{viewer} received {event['type']}, which the schema does not declare"
    TypeAdapter(field.annotation).validate_python(event["body"])


@cache
def recorded() -> dict[str, Any]:
    """Per viewer: the snapshot after the exercise was created, its events, the final snapshot."""
    service = play()
    store = service.store
    end = service.state(EXERCISE)
    events = list(store.iter_after(EXERCISE, 0))
    start = fold(events[:1], catalogs=service.catalog)  # just created
    assert start is not None
    streams: dict[str, Any] = {}
    for viewer in VIEWERS:
        received = []
        for event in events[1:]:
            projected = view_for(viewer, event)
            if projected is None:
                continue
            _check_body(viewer, projected)
            pos = event.seq if is_control_viewer(viewer) else event.positions[viewer]
            received.append({"pos": pos, "event": json.loads(json.dumps(projected))})
        streams[viewer] = {
            "start": _snapshot(viewer, start),
            "events": received,
            "end": _snapshot(viewer, end),
        }
    return {"scenario": "tutorial", "streams": streams}


def _text(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


SIGNIFICANT_DIGITS = 9
"""Floats are compared to this many digits: the core's last bits differ between CPUs (numpy's
SIMD paths), and with them the hashes; views, projections and the core's decisions do not."""

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def comparable(data: Any) -> Any:
    """`data` with floats rounded to SIGNIFICANT_DIGITS and SHA-256 digests masked."""
    if isinstance(data, float):
        return float(f"{data:.{SIGNIFICANT_DIGITS}g}")
    if isinstance(data, str):
        return "<sha256>" if _SHA256.match(data) else data
    if isinstance(data, dict):
        return {key: comparable(value) for key, value in data.items()}
    if isinstance(data, list):
        return [comparable(value) for value in data]
    return data


def test_the_checked_in_streams_are_those_the_server_records_now() -> None:
    now = recorded()
    text = _text(now)
    if os.environ.get("WARGAME_WRITE_FIXTURES") == "1":
        FIXTURE.parent.mkdir(parents=True, exist_ok=True)
        FIXTURE.write_text(text, encoding="utf-8")
    assert FIXTURE.exists(), f"{FIXTURE} is missing: run this test with WARGAME_WRITE_FIXTURES=1"
    checked_in = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert comparable(checked_in) == comparable(now), (
        f"{FIXTURE.relative_to(REPO)} differs from the streams the server records now (a view, a "
        "projection or the core changed): rerun with WARGAME_WRITE_FIXTURES=1, run `npm test` in "
        "frontend/, and commit the fixture"
    )


def test_each_seat_saw_the_game() -> None:
    """The recorded game holds what the frontend's fold must handle, for each kind of seat."""
    streams = recorded()["streams"]
    types = {v: {e["event"]["type"] for e in s["events"]} for v, s in streams.items()}
    for viewer in ("team:USA", "team:JPN", "white_cell"):
        assert {"product_released", "chat_posted", "move_advanced", "picture_updated",
                "order_submitted", "threat_assessed", "asset_status_changed"} <= types[viewer], viewer
    assert "product_withdrawn" in types["team:USA"] & types["white_cell"]
    assert "inject_forwarded" in types["team:JPN"]
    assert "status_disclosed" in types["team:JPN"]
    control = {"inject_held", "inject_hold_lifted", "inject_retimed", "inject_edited"}
    assert control <= types["white_cell"] and not control & types["team:USA"]
    msel = {e["id"]: e for e in streams["white_cell"]["end"]["msel"]}
    retimed = msel["inj-007"]
    assert (retimed["planned_move"], retimed["offset_hours"], retimed["held"]) == (4, 2.0, False)
    assert msel["inj-008"]["edited"] == ["title"]
    assert {"move_adjudicated", "inject_resolved", "observation_recorded"} <= types["facilitator"]
    assert types["observer"] <= {"exercise_started", "move_closing", "move_advanced", "inject_released",
                                 "exercise_paused", "exercise_resumed", "attribution_published",
                                 "statement_issued"}
    requests = {"capacity_requested", "capacity_answered", "statement_drafted", "statement_amended",
                "statement_answered", "statement_issued", "request_sent", "request_lapsed"}
    assert requests <= types["team:USA"] & types["white_cell"]
    assert "request_answered" in types["team:USA"] and "statement_issued" in types["observer"]
    assert "capacity_requested" not in types["team:JPN"]
    for viewer, stream in streams.items():
        positions = [e["pos"] for e in stream["events"]]
        expected = list(range(stream["start"]["pos"] + 1, stream["end"]["pos"] + 1))
        assert positions == expected, f"{viewer}: positions are not contiguous"
        assert stream["end"]["move"] == 3
    jpn = streams["team:JPN"]["end"]
    assert [p["nation"] for p in jpn["received"]] == ["USA"]
    assert jpn["received"][0]["effective"] == {"JPN": 2}  # one move of disclosure review
