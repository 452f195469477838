"""What global-sentinel and schriever-escalation exercise, and that each scenario plays 2 moves headless."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import AdvanceMove, StartExercise
from wargame.domain.common import InjectType, MissionArea, Releasability
from wargame.domain.events import ExerciseCreated
from wargame.domain.scenario_model import Scenario
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, load_ruleset, load_scenario
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

REPO = Path(__file__).resolve().parents[2]
CSPO = {"USA", "GBR", "CAN", "AUS", "NZL", "DEU", "FRA", "JPN", "ITA", "NOR"}
DOMAIN_SITES = {
    "usa-space-fence": (8.72, 167.73),
    "aus-cband-exmouth": (-21.82, 114.17),
    "usa-geodss-socorro": (33.82, -106.66),
    "gbr-fylingdales": (54.36, -0.67),
    "fra-graves": (47.35, 5.52),
    "deu-gestra": (50.35, 7.65),
    "jpn-bisei": (34.67, 133.54),
    "nor-globus-ii": (70.37, 31.13),
    "nzl-kiwi-radar": (-45.0, 170.15),
}


def load(name: str) -> Scenario:
    return load_scenario(REPO / "scenarios" / f"{name}.yaml")


@pytest.fixture(scope="module")
def sentinel() -> Scenario:
    return load("global-sentinel")


@pytest.fixture(scope="module")
def schriever() -> Scenario:
    return load("schriever-escalation")


def test_global_sentinel_size_and_structure(sentinel: Scenario) -> None:
    played = [n for n in sentinel.nations if n.played]
    assert len(played) >= 12
    assert len({n.center for n in played}) >= 3
    assert len(sentinel.sensors) >= 40
    for sensor_id, (lat, lon) in DOMAIN_SITES.items():
        sensor = next(s for s in sentinel.sensors if s.id == sensor_id)
        assert (sensor.lat_deg, sensor.lon_deg) == (lat, lon)
    allied = [o for o in sentinel.objects if o.owner in {n.id for n in played}]
    assert len(allied) >= 150
    assert {MissionArea.PNT, MissionArea.SATCOM, MissionArea.ISR, MissionArea.MISSILE_WARNING,
            MissionArea.WEATHER} <= {o.mission for o in allied}
    assert any(s.model == "space_based_optical" for s in sentinel.sensors)  # SSA from orbit
    assert len([o for o in sentinel.objects if o.owner == "RED"]) >= 10
    background = [o for o in sentinel.objects if o.id.startswith(("bg-", "frag-"))]
    assert len(background) >= 20_000
    assert sentinel.moves == 8


def test_global_sentinel_msel(sentinel: Scenario) -> None:
    msel = sentinel.msel
    assert len(msel) >= 30
    assert {i.type for i in msel} == set(InjectType)
    assert {i.trigger for i in msel} == {"time", "manual", "condition"}
    assert sum(i.contingency for i in msel) >= 3
    assert all(i.objectives and i.persona for i in msel)
    assert {o.id for o in sentinel.objectives} == {g for i in msel for g in i.objectives}
    assert all(o.capability and o.criteria for o in sentinel.objectives)
    rel = [i for i in msel if i.releasability is Releasability.REL]
    assert rel and all(i.releasable_to for i in rel)
    persona_names = {p.id: p.name for p in sentinel.personas}
    assert all(i.sender == persona_names[i.persona] for i in msel if i.persona)
    kinds = {next(k for k in ("after_inject", "inject_resolved", "asset_status", "escalation_at_least",
                              "capability_below", "all_of") if getattr(i.condition, k) is not None)
             for i in msel if i.condition}
    assert kinds == {"after_inject", "inject_resolved", "asset_status", "escalation_at_least",
                     "capability_below", "all_of"}


def test_schriever_cells_and_escalation(schriever: Scenario) -> None:
    sides = {n.id: (n.side, n.played) for n in schriever.nations}
    assert {n for n, (side, _) in sides.items() if side == "blue"} == CSPO
    assert sides["RED"] == ("red", True)
    commercial = [n for n, (side, played) in sides.items() if side == "commercial" and played]
    assert commercial == ["COM"]
    assert any(s.owner == "COM" for s in schriever.sensors)
    assert any(s.owner == "RED" for s in schriever.sensors)
    rules = load_ruleset(REPO / "rulesets" / "standard.yaml")
    levels = {rules.effects[i.type].escalation_level for i in schriever.msel if i.type in rules.effects}
    assert set(range(7)) <= levels  # every rung, grey zone to kinetic and nuclear
    kinetic = [i for i in schriever.msel if i.type in (InjectType.CO_ORBITAL, InjectType.DIRECT_ASCENT_ASAT)]
    assert kinetic and all(not i.contingency for i in kinetic)
    follow_ups = Counter(i.trigger for i in schriever.msel)
    assert follow_ups["condition"] >= 5 and follow_ups["manual"] >= 2


@pytest.mark.parametrize("name", ["tutorial", "schriever-escalation", "global-sentinel"])
def test_scenario_plays_two_moves_headless(name: str) -> None:
    started = time.perf_counter()
    scenario = load(name)
    ruleset = load_ruleset(find_ruleset(scenario.ruleset))
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    service.create("x", ExerciseCreated(title=scenario.title, scenario=scenario, ruleset=ruleset,
                                        seed=scenario.seed))
    white = Seat(role=Role.WHITE_CELL)
    assert service.handle("x", white, "start", StartExercise(type="start_exercise"))["status"] == "accepted"
    for move in (1, 2):
        result = service.handle("x", white, f"adv{move}", AdvanceMove(type="advance_move", from_move=move))
        assert result["status"] == "accepted", result
    state = service.state("x")
    assert (state.phase, state.move) == ("running", 3)
    assert set(state.metrics_by_move) == {1, 2}
    timed = {i.id for i in scenario.msel if i.trigger == "time" and i.move <= 3}
    released = {k for k, e in state.injects.items() if e.released_move is not None}
    assert timed <= released
    assert not any(state.injects[i.id].released_move for i in scenario.msel if i.contingency)
    assert all(state.nations[n].picture_ref is not None for n in state.played_nations())
    print(f"{name}: {len(scenario.objects)} objects, 2 moves headless in "
          f"{time.perf_counter() - started:.1f} s")
