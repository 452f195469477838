"""One scripted tutorial game through the real core that exercises every kind of fact the oracle
judges (so the property test's checks are known to run on each), and checks of the oracle itself:
it must flag a leak of each kind when one is planted in what a seat receives."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

from tests.leaks.actions import GameSpec, Played, play
from tests.leaks.checks import check_game, dump
from tests.leaks.entitlement import Oracle
from tests.leaks.entitlement_views import Secrets, check_team_view, forbidden_keys, picture_urls
from wargame.protocol.projection import view_for

CSPO, FVEY = {"releasability": "REL CSPO"}, {"releasability": "REL FVEY"}
SCRIPT = GameSpec(
    seed=11,
    review_moves=1,
    agreements=((("USA", "JPN"), frozenset({"tracks", "warnings", "assessments"})),),
    moves=(
        (
            ("release", "JPN", "warnings", [], [], "full", CSPO, []),
            ("release", "JPN", "assessments", [], [], "full", CSPO, []),
            ("release", "GBR", "assessments", [], [], "full", FVEY, []),
            (
                "release",
                "USA",
                "tracks",
                ["GEO"],
                [],
                "degraded",
                {"releasability": "REL", "releasable_to": ["JPN"]},
                [],
            ),
            ("release", "GBR", "tracks", [], [], "delayed", CSPO, ["JPN"]),
            ("release", "USA", "warnings", [], [], "full", {"releasability": "REL ALL-PARTICIPANTS"}, []),
            ("adhoc", 0, FVEY, []),
            ("adhoc", 2, {"releasability": "NOFORN"}, ["JPN"]),
            ("forward", "USA", 2, {"releasability": "REL", "releasable_to": ["GBR"]}, [], True, True),
            ("forward", "GBR", 0, FVEY, [], False, True),
            ("forward", "JPN", 0, FVEY, [], False, False),
            ("chat", "team:USA", "team", "USA"),
            ("chat", "team:GBR", "bilateral", "JPN"),
            ("chat", "team:JPN", "coalition", "USA"),
            ("chat", "white_cell", "control", "USA"),
            ("chat", "facilitator", "coalition", "USA"),
            ("order", "JPN", "tasking", 0),
            ("answer", "USA", 0, True),
            ("order", "GBR", "anti_jam", 1),
            ("order", "JPN", "attribution", "inj-002"),
            ("order", "USA", "attribution", "inj-003"),
        ),
        (
            ("withdraw", "GBR", 0, True),
            ("adhoc", 1, {"releasability": "PUBLIC"}, []),
            ("adhoc", 3, CSPO, ["JPN"]),
            ("adhoc", 5, {"releasability": "REL", "releasable_to": ["JPN", "USA"]}, []),
            ("release", "USA", "assessments", [], [], "full", CSPO, []),
            ("order", "USA", "manoeuvre", 0),
        ),
        (
            ("disclose", "jpn-himawari-9"),
            ("restore", "gbr-skynet-5d"),
            ("override", "jpn-qzs-3"),
            ("release_msel", "inj-009"),
        ),
    ),
)


@cache
def scripted() -> Played:
    return play(SCRIPT, "scripted")


@cache
def oracle() -> Oracle:
    game = scripted()
    events = [view_for("white_cell", e) for e in game.service.store.read_after(game.exercise_id, 0)]
    return Oracle([e for e in events if e is not None])


def test_the_scripted_game_exercises_every_kind_of_fact_and_leaks_none() -> None:
    game = scripted()
    events = game.service.store.read_after(game.exercise_id, 0)
    kinds = Counter(e.body.type for e in events)
    shared = Counter(e.body.type for e in events if getattr(e.body, "shared_with", None))
    observed = [e for e in events if e.body.type == "asset_status_changed" and e.body.observers]
    for kind in (
        "product_released",
        "product_withdrawn",
        "inject_forwarded",
        "chat_posted",
        "order_submitted",
        "tasking_answered",
        "threat_assessed",
        "close_approach_detected",
        "conjunction_warning",
        "attribution_published",
    ):
        assert kinds[kind], kind
    assert shared["threat_assessed"] and shared["conjunction_warning"] + shared["close_approach_detected"], (
        shared
    )
    assert observed, "no status change was seen by a nation other than the owner"
    channels = {e.body.channel.split(":")[0] for e in events if e.body.type == "chat_posted"}
    assert channels == {"team", "bilateral", "coalition", "control"}
    refused = [
        r for v, c, r, _ in game.results if c["type"] == "forward_inject" and r["status"] == "rejected"
    ]
    assert refused, "the forward of an inject JPN never received was accepted"
    own_members = [v for e in events if (v := view_for("team:USA", e)) is not None and "member" in v]
    assert own_members and all(v["actor"] == "team:USA" for v in own_members)
    problems = check_game(game)
    assert not problems, dump(problems)


def test_warnings_carry_each_nations_estimate_not_the_truth() -> None:
    """inj-002 scripts a 0.15 km miss and the ad-hoc close approach 5 km: what nations are told
    is their own estimate of it."""
    events = scripted().service.store.read_after(scripted().exercise_id, 0)
    conjunctions = [e.body for e in events if e.body.type == "conjunction_warning"]
    approaches = [e.body for e in events if e.body.type == "close_approach_detected"]
    assert conjunctions and approaches
    assert all(w.miss_km != 0.15 for w in conjunctions)  # type: ignore[union-attr]
    assert all(a.range_km != 5.0 for a in approaches)  # type: ignore[union-attr]


def _stream(viewer: str) -> list[dict[str, Any]]:
    return [p for e in oracle().events if (p := oracle().project(viewer, e)) is not None]


def _as_if_sent(nation: str, e: dict[str, Any]) -> dict[str, Any]:
    """Control event `e` shaped as a team's event, as if it had been addressed to `nation`."""
    header = {k: e[k] for k in ("at", "scenario_time", "move", "type")}
    return {**header, "actor": "white_cell", "body": oracle()._body(nation, e)}


def _event(test: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    return next(e for e in oracle().events if test(e))


PLANTS: dict[str, Callable[[list[dict[str, Any]]], None]] = {
    "another team's sealed order": lambda s: s.append(
        _as_if_sent("USA", _event(lambda e: e["type"] == "order_submitted" and e["body"]["nation"] == "JPN"))
    ),
    "a NOFORN inject to JPN": lambda s: s.append(
        _as_if_sent(
            "USA",
            _event(lambda e: e["type"] == "inject_released" and e["body"]["inject"]["recipients"] == ["JPN"]),
        )
    ),
    "a status change USA did not notice": lambda s: s.append(
        _as_if_sent(
            "USA",
            _event(
                lambda e: e["type"] == "asset_status_changed" and not oracle().may_see("team:USA", e["seq"])
            ),
        )
    ),
    "a release's other recipients": lambda s: next(
        x for x in s if x["type"] == "product_released" and x["body"]["nation"] == "GBR"
    )["body"].update(recipients=["USA", "JPN"]),
    "a partner's shared_with": lambda s: next(
        x
        for x in s
        if x["type"] in ("conjunction_warning", "close_approach_detected") and x["body"]["nation"] == "JPN"
    )["body"].update(shared_with={"GBR": CSPO}),
    "controller notes": lambda s: next(x for x in s if x["type"] == "inject_released")["body"][
        "inject"
    ].update(controller_notes="for control"),
    "the log's seq": lambda s: s[3].update(seq=5),
    "the audience": lambda s: s[3].update(audience=["control"]),
    "another seat's member": lambda s: s[3].update(member="someone"),
    "the truth URL": lambda s: next(x for x in s if x["type"] == "picture_updated")["body"].update(
        url="/api/picture?move=1&truth=1"
    ),
}


@pytest.mark.parametrize("plant", sorted(PLANTS))
def test_the_oracle_flags_each_planted_leak(plant: str) -> None:
    stream = copy.deepcopy(_stream("team:USA"))
    assert oracle().align("team:USA", stream)[1] == []
    PLANTS[plant](stream)
    _seqs, problems = oracle().align("team:USA", stream)
    flagged = problems + forbidden_keys(stream, "USA events") + picture_urls(stream, "USA events")
    assert flagged, f"planted {plant} went unnoticed"


def test_the_oracle_flags_a_snapshot_leak_and_a_secret_text() -> None:
    game = scripted()
    state = game.service.state(game.exercise_id)
    o = oracle()
    view = view_for("team:GBR", state, state.stream_heads["team:GBR"])
    assert isinstance(view, dict)
    assert check_team_view(o, "GBR", view, state.last_seq) == []
    leaky = copy.deepcopy(view)
    jpn = view_for("team:JPN", state, 0)
    assert isinstance(jpn, dict)
    leaky["injects"] = jpn["injects"]  # JPN's NOFORN close approach among GBR's injects
    leaky["received"] = [{**card, "recipients": ["GBR", "USA"]} for card in leaky["received"]]
    problems = check_team_view(o, "GBR", leaky, state.last_seq)
    assert any("injects" in p for p in problems) and any("received product" in p for p in problems)
    secrets = Secrets(o)
    assert secrets.leaked("team:GBR", jpn["injects"], state.last_seq, "GBR")
    assert secrets.leaked("team:GBR", view, state.last_seq, "GBR") == []
