"""Requests between teams, decided and folded: fallback capacity (limits, partial acceptance, the
white cell for an unplayed provider, the capability it adds), joint statements by consent, RFIs
and requests for assistance and their lapse at move close."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.domain.request_game import RequestGame, request_created
from tests.factories import command
from wargame.adjudication.fallback import with_fallback
from wargame.domain.common import MissionArea


def capacity(provider: str = "GBR", units: int = 2, area: str = "SATCOM", moves: int = 2) -> dict[str, Any]:
    return {
        "type": "request_capacity",
        "provider": provider,
        "area": area,
        "units": units,
        "moves": moves,
        "reason": "SATCOM jammed",
    }


# -- fallback capacity ---------------------------------------------------------------------------


def test_a_capacity_request_over_a_limit_is_refused_naming_the_limit() -> None:
    game = RequestGame()
    assert "at most 3 units of SATCOM per request (fallback.max_request.SATCOM)" in game.refused(
        "team:USA", capacity(units=4), "invalid"
    )
    assert "requests.max_moves" in game.refused("team:USA", capacity(moves=4), "invalid")
    assert "offers no fallback ISR" in game.refused("team:USA", capacity(area="ISR"), "invalid")
    assert "another nation" in game.refused("team:GBR", capacity(), "invalid")
    game.refused("team:USA", capacity(provider="XXX"), "unknown_target")
    game.ok("team:USA", capacity(units=3))
    game.ok("team:GBR", {"type": "answer_capacity", "request_id": game.last_id("capacity"), "accept": True})
    message = game.refused("team:JPN", capacity(units=2), "invalid")
    assert message == "GBR has 1 unit of SATCOM left of its capacity of 4 (fallback.capacity.SATCOM)"


def test_bad_capacity_input_is_refused_before_decide() -> None:
    for bad in ({"units": 0}, {"moves": 0}, {"area": "LASER"}, {"provider": "usa"}):
        with pytest.raises(ValidationError):
            command({**capacity(), **bad})


def test_without_a_requests_section_there_are_no_capacity_requests() -> None:
    game = RequestGame(created=request_created(requests=None))
    assert "has no requests section" in game.refused("team:USA", capacity(), "invalid")


def test_a_partial_acceptance_lends_part_and_raises_capability_while_it_lasts() -> None:
    game = RequestGame()
    game.ok("team:USA", capacity(units=3, moves=2))
    request_id = game.last_id("capacity")
    answer = {
        "type": "answer_capacity",
        "request_id": request_id,
        "accept": True,
        "units": 2,
        "reason": "two spare",
    }
    game.refused("team:USA", answer, "unknown_target")  # the requester does not answer
    game.refused("white_cell", answer, "unknown_target")  # GBR is played: its team answers
    game.refused("team:GBR", {**answer, "units": 4}, "invalid")
    events = game.ok("team:GBR", answer)
    body = events[0].body
    assert body.type == "capacity_answered" and (body.units, body.requested) == (2, 3)  # type: ignore[union-attr]
    assert (body.from_move, body.until_move) == (1, 2)  # type: ignore[union-attr]
    assert events[0].audience == ("control", "team:USA", "team:GBR")
    game.refused("team:GBR", answer, "already_done")
    state = game.state
    assert state.requests.lent_to("USA", 1) == {MissionArea.SATCOM: 2}
    raised = with_fallback(state, {"USA": {"SATCOM": 0.5, "ISR": 1.0}, "GBR": {"SATCOM": 1.0}})
    assert raised == {"USA": {"ISR": 1.0, "SATCOM": 0.7}, "GBR": {"SATCOM": 1.0}}
    assert with_fallback(state, {"USA": {"SATCOM": 0.95}})["USA"]["SATCOM"] == 1.0  # requests.max_capability
    game.advance()
    game.advance()  # move 3: the two moves granted are over
    assert game.state.requests.lent_to("USA", 3) == {}
    assert with_fallback(game.state, {"USA": {"SATCOM": 0.5}}) == {"USA": {"SATCOM": 0.5}}


def test_a_decline_needs_a_reason_and_lends_nothing() -> None:
    game = RequestGame()
    game.ok("team:USA", capacity())
    answer = {"type": "answer_capacity", "request_id": game.last_id("capacity"), "accept": False}
    assert "say why" in game.refused("team:GBR", answer, "invalid")
    game.refused("team:GBR", {**answer, "units": 1, "reason": "no"}, "invalid")
    game.ok("team:GBR", {**answer, "reason": "our own users first"})
    request = game.state.requests.capacity[game.last_id("capacity")]
    assert (request.status, request.granted, request.answer_reason) == ("declined", 0, "our own users first")


def test_the_white_cell_answers_for_an_unplayed_provider() -> None:
    game = RequestGame()
    events = game.ok("team:JPN", capacity(provider="COM", area="ISR", units=2))
    assert events[0].body.answered_by == "white_cell"  # type: ignore[union-attr]
    assert events[0].audience == ("control", "team:JPN")
    answer = {"type": "answer_capacity", "request_id": game.last_id("capacity"), "accept": True}
    game.refused("team:GBR", answer, "unknown_target")
    game.ok("white_cell", answer)
    assert game.state.requests.lent_to("JPN", 1) == {MissionArea.ISR: 2}


def test_an_unanswered_capacity_request_lapses_at_move_close() -> None:
    game = RequestGame()
    game.ok("team:USA", capacity())
    request_id = game.last_id("capacity")
    lapsed = [e for e in game.advance() if e.body.type == "request_lapsed"]
    assert [(e.body.request_id, e.body.kind, e.audience) for e in lapsed] == [  # type: ignore[union-attr]
        (request_id, "capacity", ("control", "team:USA", "team:GBR"))
    ]
    game.refused(
        "team:GBR", {"type": "answer_capacity", "request_id": request_id, "accept": True}, "already_done"
    )


# -- joint statements ----------------------------------------------------------------------------

STATEMENT = {"type": "draft_statement", "text": "We condemn the jamming.", "cosigners": ["GBR", "JPN"]}


def test_a_refused_draft_returns_to_its_drafter_and_an_amended_one_is_issued() -> None:
    game = RequestGame()
    drafted = game.ok("team:USA", STATEMENT)
    sid = game.last_id("statement")
    assert drafted[0].audience == ("control", "team:USA", "team:GBR", "team:JPN")
    assert game.state.requests.statements[sid].marking.releasability.value == "PUBLIC"
    game.ok("team:GBR", {"type": "answer_statement", "statement_id": sid, "consent": True})
    refuse = {"type": "answer_statement", "statement_id": sid, "consent": False}
    assert "say why" in game.refused("team:JPN", refuse, "invalid")
    game.ok("team:JPN", {**refuse, "reason": "name no state"})
    returned = game.state.requests.statements[sid]
    assert (returned.status, returned.consents) == ("returned", ())
    assert returned.refusal is not None and returned.refusal.reason == "name no state"
    game.refused(
        "team:GBR", {"type": "answer_statement", "statement_id": sid, "consent": True}, "wrong_phase"
    )
    amend = {"type": "amend_statement", "statement_id": sid, "text": "We condemn interference with SATCOM."}
    game.refused("team:GBR", amend, "not_owner")
    game.ok("team:USA", amend)
    amended = game.state.requests.statements[sid]
    assert (amended.status, amended.version, amended.consents) == ("draft", 2, ())
    game.ok("team:JPN", {"type": "answer_statement", "statement_id": sid, "consent": True})
    game.refused(
        "team:JPN", {"type": "answer_statement", "statement_id": sid, "consent": True}, "already_done"
    )
    issued = game.ok("team:GBR", {"type": "answer_statement", "statement_id": sid, "consent": True})
    told = [e.body for e in issued if e.body.type == "team_notified"]
    assert sorted(b.nation for b in told) == ["GBR", "JPN", "USA"]  # the feed line of each signer
    issued = [e for e in issued if e.body.type != "team_notified"]
    assert [e.body.type for e in issued] == ["statement_answered", "statement_issued"]
    assert issued[1].audience == ("control", "all")  # PUBLIC: every seat
    assert issued[1].body.text == "We condemn interference with SATCOM."  # type: ignore[union-attr]
    assert game.state.requests.statements[sid].status == "issued"
    game.refused("team:USA", amend, "already_done")


def test_bad_drafts_are_refused() -> None:
    game = RequestGame()
    assert "drafter signs already" in game.refused("team:USA", {**STATEMENT, "cosigners": ["USA"]}, "invalid")
    assert "not played" in game.refused("team:USA", {**STATEMENT, "cosigners": ["RED"]}, "invalid")
    assert "each nation once" in game.refused(
        "team:USA", {**STATEMENT, "cosigners": ["GBR", "GBR"]}, "invalid"
    )
    rel = {"releasability": "REL", "releasable_to": ["GBR"]}
    assert "does not release to co-signers ['JPN']" in game.refused(
        "team:USA", {**STATEMENT, "marking": rel}, "invalid"
    )
    with pytest.raises(ValidationError):
        command({**STATEMENT, "cosigners": []})
    with pytest.raises(ValidationError):
        command({**STATEMENT, "text": "  "})
    game.ok("team:USA", STATEMENT)
    sid = game.last_id("statement")
    game.refused("team:USA", {"type": "answer_statement", "statement_id": sid, "consent": True}, "invalid")
    game.refused(
        "team:JPN", {"type": "answer_statement", "statement_id": "JS-nope", "consent": True}, "unknown_target"
    )


def test_a_rel_statement_reaches_its_parties_and_the_nations_its_marking_names() -> None:
    game = RequestGame()
    game.ok(
        "team:USA",
        {**STATEMENT, "cosigners": ["GBR"], "marking": {"releasability": "REL", "releasable_to": ["FVEY"]}},
    )
    issued = game.ok(
        "team:GBR", {"type": "answer_statement", "statement_id": game.last_id("statement"), "consent": True}
    )
    issued = [e for e in issued if e.body.type != "team_notified"]
    assert issued[-1].audience == ("control", "team:USA", "team:GBR")


# -- RFIs and requests for assistance ------------------------------------------------------------


def test_an_rfi_is_answered_by_the_white_cell_and_an_unanswered_one_lapses() -> None:
    game = RequestGame()
    rfi = {"type": "send_request", "kind": "rfi", "text": "Who owns the inspector?"}
    assert "white cell" in game.refused("team:USA", {**rfi, "to": "GBR"}, "invalid")
    sent = game.ok("team:USA", rfi)
    assert sent[0].audience == ("control", "team:USA")
    rid = game.last_id("ask")
    answer = {
        "type": "answer_request",
        "request_id": rid,
        "approve": True,
        "answer": "RED, per the intel cell",
    }
    game.refused("team:GBR", answer, "unknown_target")
    game.ok("white_cell", answer)
    ask = game.state.requests.asks[rid]
    assert (ask.status, ask.answer, ask.answered_by) == ("approved", "RED, per the intel cell", "white_cell")
    game.refused("white_cell", answer, "already_done")
    game.ok("team:USA", {**rfi, "text": "Is the storm G3?"})
    late = game.last_id("ask")
    lapsed = [e.body for e in game.advance() if e.body.type == "request_lapsed"]
    assert [(b.request_id, b.kind, b.move) for b in lapsed] == [(late, "rfi", 1)]  # type: ignore[union-attr]
    assert game.state.requests.asks[late].status == "lapsed"
    game.refused("white_cell", {**answer, "request_id": late}, "already_done")


def test_a_request_for_assistance_goes_to_the_named_nation() -> None:
    game = RequestGame()
    ask = {"type": "send_request", "kind": "assistance", "to": "JPN", "text": "Track red-insp for us"}
    game.refused("team:USA", {**ask, "to": "USA"}, "invalid")
    game.refused("team:USA", {**ask, "to": "ZZZ"}, "unknown_target")
    sent = game.ok("team:USA", ask)
    assert sent[0].audience == ("control", "team:USA", "team:JPN")
    deny = {
        "type": "answer_request",
        "request_id": game.last_id("ask"),
        "approve": False,
        "answer": "no sensor time",
    }
    game.refused("white_cell", deny, "unknown_target")  # JPN is played: its team answers
    game.refused("team:GBR", deny, "unknown_target")
    game.ok("team:JPN", deny)
    assert game.state.requests.asks[game.last_id("ask")].status == "denied"


def test_requests_act_only_while_a_move_is_running() -> None:
    game = RequestGame(start=False)
    game.refused("team:USA", capacity(), "wrong_phase")
    game.refused("team:USA", STATEMENT, "wrong_phase")
    game.ok("white_cell", {"type": "start_exercise"})
    game.ok("white_cell", {"type": "pause_exercise", "reason": "break"})
    game.refused("team:USA", {"type": "send_request", "kind": "rfi", "text": "?"}, "wrong_phase")


# -- the log is the truth ------------------------------------------------------------------------


def test_every_request_command_folds_to_the_state_loaded_fresh() -> None:
    """Applying each command's emitted events to the state before it equals a fresh load."""
    from wargame.eventlog.replay import fold

    game = RequestGame()
    steps: list[tuple[str, Any]] = [
        ("team:USA", capacity(units=3)),
        (
            "team:GBR",
            lambda: {
                "type": "answer_capacity",
                "request_id": game.last_id("capacity"),
                "accept": True,
                "units": 1,
                "reason": "one spare",
            },
        ),
        ("team:JPN", capacity(provider="COM", area="ISR", units=1)),
        ("team:USA", STATEMENT),
        (
            "team:JPN",
            lambda: {
                "type": "answer_statement",
                "statement_id": game.last_id("statement"),
                "consent": False,
                "reason": "too strong",
            },
        ),
        (
            "team:USA",
            lambda: {
                "type": "amend_statement",
                "statement_id": game.last_id("statement"),
                "text": "We are concerned.",
                "cosigners": ["JPN"],
            },
        ),
        (
            "team:JPN",
            lambda: {"type": "answer_statement", "statement_id": game.last_id("statement"), "consent": True},
        ),
        ("team:USA", {"type": "send_request", "kind": "rfi", "text": "Storm level?"}),
        (
            "white_cell",
            lambda: {
                "type": "answer_request",
                "request_id": game.last_id("ask"),
                "approve": False,
                "answer": "not releasable",
            },
        ),
        ("team:GBR", {"type": "send_request", "kind": "assistance", "text": "Spare ground station?"}),
        ("white_cell", {"type": "advance_move", "from_move": 1}),
    ]
    for viewer, data in steps:
        before = game.state
        emitted = game.ok(viewer, data() if callable(data) else data)
        fresh = fold(game.store.read_after(game.exercise_id, 0))
        assert fresh is not None
        assert fold(emitted, before).model_dump_json() == fresh.model_dump_json()  # type: ignore[union-attr]
    book = game.state.requests
    assert sorted(r.status for r in book.capacity.values()) == ["accepted", "lapsed"]
    assert [s.status for s in book.statements.values()] == ["issued"]
    assert sorted(a.status for a in book.asks.values()) == ["denied", "lapsed"]
