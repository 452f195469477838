"""Rules of play: who may do what, when, and what each command records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.factories import FakeAdjudicator, command, make_created, seat, share
from wargame.domain.closing import adjudicate, conclude
from wargame.domain.commands import Rejection
from wargame.domain.decide import CommandTerms, decide, evolve_all
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService

EX = "ex1"


@pytest.fixture
def service() -> ExerciseService:
    svc = ExerciseService(MemoryEventStore(), FakeAdjudicator())
    svc.create(EX, make_created())
    return svc


def run(
    svc: ExerciseService, viewer: str, data: dict[str, Any], cid: str | None = None
) -> dict[str, Any]:
    run.counter += 1  # type: ignore[attr-defined]
    return svc.handle(EX, seat(viewer), cid or f"c{run.counter}", command(data))  # type: ignore[attr-defined]


run.counter = 0  # type: ignore[attr-defined]


def started(svc: ExerciseService) -> ExerciseService:
    assert run(svc, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    return svc


@pytest.mark.parametrize("viewer", ["team:USA", "facilitator", "observer"])
def test_only_the_white_cell_controls_the_clock(service: ExerciseService, viewer: str) -> None:
    result = run(service, viewer, {"type": "start_exercise"})
    assert result["status"] == "rejected"
    assert result["code"] == "forbidden"
    assert service.state(EX).phase == "setup"


def test_white_cell_cannot_play_for_a_team(service: ExerciseService) -> None:
    result = run(service, "white_cell", share("GBR"))
    assert (result["status"], result["code"]) == ("rejected", "forbidden")


def test_start_opens_move_one_with_initial_pictures(service: ExerciseService) -> None:
    started(service)
    state = service.state(EX)
    assert (state.phase, state.move) == ("running", 1)
    assert set(state.nations["USA"].picture) == {"usa-sat", "usa-isr"}
    assert run(service, "white_cell", {"type": "start_exercise"})["code"] == "wrong_phase"


def test_advance_is_exactly_once_and_the_loser_gets_stale(service: ExerciseService) -> None:
    started(service)
    first = run(service, "white_cell", {"type": "advance_move", "from_move": 1})
    second = run(service, "white_cell", {"type": "advance_move", "from_move": 1})
    assert first["status"] == "accepted"
    assert (second["status"], second["code"]) == ("rejected", "stale")
    assert second["current_seq"] == service.state(EX).last_seq
    assert service.state(EX).move == 2


def test_repeated_command_id_returns_the_first_result_and_appends_nothing(
    service: ExerciseService,
) -> None:
    started(service)
    data = {"type": "post_chat", "channel": "team", "text": "hello"}
    first = run(service, "team:USA", data, cid="same-id")
    seq = service.state(EX).last_seq
    again = run(service, "team:USA", data, cid="same-id")
    assert again["seqs"] == first["seqs"] and again["repeat"] is True
    assert service.state(EX).last_seq == seq


def test_scheduled_injects_release_when_their_move_opens(service: ExerciseService) -> None:
    started(service)
    assert service.state(EX).injects["INJ-2"].released_move is None
    run(service, "white_cell", {"type": "advance_move", "from_move": 1})
    assert service.state(EX).injects["INJ-2"].released_move == 2
    assert service.state(EX).injects["INJ-1"].released_move is None


def test_release_inject_once(service: ExerciseService) -> None:
    started(service)
    assert (
        run(service, "white_cell", {"type": "release_inject", "inject_id": "INJ-1"})["status"]
        == "accepted"
    )
    again = run(service, "white_cell", {"type": "release_inject", "inject_id": "INJ-1"})
    assert again["code"] == "already_done"
    assert (
        run(service, "white_cell", {"type": "release_inject", "inject_id": "NOPE"})["code"]
        == "unknown_target"
    )


def test_last_advance_ends_the_exercise(service: ExerciseService) -> None:
    started(service)
    for move in (1, 2, 3):
        assert (
            run(service, "white_cell", {"type": "advance_move", "from_move": move})["status"]
            == "accepted"
        )
    state = service.state(EX)
    assert state.phase == "ended" and state.move == 3
    assert sorted(state.metrics_by_move) == [1, 2, 3]
    assert (
        run(service, "team:USA", {"type": "post_chat", "channel": "team", "text": "x"})["code"]
        == "wrong_phase"
    )


@pytest.mark.parametrize(
    ("order", "code"),
    [
        ({"kind": "manoeuvre", "asset_id": "gbr-sat", "dv_m_per_s": 1.0}, "not_owner"),
        ({"kind": "manoeuvre", "asset_id": "usa-sat", "dv_m_per_s": 25.0}, "invalid"),
        ({"kind": "manoeuvre", "asset_id": "nope", "dv_m_per_s": 1.0}, "unknown_target"),
        (  # each component within the limit of 20 m/s, the norm (20.8) is not
            {"kind": "manoeuvre", "asset_id": "usa-sat", "dv_m_per_s": 12.0, "dv_radial_m_per_s": 12.0,
             "dv_cross_track_m_per_s": -12.0},
            "invalid",
        ),
        ({"kind": "manoeuvre", "asset_id": "usa-sat", "dv_m_per_s": 0.0}, "invalid"),
        ({"kind": "anti_jam", "asset_id": "jpn-wx", "enabled": True}, "not_owner"),
        (
            {
                "kind": "tasking_request",
                "partner": "USA",
                "sensor_id": "fence",
                "object_id": "deb-1",
            },
            "invalid",
        ),
        (
            {
                "kind": "tasking_request",
                "partner": "GBR",
                "sensor_id": "fence",
                "object_id": "deb-1",
            },
            "unknown_target",
        ),
        (
            {
                "kind": "public_attribution",
                "inject_id": "INJ-1",
                "accused": "RED",
                "likelihood": "likely",
            },
            "unknown_target",
        ),
    ],
)
def test_orders_are_checked(service: ExerciseService, order: dict[str, Any], code: str) -> None:
    started(service)
    before = service.state(EX).last_seq
    result = run(service, "team:USA", {"type": "submit_order", "order": order, "reason": "test"})
    assert (result["status"], result["code"]) == ("rejected", code)
    assert service.state(EX).last_seq == before


def test_propellant_is_committed_across_orders(service: ExerciseService) -> None:
    started(service)
    order = {"kind": "manoeuvre", "asset_id": "usa-isr", "dv_m_per_s": 18.0}
    assert (
        run(service, "team:USA", {"type": "submit_order", "order": order})["status"] == "accepted"
    )
    second = run(service, "team:USA", {"type": "submit_order", "order": order})
    assert second["code"] == "invalid" and "propellant" in second["message"]


def test_propellant_is_committed_by_the_norm_of_each_burn(service: ExerciseService) -> None:
    """usa-isr has 30 m/s: 15 (|(9, 12, 0)|) + 14 fit, one more 1.5 does not."""
    started(service)
    orders = [
        {"kind": "manoeuvre", "asset_id": "usa-isr", "dv_m_per_s": 12.0, "dv_radial_m_per_s": 9.0},
        {"kind": "manoeuvre", "asset_id": "usa-isr", "dv_m_per_s": 14.0},
        {"kind": "manoeuvre", "asset_id": "usa-isr", "dv_m_per_s": 1.5},
    ]
    results = [run(service, "team:USA", {"type": "submit_order", "order": o}) for o in orders]
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected"]
    assert "1.0 m/s of propellant left" in results[2]["message"]


def test_tasking_request_is_answered_only_by_the_partner(service: ExerciseService) -> None:
    started(service)
    order = {"kind": "tasking_request", "partner": "GBR", "sensor_id": "fyl", "object_id": "deb-1"}
    assert (
        run(service, "team:USA", {"type": "submit_order", "order": order})["status"] == "accepted"
    )
    (request_id,) = service.state(EX).taskings
    wrong = run(
        service, "team:JPN", {"type": "answer_tasking", "request_id": request_id, "accept": True}
    )
    assert wrong["code"] == "unknown_target"
    ok = run(
        service,
        "team:GBR",
        {
            "type": "answer_tasking",
            "request_id": request_id,
            "accept": True,
            "reason": "happy to help",
        },
    )
    assert ok["status"] == "accepted"
    assert service.state(EX).taskings[request_id].status == "accepted"


def test_public_attribution_needs_a_released_visible_inject(service: ExerciseService) -> None:
    started(service)
    run(service, "white_cell", {"type": "release_inject", "inject_id": "INJ-3"})
    order = {
        "kind": "public_attribution",
        "inject_id": "INJ-3",
        "accused": "RED",
        "likelihood": "likely",
    }
    hidden = run(service, "team:USA", {"type": "submit_order", "order": order})
    assert hidden["code"] == "unknown_target"
    run(service, "white_cell", {"type": "release_inject", "inject_id": "INJ-1"})
    order["inject_id"] = "INJ-1"
    assert (
        run(
            service, "team:USA", {"type": "submit_order", "order": {**order, "likelihood": "sure"}}
        )["code"]
        == "invalid"
    )
    assert (
        run(service, "team:USA", {"type": "submit_order", "order": order})["status"] == "accepted"
    )
    assert service.state(EX).attributions[0]["accused"] == "RED"


def test_release_rules(service: ExerciseService) -> None:
    def code(command: dict[str, object]) -> str:
        result = run(service, "team:USA", command)
        return str(result.get("code", result["status"]))

    assert code(share("USA")) == "invalid"  # REL USA reaches no partner
    assert code(share("XYZ")) == "invalid"  # an unknown nation in the marking
    assert code({**share("GBR"), "marking": {"releasability": "NOFORN"}}) == "invalid"
    assert code({**share("GBR"), "level": "withhold"}) == "invalid"
    assert code(share("GBR", "delayed", kind="warnings")) == "invalid"  # warnings go in full
    assert code(share("GBR", objects=["nope"])) == "unknown_target"
    assert code(share("GBR")) == "accepted"
    (product,) = service.state(EX).nations["USA"].products.values()
    assert product.recipients == ("GBR",) and product.level.value == "full"

def test_orders_are_cleared_when_the_move_closes(service: ExerciseService) -> None:
    started(service)
    order = {"kind": "anti_jam", "asset_id": "usa-sat", "enabled": True}
    run(service, "team:USA", {"type": "submit_order", "order": order})
    assert len(service.state(EX).nations["USA"].orders) == 1
    run(service, "white_cell", {"type": "advance_move", "from_move": 1})
    assert service.state(EX).nations["USA"].orders == {}


def test_decide_and_the_adjudication_steps_are_pure(service: ExerciseService) -> None:
    state = service.state(EX)
    before = state.model_dump_json()
    terms = CommandTerms(key="white_cell/s1", at=datetime(2027, 3, 1, 12, tzinfo=UTC), lease_s=60)
    white = seat("white_cell")
    result = decide(state, white, command({"type": "start_exercise"}), terms)
    assert not isinstance(result, Rejection)
    assert [e.body.type for e in result] == ["move_closing"]
    assert state.model_dump_json() == before
    closing = evolve_all(state, [result[0].body])
    assert closing.closing is not None and closing.closing.seq == state.last_seq + 1
    frozen = closing.model_dump_json()
    bodies = adjudicate(closing, FakeAdjudicator(), {})
    assert adjudicate(closing, FakeAdjudicator(), {}) == bodies  # the same state, the same result
    concluded = conclude(closing, white, closing.closing, bodies)
    assert not isinstance(concluded, Rejection)
    assert concluded[0].body.type == "exercise_started"
    assert closing.model_dump_json() == frozen


def test_chat_channels(service: ExerciseService) -> None:
    started(service)
    bad = run(service, "team:USA", {"type": "post_chat", "channel": "bilateral", "text": "hi"})
    assert bad["code"] == "invalid"
    assert (
        run(service, "team:USA", {"type": "post_chat", "channel": "control", "text": "hi"})["code"]
        == "forbidden"
    )
    run(
        service,
        "team:USA",
        {"type": "post_chat", "channel": "bilateral", "partner": "JPN", "text": "hi"},
    )
    assert service.state(EX).chat[-1].channel == "bilateral:JPN+USA"
