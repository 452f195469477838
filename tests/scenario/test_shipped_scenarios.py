"""What the shipped scenarios exercise, that their markings agree with their recipients, and that
each one plays 2 moves headless."""

from __future__ import annotations

import time
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import AdvanceMove, StartExercise
from wargame.domain.common import InjectType, MissionArea, Releasability
from wargame.domain.events import ExerciseCreated
from wargame.domain.scenario_model import Inject, Scenario
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, load_ruleset, load_scenario
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ["tutorial", "regional-sentinel", "schriever-escalation", "global-sentinel"]
FVEY = {"USA", "GBR", "CAN", "AUS", "NZL"}
CSPO = {"USA", "GBR", "CAN", "AUS", "NZL", "DEU", "FRA", "JPN", "ITA", "NOR"}
GS22_NATIONS = {
    "USA", "AUS", "BEL", "BRA", "CAN", "DEU", "ISR", "ESP", "FIN", "FRA", "GBR", "GRC", "ITA",
    "JPN", "KOR", "NLD", "NOR", "NZL", "PER", "POL", "PRT", "ROU", "SWE", "THA", "UKR",
}
"""The 25 participants of Global Sentinel 22 (U.S. Space Command, 3 August 2022)."""
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
COMMON_INJECT_TYPES = {
    InjectType.CONJUNCTION, InjectType.CLOSE_APPROACH, InjectType.UPLINK_JAMMING,
    InjectType.DOWNLINK_JAMMING, InjectType.LASER_DAZZLE, InjectType.SPACE_WEATHER,
}


@cache
def load(name: str) -> Scenario:
    """Each shipped scenario, loaded once for this module (scenarios are immutable)."""
    return load_scenario(REPO / "scenarios" / f"{name}.yaml")


def releasable_to(scenario: Scenario, inject: Inject) -> set[str]:
    """The nations an inject's marking allows, by the releasability model of issue 10; raises
    ValueError when the marking and the recipients contradict each other.

    NOFORN: one nation only (the single recipient, or the persona's nation when there are no
    recipients); REL: the named nations; REL FVEY / REL CSPO: the played nations in that group;
    REL ALL-PARTICIPANTS: every played nation not on the red side; PUBLIC: every played nation.
    Recipients must be among them; no recipients means everyone the marking allows.
    """
    played = [n for n in scenario.nations if n.played]
    marking = inject.releasability
    if marking is Releasability.NOFORN:
        persona = scenario.persona(inject.persona) if inject.persona else None
        if len(inject.recipients) == 1:
            allowed = set(inject.recipients)
        elif not inject.recipients and persona is not None and persona.nation is not None:
            allowed = {persona.nation}
        else:
            raise ValueError(f"{inject.id}: NOFORN needs one recipient, not {list(inject.recipients)}")
    elif marking is Releasability.REL:
        allowed = set(inject.releasable_to)
    elif marking in (Releasability.REL_FVEY, Releasability.REL_CSPO):
        group = "FVEY" if marking is Releasability.REL_FVEY else "CSPO"
        allowed = {n.id for n in played if group in n.groups}
    elif marking is Releasability.REL_ALL:
        allowed = {n.id for n in played if n.side != "red"}
    else:
        allowed = {n.id for n in played}
    outside = set(inject.recipients) - allowed
    if outside:
        raise ValueError(f"{inject.id}: {marking.value} does not allow {sorted(outside)}")
    if not allowed:
        raise ValueError(f"{inject.id}: {marking.value} reaches nobody")
    return set(inject.recipients) or allowed


@pytest.fixture(scope="module")
def sentinel() -> Scenario:
    return load("global-sentinel")


@pytest.fixture(scope="module")
def regional() -> Scenario:
    return load("regional-sentinel")


@pytest.fixture(scope="module")
def schriever() -> Scenario:
    return load("schriever-escalation")


def test_releasability_rule_refuses_contradictions(sentinel: Scenario) -> None:
    noforn = next(i for i in sentinel.msel if i.releasability is Releasability.NOFORN and i.recipients)
    with pytest.raises(ValueError, match="one recipient"):
        releasable_to(sentinel, noforn.model_copy(update={"recipients": ("GBR", "USA")}))
    fvey = next(i for i in sentinel.msel if i.releasability is Releasability.REL_FVEY)
    with pytest.raises(ValueError, match="does not allow"):
        releasable_to(sentinel, fvey.model_copy(update={"recipients": ("JPN",)}))
    assert releasable_to(sentinel, fvey.model_copy(update={"recipients": ()})) == FVEY
    everyone = fvey.model_copy(update={"recipients": (), "releasability": Releasability.REL_ALL})
    assert releasable_to(sentinel, everyone) == GS22_NATIONS


@pytest.mark.parametrize("name", SHIPPED)
def test_every_inject_marking_agrees_with_its_recipients(name: str) -> None:
    scenario = load(name)
    for inject in scenario.msel:
        releasable_to(scenario, inject)  # raises on a contradiction


def test_global_sentinel_is_global_sentinel_22(sentinel: Scenario) -> None:
    played = [n for n in sentinel.nations if n.played]
    assert {n.id for n in played} == GS22_NATIONS
    assert all(n.center for n in played) and len({n.center for n in played}) >= 3
    assert {n.id for n in played if "FVEY" in n.groups} == FVEY
    assert {n.id for n in played if "CSPO" in n.groups} == CSPO
    red = sentinel.nation("RED")
    assert red is not None and (red.side, red.played) == ("red", False)
    assert len(sentinel.sensors) >= 50  # GS22 used 50 real sensors
    assert {s.owner for s in sentinel.sensors} == GS22_NATIONS
    for sensor_id, (lat, lon) in DOMAIN_SITES.items():
        sensor = next(s for s in sentinel.sensors if s.id == sensor_id)
        assert (sensor.lat_deg, sensor.lon_deg) == (lat, lon)
    assert any(s.model == "space_based_optical" for s in sentinel.sensors)  # SSA from orbit
    allied = [o for o in sentinel.objects if o.owner in GS22_NATIONS]
    assert len(allied) >= 170
    assert {MissionArea.PNT, MissionArea.SATCOM, MissionArea.ISR, MissionArea.MISSILE_WARNING,
            MissionArea.WEATHER} <= {o.mission for o in allied}
    assert len([o for o in sentinel.objects if o.owner == "RED"]) >= 10
    assert len(sentinel.objects) >= 47_000  # today's public catalog
    background = [o for o in sentinel.objects if o.id.startswith(("bg-", "frag-"))]
    assert len(background) >= 46_000
    assert (sentinel.moves, sentinel.move_length_hours) == (8, 6.0)


def test_global_sentinel_msel(sentinel: Scenario) -> None:
    msel = sentinel.msel
    assert len(msel) >= 45
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


def test_every_global_sentinel_team_has_injects_of_its_own(sentinel: Scenario) -> None:
    """Each of the 25 teams is reached by at least one inject that is not a broadcast to all."""
    reached: Counter[str] = Counter()
    for inject in sentinel.msel:
        nations = releasable_to(sentinel, inject)
        if nations != GS22_NATIONS:
            reached.update(nations)
    assert set(reached) == GS22_NATIONS, GS22_NATIONS - set(reached)
    markings = {i.releasability for i in sentinel.msel}
    assert markings == set(Releasability)


def test_regional_sentinel_is_a_quick_start(regional: Scenario) -> None:
    played = [n for n in regional.nations if n.played]
    assert len(played) >= 8 and len({n.center for n in played}) == 1  # one regional centre
    red = regional.nation("RED")
    assert red is not None and (red.side, red.played) == ("red", False)
    assert 4_000 <= len(regional.objects) <= 6_000
    assert 15 <= len(regional.sensors) <= 25
    assert {s.owner for s in regional.sensors} == {n.id for n in played}
    assert (regional.moves, regional.move_length_hours) == (4, 6.0)
    msel = regional.msel
    assert 12 <= len(msel) <= 20
    types = {i.type for i in msel}
    assert COMMON_INJECT_TYPES <= types
    assert types & {InjectType.CYBER_INTERCEPT, InjectType.CYBER_CORRUPTION, InjectType.CYBER_SEIZURE}
    assert any(i.contingency and i.trigger == "manual" for i in msel)
    conditions = [i.condition for i in msel if i.condition is not None]
    assert any(c.after_inject for condition in conditions for c in condition.walk())  # a follow-up
    assert all(i.objectives and i.persona for i in msel)
    assert {o.id for o in regional.objectives} == {g for i in msel for g in i.objectives}
    assert all(o.capability and o.criteria for o in regional.objectives)
    assert len(regional.personas) >= 5
    assert {i.releasability for i in msel} >= {Releasability.NOFORN, Releasability.REL, Releasability.PUBLIC}


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


@pytest.mark.parametrize("name", SHIPPED)
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
