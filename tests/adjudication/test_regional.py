"""A downlink jammer with a named site denies service only over a region: the owner loses that
share of the satellite's footprint, and its team reads where."""

from __future__ import annotations

import math

import pytest
from adj_builders import adjudicate, after, make_ruleset, make_state

from wargame.adjudication.manoeuvres import Truth
from wargame.adjudication.regional import EARTH_RADIUS_KM, footprint_share
from wargame.adjudication.scores import capability
from wargame.domain.common import AssetStatus, InjectType, MissionArea
from wargame.domain.events import AssetStatusChanged, InjectResolved, MoveAdjudicated
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState
from wargame.scenario.loader import find_ruleset, load_ruleset

STANDARD = load_ruleset(find_ruleset("standard"))
RADIUS_KM = STANDARD.effects[InjectType.DOWNLINK_JAMMING].region_radius_km or 0.0
DEGRADED = STANDARD.capability.service_by_status[AssetStatus.DEGRADED]


def _state(*injects: Inject) -> ExerciseState:
    effects = dict(make_ruleset().effects)
    for kind in (InjectType.DOWNLINK_JAMMING, InjectType.UPLINK_JAMMING):
        effects[kind] = STANDARD.effects[kind]
    state = make_state(ruleset=make_ruleset(effects=effects, capability=STANDARD.capability), injects=injects)
    forced = {k: v.model_copy(update={"forced": "hit"}) for k, v in state.injects.items()}
    return state.model_copy(update={"injects": forced})


def _jam(inject_id: str = "jam", kind: InjectType = InjectType.DOWNLINK_JAMMING, site: bool = True) -> Inject:
    params = {"site_lat_deg": 38.0, "site_lon_deg": 121.5} if site else {}
    return Inject(id=inject_id, title="jam", type=kind, target="USA-WGS", actor="RED", params=params)


def _usa_satcom(state: ExerciseState) -> list[str]:
    return [o.id for o in state.scenario.objects if o.owner == "USA" and o.mission is MissionArea.SATCOM]


def _satcom(events: list[object]) -> float:
    summary = next(e for e in events if isinstance(e, MoveAdjudicated))
    return summary.capability["USA"]["SATCOM"]


def test_the_ruleset_confines_downlink_jamming_to_a_radius() -> None:
    assert RADIUS_KM == 500.0
    assert STANDARD.effects[InjectType.UPLINK_JAMMING].region_radius_km is None


def test_footprint_share_is_the_ratio_of_cap_areas() -> None:
    state = make_state()
    geo = state.assets["USA-WGS"].orbit
    a_km = 42164.17
    expected = (1 - math.cos(RADIUS_KM / EARTH_RADIUS_KM)) / (1 - EARTH_RADIUS_KM / a_km)
    assert footprint_share(RADIUS_KM, geo) == pytest.approx(expected, rel=1e-3)
    assert footprint_share(20_000.0, geo) == 1.0


def test_a_sited_downlink_jam_denies_only_its_region() -> None:
    state = _state(_jam())
    events = adjudicate(state)
    changed = [e for e in events if isinstance(e, AssetStatusChanged) and e.asset_id == "USA-WGS"]
    assert [e.status for e in changed] == [AssetStatus.DEGRADED]
    assert changed[0].team_cause == "service denied within 500 km of 38.0N 121.5E"
    resolved = next(e for e in events if isinstance(e, InjectResolved))
    assert resolved.details["region"] == changed[0].team_cause
    share = footprint_share(RADIUS_KM, state.assets["USA-WGS"].orbit)
    usa_satcom = _usa_satcom(state)
    expected = (len(usa_satcom) - 1 + (1.0 - share * (1.0 - DEGRADED))) / len(usa_satcom)
    assert _satcom(events) == pytest.approx(expected)
    # The next move reads the region from the asset's cause.
    later = after(state, events).model_copy(update={"move": 2})
    assert Truth.of(later).regional_share == {"USA-WGS": pytest.approx(share)}
    assert capability(later, Truth.of(later))["USA"]["SATCOM"] == pytest.approx(expected)


def test_without_a_site_the_whole_service_is_denied() -> None:
    state = _state(_jam(site=False))
    usa_satcom = _usa_satcom(state)
    assert _satcom(adjudicate(state)) == pytest.approx((len(usa_satcom) - 1 + DEGRADED) / len(usa_satcom))


def test_a_global_effect_replaces_a_regional_one() -> None:
    state = _state(_jam("a"), _jam("b", InjectType.UPLINK_JAMMING))
    events = adjudicate(state)
    usa_satcom = _usa_satcom(state)
    assert _satcom(events) == pytest.approx((len(usa_satcom) - 1 + DEGRADED) / len(usa_satcom))
