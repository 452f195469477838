"""Warning time and attribution: evidence per nation, the ICD 203 words, the reference twin."""

from __future__ import annotations

import math

import numpy as np
import pytest
from adj_builders import adjudicate, make_ruleset
from threat_builders import apply_events as _apply
from threat_builders import attribution_state

from wargame.adjudication.attribution import confidence_levels, likelihood_labels, likelihood_pct
from wargame.adjudication.threat_reference import (
    reference_confidence,
    reference_label,
    reference_likelihood_pct,
)
from wargame.domain.addressing import address
from wargame.domain.audience import team
from wargame.domain.common import InjectType, Releasability
from wargame.domain.events import AssetStatusChanged, EventBody, MoveAdvanced, PictureUpdated, ThreatAssessed
from wargame.domain.evolve import evolve_body
from wargame.domain.scenario_model import Inject
from wargame.protocol.projection import PLAYER_SAFE_EVENTS
from wargame.protocol.views_state import team_view

RULES = make_ruleset()
ALL = Releasability.REL_ALL
"""The tests' injects reach every team (who gets an assessment: test_only_those_who_know)."""


def _assessed(events: list[EventBody]) -> dict[tuple[str, str], ThreatAssessed]:
    return {(e.inject_id, e.nation): e for e in events if isinstance(e, ThreatAssessed)}


def test_evidence_per_nation_and_icd203_words() -> None:
    jam = Inject(
        releasability=ALL, id="jam", title="jam", type=InjectType.UPLINK_JAMMING, target="GBR-SKYNET",
        actor="RED",
    )
    asat = Inject(
        releasability=ALL,
        id="asat",
        title="asat",
        type=InjectType.DIRECT_ASCENT_ASAT,
        target="JPN-IGS",
        actor="RED",
        offset_hours=2.0,
    )
    state = attribution_state(jam, asat)
    published = {"nation": "USA", "inject_id": "jam", "accused": "RED", "likelihood": "likely"}
    state = state.model_copy(update={"attributions": (published,)})
    got = _assessed(adjudicate(state))
    assert set(got) == {(i, n) for i in ("jam", "asat") for n in ("USA", "GBR", "JPN")}
    gbr = got["jam", "GBR"]
    assert gbr.evidence == ("rf_geolocation:GBR-RF", "public_attribution:USA")
    # prior 25 % -> odds 1/3, times 5 (RF) times 2 (public) -> 10/3 -> 76.9 %
    assert math.isclose(gbr.likelihood_pct, 100.0 * 10.0 / 13.0)
    assert (gbr.likelihood_label, gbr.confidence) == ("likely", "moderate")
    usa = got["jam", "USA"]
    assert usa.evidence == () and usa.likelihood_pct == 25.0 and usa.likelihood_label == "unlikely"
    assert usa.confidence == "low"
    assert got["jam", "JPN"].evidence == ("public_attribution:USA",)
    usa_asat = got["asat", "USA"]
    assert usa_asat.evidence == ("missile_warning:USA-SBIRS",)
    assert math.isclose(usa_asat.likelihood_pct, 100.0 * 22.5 / 23.5)
    assert usa_asat.likelihood_label == "almost certain"
    assert got["asat", "GBR"].likelihood_label == "likely"
    # Every nation's picture held RED's objects at the start: warned for the offset of the effect.
    assert usa_asat.warned and usa_asat.warning_time_h == 2.0
    assert got["jam", "GBR"].warned and got["jam", "GBR"].warning_time_h == 0.0


def test_jammer_site_from_params_and_custody_of_the_approacher() -> None:
    jam = Inject(
        releasability=ALL,
        id="jam",
        title="jam",
        type=InjectType.UPLINK_JAMMING,
        target="USA-WGS",
        actor="RED",
        params={"site_lat_deg": 40.0, "site_lon_deg": 135.0},
    )
    rpo = Inject(
        releasability=ALL,
        id="rpo",
        title="rpo",
        type=InjectType.CLOSE_APPROACH,
        target="JPN-IGS",
        actor="RED",
        params={"approacher": "RED-INSP", "range_km": 4.0},
    )
    got = _assessed(adjudicate(attribution_state(jam, rpo)))
    assert got["jam", "JPN"].evidence == ("rf_geolocation:JPN-RF",)
    assert got["jam", "GBR"].evidence == ()
    for nation in ("USA", "GBR", "JPN"):
        assert got["rpo", nation].evidence == ("custody:RED-INSP",)
        assert got["rpo", nation].warned


def test_no_assessment_without_actor_or_for_natural_events() -> None:
    storm = Inject(releasability=ALL, id="sw", title="storm", type=InjectType.SPACE_WEATHER, actor="RED")
    anon = Inject(
        releasability=ALL, id="jam", title="jam", type=InjectType.UPLINK_JAMMING, target="GBR-SKYNET"
    )
    assert not _assessed(adjudicate(attribution_state(storm, anon)))


def test_warning_needs_a_held_track_and_grows_with_the_history() -> None:
    rpo = Inject(
        releasability=ALL,
        id="rpo",
        title="rpo",
        type=InjectType.CLOSE_APPROACH,
        target="JPN-IGS",
        actor="RED",
        params={"approacher": "RED-INSP", "range_km": 4.0},
        offset_hours=1.5,
    )
    # GBR has no public catalog: at the start it holds its own payloads only, not the approacher.
    got = _assessed(adjudicate(attribution_state(rpo, catalog_denied=("GBR",))))
    assert not got["rpo", "GBR"].warned and got["rpo", "GBR"].warning_time_h is None
    assert got["rpo", "USA"].warned and got["rpo", "USA"].warning_time_h == 1.5
    # One move later, with the move-1 picture as the previous picture: 6 h more warning.
    first = adjudicate(attribution_state())
    later = _apply(attribution_state(rpo), [e for e in first if isinstance(e, PictureUpdated)])
    later = evolve_body(later, MoveAdvanced(move=2, scenario_time=later.move_start(2)))
    again = _assessed(adjudicate(later))
    assert again["rpo", "USA"].warning_time_h == 7.5


def test_assessments_reach_the_nation_only_and_fold_into_its_snapshot() -> None:
    jam = Inject(
        releasability=ALL, id="jam", title="jam", type=InjectType.UPLINK_JAMMING, target="GBR-SKYNET",
        actor="RED",
    )
    state = attribution_state(jam)
    events = adjudicate(state)
    gbr = next(e for e in events if isinstance(e, ThreatAssessed) and e.nation == "GBR")
    assert address(gbr, state) == ("control", team("GBR"))
    assert "threat_assessed" in PLAYER_SAFE_EVENTS and "debris_created" not in PLAYER_SAFE_EVENTS
    after = _apply(state, events)
    (assessment,) = after.nations["GBR"].assessments
    assert assessment.inject_id == "jam" and assessment.move == 1
    view = team_view(after, "GBR", 0).model_dump(mode="json")
    assert view["assessments"][0]["likelihood_label"] == gbr.likelihood_label


@pytest.mark.parametrize("seed", range(20))
def test_scoring_matches_the_reference_on_random_inputs(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m, k = int(rng.integers(1, 12)), int(rng.integers(1, 6))
    prior = rng.uniform(0.5, 99.5, m)
    evidence = rng.random((m, k)) < 0.5
    ratios = rng.uniform(0.2, 30.0, k)
    rules = RULES.attribution
    fast = likelihood_pct(prior, evidence, ratios, rules.min_pct, rules.max_pct)
    slow = [
        reference_likelihood_pct(float(p), e.tolist(), ratios.tolist(), rules.min_pct, rules.max_pct)
        for p, e in zip(prior, evidence, strict=True)
    ]
    assert fast.tolist() == slow
    assert likelihood_labels(fast, rules.scale) == [reference_label(p, rules.scale) for p in slow]
    n_kinds = evidence.sum(axis=1)
    assert confidence_levels(n_kinds, rules) == [reference_confidence(int(n), rules) for n in n_kinds]


def test_jamming_a_ground_radar_is_geolocated_near_its_site() -> None:
    """An RF sensor near the attacked radar's site gives evidence; one far away does not."""
    jam = Inject(releasability=ALL, id="jam", title="jam the radar link", type=InjectType.UPLINK_JAMMING,
                 target="KAMISAIBARA", actor="RED")
    state = attribution_state(jam)
    effects = dict(state.ruleset.effects)
    effects[InjectType.UPLINK_JAMMING] = effects[InjectType.UPLINK_JAMMING].model_copy(
        update={"targets": ("objects", "sensors")}
    )
    state = state.model_copy(update={"ruleset": state.ruleset.model_copy(update={"effects": effects})})
    got = _assessed(adjudicate(state))
    assert got["jam", "JPN"].evidence == ("rf_geolocation:JPN-RF",)  # Japan's RF sensor is near
    assert got["jam", "GBR"].evidence == () and got["jam", "USA"].evidence == ()


def test_only_those_who_know_of_an_inject_assess_it() -> None:
    """The report reached GBR only (NOFORN); JPN's satellite was jammed and JPN noticed (the owner
    notices jamming); USA neither received it nor saw the effect: no assessment for USA."""
    jam = Inject(id="jam", title="jam", type=InjectType.UPLINK_JAMMING, target="JPN-IGS", actor="RED",
                 recipients=("GBR",))
    spoof = Inject(id="spoof", title="spoof", type=InjectType.SPOOFING, target="USA-GPS", actor="RED",
                   recipients=("GBR",))
    events = adjudicate(attribution_state(jam, spoof))
    got = _assessed(events)
    hit = {e.inject_id for e in events if isinstance(e, AssetStatusChanged)}
    assert {n for (i, n) in got if i == "jam"} == {"GBR"} | ({"JPN"} if "jam" in hit else set())
    assert ("spoof", "USA") not in got  # a spoof nobody noticed stays hidden from its victim
