"""The tutorial's GEO close approach, as its controller notes intend: only nations whose sensors
see the inspector are warned, notice the approach and can attribute it."""

from __future__ import annotations

from tests.scenario.test_shipped_scenarios import load
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import AdvanceMove, StartExercise
from wargame.domain.events import CloseApproachDetected, ExerciseCreated, ThreatAssessed
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, load_ruleset
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService


def test_only_nations_tracking_the_inspector_see_the_approach_coming() -> None:
    scenario = load("tutorial")
    (rpo,) = [i for i in scenario.msel if i.id == "inj-004"]
    assert rpo.move == 2 and rpo.params["approacher"] == "red-inspector-1"
    store = MemoryEventStore()
    service = ExerciseService(store, InlineAdjudicator())
    created = ExerciseCreated(
        title=scenario.title, scenario=scenario, ruleset=load_ruleset(find_ruleset(scenario.ruleset)),
        seed=scenario.seed,
    )
    service.create("t", created)
    white = Seat(role=Role.WHITE_CELL)
    service.handle("t", white, "start", StartExercise(type="start_exercise"))
    for move in (1, 2):
        service.handle("t", white, f"adv{move}", AdvanceMove(type="advance_move", from_move=move))
    bodies = [e.body for e in store.read_after("t", 0)]
    assessed = {b.nation: b for b in bodies if isinstance(b, ThreatAssessed) and b.inject_id == "inj-004"}
    approacher = rpo.params["approacher"]
    noticed = {b.nation for b in bodies if isinstance(b, CloseApproachDetected) and b.other_id == approacher}
    # JPN (Bisei, the Sanyo deep-space radar) and USA (GEODSS) track GEO; GBR's radar does not.
    assert {n for n, a in assessed.items() if a.warned} == {"USA", "JPN"} == noticed
    # GBR neither received the NOFORN report to JPN nor saw the approach: it assesses nothing.
    assert set(assessed) == {"USA", "JPN"}
    prior = load_ruleset(find_ruleset(scenario.ruleset)).attribution.prior_pct[rpo.type]
    for nation in ("USA", "JPN"):
        assert "custody:red-inspector-1" in assessed[nation].evidence
        assert assessed[nation].likelihood_pct > prior
