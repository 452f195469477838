"""Markings bind: who receives an inject follows its marking, its recipients and the groups."""

from __future__ import annotations

import pytest

from tests.factories import run_command
from wargame.domain.addressing import inject_audience
from wargame.domain.audience import can_see, team
from wargame.domain.common import Releasability
from wargame.domain.events import ExerciseCreated
from wargame.domain.releasability import Marking, delivered_to, marking_problem, releasable_nations, within
from wargame.domain.scenario_model import Scenario
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

REL, NOFORN, FVEY, CSPO, ALL, PUBLIC = (
    Releasability.REL, Releasability.NOFORN, Releasability.REL_FVEY, Releasability.REL_CSPO,
    Releasability.REL_ALL, Releasability.PUBLIC,
)


@pytest.fixture(scope="module")
def tutorial():  # type: ignore[no-untyped-def]
    return load_scenario(find_scenario("tutorial"))


@pytest.fixture(scope="module")
def schriever():  # type: ignore[no-untyped-def]
    return load_scenario(find_scenario("schriever-escalation"))


def test_each_marking_releases_to_what_the_groups_say(tutorial) -> None:  # type: ignore[no-untyped-def]
    assert releasable_nations(Marking(releasability=FVEY), None, tutorial) == {"USA", "GBR"}
    assert releasable_nations(Marking(releasability=CSPO), None, tutorial) == {"USA", "GBR", "JPN"}
    assert releasable_nations(Marking(releasability=NOFORN), "GBR", tutorial) == {"GBR"}
    assert releasable_nations(Marking(releasability=REL, releasable_to=("JPN",)), "USA", tutorial) == {
        "USA", "JPN"}
    assert releasable_nations(Marking(releasability=REL, releasable_to=("FVEY",)), None, tutorial) == {
        "USA", "GBR"}
    assert releasable_nations(Marking(releasability=ALL), None, tutorial) == {"USA", "GBR", "JPN"}
    assert releasable_nations(Marking(releasability=PUBLIC), None, tutorial) is None
    assert Marking(releasability=REL, releasable_to=("USA", "GBR")).label == "REL USA, GBR"


def test_recipients_and_marking_must_agree(tutorial) -> None:  # type: ignore[no-untyped-def]
    def problem(marking: Marking, recipients: tuple[str, ...], originator: str | None = None) -> str | None:
        return marking_problem(marking, originator, recipients, tutorial)

    assert problem(Marking(releasability=FVEY), ("JPN",)) == "REL FVEY does not release to JPN"
    assert problem(Marking(releasability=FVEY), ("USA", "GBR")) is None
    assert "one nation only" in (problem(Marking(releasability=NOFORN), ("USA", "GBR")) or "")
    assert "needs its one nation" in (problem(Marking(releasability=NOFORN), ()) or "")
    assert problem(Marking(releasability=NOFORN), ("GBR",)) is None
    assert "speaks for USA" in (problem(Marking(releasability=NOFORN), ("GBR",), "USA") or "")
    assert "needs the nations" in (problem(Marking(releasability=REL), ()) or "")
    assert "unknown nations or groups ['XYZ']" in (
        problem(Marking(releasability=REL, releasable_to=("XYZ",)), ()) or "")
    assert within(Marking(releasability=FVEY), Marking(releasability=CSPO), None, tutorial)
    assert not within(Marking(releasability=CSPO), Marking(releasability=FVEY), None, tutorial)
    assert delivered_to(Marking(releasability=FVEY), None, (), tutorial) == {"USA", "GBR"}


def started(scenario: Scenario, exercise_id: str) -> ExerciseService:
    """A running exercise of `scenario` with the real core on a memory store."""
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    ruleset = load_ruleset(find_ruleset(scenario.ruleset))
    service.create(exercise_id, ExerciseCreated(title="t", scenario=scenario, ruleset=ruleset, seed=1))
    assert run_command(service, exercise_id, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    return service


def test_a_rel_fvey_inject_without_recipients_reaches_usa_and_gbr_not_jpn(tutorial) -> None:  # type: ignore[no-untyped-def]
    service = started(tutorial, "rel")
    result = run_command(service, "rel", "white_cell", {
        "type": "adhoc_inject", "inject_type": "message", "title": "Five Eyes only",
        "text": "FVEY-ONLY-TEXT", "releasability": "REL FVEY"})
    assert result["status"] == "accepted", result
    event = service.store.read_after("rel", result["seq"] - 1)[0]
    assert [v for v in ("team:USA", "team:GBR", "team:JPN", "observer") if can_see(event.audience, v)] == [
        "team:USA", "team:GBR"]
    refused = run_command(service, "rel", "white_cell", {
        "type": "adhoc_inject", "inject_type": "message", "title": "x", "releasability": "REL FVEY",
        "recipients": ["JPN"]})
    assert refused["code"] == "invalid" and "REL FVEY does not release to JPN" in refused["message"]
    named = run_command(service, "rel", "white_cell", {
        "type": "adhoc_inject", "inject_type": "message", "title": "x", "releasability": "REL",
        "releasable_to": ["JPN"], "recipients": ["JPN"]})
    assert named["status"] == "accepted", named  # an ad-hoc inject may be marked REL <nations>


def test_sw021_rel_cspo_never_reaches_red_or_the_commercial_team(schriever) -> None:  # type: ignore[no-untyped-def]
    inject = schriever.inject("sw-021")
    assert inject is not None and inject.releasability is CSPO
    from wargame.domain.evolve import initial_state

    ruleset = load_ruleset(find_ruleset(schriever.ruleset))
    state = initial_state("sw", ExerciseCreated(title="t", scenario=schriever, ruleset=ruleset, seed=1))
    audience = inject_audience(inject, state)
    assert not can_see(audience, team("RED")) and not can_see(audience, team("COM"))
    assert can_see(audience, team("USA")) and can_see(audience, team("JPN"))
    for each in schriever.msel:  # no shipped inject contradicts its marking
        assert marking_problem(each.marking, schriever.originator(each), each.recipients, schriever) is None


def test_ids_made_in_play_carry_no_sequence_number() -> None:
    from tests.factories import make_created

    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    service.create("ids", make_created())
    run_command(service, "ids", "white_cell", {"type": "start_exercise"})
    chat = run_command(service, "ids", "team:USA", {"type": "post_chat", "channel": "team", "text": "hi"})
    state = service.state("ids")
    (message,) = state.chat
    assert message.message_id.startswith("M-") and len(message.message_id) == 12
    assert message.message_id != f"M{chat['seq']}"
    assert state.id_salt and len(state.id_salt) == 32  # secret, control-only (exercise_created)
    twin = ExerciseService(MemoryEventStore(), InlineAdjudicator())  # the same commands again
    twin.create("ids", make_created())
    run_command(twin, "ids", "white_cell", {"type": "start_exercise"})
    run_command(twin, "ids", "team:USA", {"type": "post_chat", "channel": "team", "text": "hi"})
    assert twin.state("ids").chat[0].message_id != message.message_id  # nothing to line up ids with


def test_a_team_cannot_attribute_an_inject_it_was_never_told_of(tutorial) -> None:  # type: ignore[no-untyped-def]
    """Acceptance of a public attribution told JPN that a REL FVEY inject it never received exists
    (and broadcast its id to every seat); RED could probe schriever's sw-021 the same way."""
    service = started(tutorial, "attr")
    released = run_command(service, "attr", "white_cell", {
        "type": "adhoc_inject", "inject_type": "message", "title": "Five Eyes only",
        "releasability": "REL FVEY"})
    assert released["status"] == "accepted", released
    adhoc = next(i for i in service.state("attr").injects if i.startswith("ADHOC-"))

    def attribute(nation: str, inject_id: str) -> dict[str, object]:
        order = {"kind": "public_attribution", "inject_id": inject_id, "accused": "RED",
                 "likelihood": "likely"}
        return run_command(service, "attr", f"team:{nation}", {"type": "submit_order", "order": order})

    probe = attribute("JPN", adhoc)
    unreleased = attribute("JPN", "inj-009")
    assert probe["status"] == unreleased["status"] == "rejected"
    assert probe["message"] == f"no released event {adhoc!r} to attribute"  # as if it did not exist
    assert attribute("GBR", adhoc)["status"] == "accepted"  # GBR received it
    to_gbr = run_command(service, "attr", "white_cell", {
        "type": "adhoc_inject", "inject_type": "message", "title": "For GBR", "releasability": "REL CSPO",
        "recipients": ["GBR"]})
    assert to_gbr["status"] == "accepted"
    second = next(i for i in service.state("attr").injects if i.startswith("ADHOC-") and i != adhoc)
    assert attribute("JPN", second)["status"] == "rejected"
    forwarded = run_command(service, "attr", "team:GBR", {
        "type": "forward_inject", "inject_id": second,
        "marking": {"releasability": "REL", "releasable_to": ["JPN"]}})
    assert forwarded["status"] == "accepted", forwarded
    assert attribute("JPN", second)["status"] == "accepted"  # told by GBR's forward


def test_an_assessment_is_released_no_wider_than_the_inject_it_is_about(tutorial) -> None:  # type: ignore[no-untyped-def]
    """Derivative items inherit their source's releasability: GBR's assessments product (REL
    USA, under the Five Eyes agreement, so in force at once) carries its assessment of a REL FVEY
    jamming to USA, but not its assessment of inj-003, which GBR received NOFORN."""
    service = started(tutorial, "derived")
    release = {"type": "release_product", "product": {"kind": "assessments"},
               "marking": {"releasability": "REL", "releasable_to": ["USA"]}}
    assert run_command(service, "derived", "team:GBR", release)["status"] == "accepted"
    jamming = {"type": "adhoc_inject", "inject_type": "uplink_jamming", "title": "Five Eyes jamming",
               "target": "gbr-skynet-5d", "actor": "RED", "releasability": "REL FVEY", "recipients": ["GBR"]}
    assert run_command(service, "derived", "white_cell", jamming)["status"] == "accepted"
    adhoc = next(i for i in service.state("derived").injects if i.startswith("ADHOC-"))
    for move in (1, 2):
        advance = {"type": "advance_move", "from_move": move}
        assert run_command(service, "derived", "white_cell", advance)["status"] == "accepted"
    assessed = {
        e.body.inject_id: e.body for e in service.store.read_after("derived", 0)
        if e.body.type == "threat_assessed" and e.body.nation == "GBR"
    }
    assert set(assessed) >= {adhoc, "inj-003"}
    assert set(assessed[adhoc].shared_with) == {"USA"}
    assert assessed["inj-003"].shared_with == {}  # NOFORN to GBR: USA never hears of it this way
    usa = service.state("derived").nations["USA"]
    assert {a.inject_id for a in usa.assessments if a.shared_by == "GBR"} == {adhoc}


def test_a_forward_can_sanitize_title_and_text_and_a_forward_of_it_keeps_them(tutorial) -> None:  # type: ignore[no-untyped-def]
    """JPN forwards inj-002 (REL CSPO) to GBR with a sanitized title and text; GBR's own forward
    on to USA carries JPN's sanitized words, not the original's."""
    service = started(tutorial, "sanitize")
    original = service.state("sanitize").injects["inj-002"].inject
    cspo = {"releasability": "REL CSPO"}
    words = ("Conjunction on a Japanese satellite", "Pc above threshold (details withheld)")
    sanitized = {"type": "forward_inject", "inject_id": "inj-002", "marking": cspo, "recipients": ["GBR"],
                 "title": words[0], "text": words[1]}
    assert run_command(service, "sanitize", "team:JPN", sanitized)["status"] == "accepted"
    onward = {"type": "forward_inject", "inject_id": "inj-002", "marking": cspo, "recipients": ["USA"]}
    assert run_command(service, "sanitize", "team:GBR", onward)["status"] == "accepted"
    jpn, gbr = service.state("sanitize").forwards
    assert (jpn.title, jpn.text) == words
    assert (gbr.title, gbr.text) == (jpn.title, jpn.text) != (original.title, original.text)
