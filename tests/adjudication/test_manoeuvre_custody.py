"""An unseen burn costs other nations custody: their error drifts until a sensor sees the object."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from adj_builders import make_ruleset, make_state, pictures_by_nation

from wargame.adjudication import adjudicate_move
from wargame.adjudication.access import NationObservations
from wargame.adjudication.catalog import build_catalog
from wargame.adjudication.custody import prior_from_legacy_pictures, update_custody
from wargame.domain.common import InjectType, SharingLevel
from wargame.domain.events import CloseApproachDetected, EventBody
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState, NationState, Track, TrackTable

OFFSETS_MIN = np.arange(0.0, 361.0, 2.0)
RPO = Inject(
    id="rpo",
    title="inspector closes on Carbonite",
    type=InjectType.CLOSE_APPROACH,
    target="GBR-LEO",
    actor="RED",
    params={"approacher": "RED-INSP", "range_km": 5.0},
)


def _rules(drift_factor: float):  # type: ignore[no-untyped-def]
    rules = make_ruleset()
    return make_ruleset(custody=rules.custody.model_copy(update={"manoeuvre_drift_factor": drift_factor}))


def test_drift_adds_factor_dv_t_until_the_first_pass_and_spares_the_owner() -> None:
    rules = _rules(3.0)
    catalog = build_catalog(make_state(ruleset=rules), {})
    n_nat, n_obj = len(catalog.nations), catalog.n_obj
    prior = np.full((n_nat, n_obj), 1.0)
    nan = np.full((n_nat, n_obj), np.nan)
    burn = np.zeros(n_obj)
    burnt = catalog.index["USA-GPS"]
    burn[burnt] = 0.5  # m/s
    unseen = NationObservations(
        info_per_km2=np.zeros((n_nat, n_obj)),
        passes=np.zeros((n_nat, n_obj), dtype=np.int64),
        last_step=np.full((n_nat, n_obj), -1),
    )
    after = update_custody(prior, nan, unseen, OFFSETS_MIN, catalog, rules.custody, burn)
    g_km_per_min = rules.custody.growth_km_per_hour / 60.0
    drift_km_per_min = 3.0 * 0.5 * 60.0 / 1000.0
    usa, gbr = catalog.nations.index("USA"), catalog.nations.index("GBR")
    assert after.sigma_km[gbr, burnt] == pytest.approx(1.0 + (g_km_per_min + drift_km_per_min) * 360.0)
    assert after.sigma_km[usa, burnt] == rules.custody.owner_sigma_km
    others = np.arange(n_obj) != burnt
    assert np.allclose(after.sigma_km[gbr, others & ~after.owner[gbr]], 1.0 + g_km_per_min * 360.0)
    # A pass at t = 100 min ends the drift: the error grows at g only after it.
    seen = NationObservations(
        info_per_km2=np.full((n_nat, n_obj), 1.0 / 0.3**2),
        passes=np.ones((n_nat, n_obj), dtype=np.int64),
        last_step=np.full((n_nat, n_obj), 50),
    )
    after_pass = update_custody(prior, nan, seen, OFFSETS_MIN, catalog, rules.custody, burn)
    at_pass = 1.0 + (g_km_per_min + drift_km_per_min) * 100.0
    posterior = 1.0 / np.sqrt(1.0 / at_pass**2 + 1.0 / 0.3**2)
    assert after_pass.sigma_km[gbr, burnt] == pytest.approx(posterior + g_km_per_min * 260.0)


def _pictures(state: ExerciseState) -> tuple[dict[str, dict[str, Any] | None], list[EventBody]]:
    events = adjudicate_move(state)
    pictures = pictures_by_nation(state, events)
    return {n: rows.get("RED-INSP") for n, rows in pictures.items()}, events


def _observed(track: dict[str, Any] | None) -> bool:
    return track is not None and track["source"] not in ("catalog",) and track["age_min"] is not None


def test_an_unseen_close_approach_loses_custody_and_goes_unnoticed() -> None:
    steady, _ = _pictures(make_state(ruleset=_rules(0.0), injects=(RPO,)))
    assert all(track is not None for track in steady.values())  # the public catalog holds it
    pictures, events = _pictures(make_state(ruleset=_rules(3.0), injects=(RPO,)))
    seen = {n for n, t in steady.items() if _observed(t) and t is not None and t["age_min"] < 360.0}
    tracking = {n for n, t in pictures.items() if _observed(t)}
    assert tracking == seen and tracking != set(pictures)  # only who saw it after the burn
    assert "GBR" not in tracking
    catalog_only = [t for n, t in pictures.items() if n not in tracking]
    drifted = [t for t in catalog_only if t is not None]
    assert all(t["sigma_km"] > 3.0 for t in drifted)  # the published elements drift too
    noticed = {e.nation for e in events if isinstance(e, CloseApproachDetected)}
    assert noticed == tracking  # observable_by custody: the victim's owner did not see it coming


def test_a_partner_that_saw_the_burn_restores_custody_by_sharing() -> None:
    state = make_state(ruleset=_rules(3.0), injects=(RPO,))
    alone, _ = _pictures(state)
    seer = next(n for n, t in alone.items() if _observed(t))
    nations = dict(state.nations)
    nations[seer] = NationState(id=seer, sharing={"GBR": SharingLevel.FULL})
    shared, events = _pictures(state.model_copy(update={"nations": nations}))
    track = shared["GBR"]
    assert track is not None and track["source"] == "shared" and seer in track["contributors"]
    assert "GBR" in {e.nation for e in events if isinstance(e, CloseApproachDetected)}


def test_the_prior_is_the_own_estimate_alone_never_the_public_catalog() -> None:
    state = make_state(move=2)
    catalog = build_catalog(state, {})
    stale = Track(
        object_id="RED-INSP", sigma_km=4.0, source="own", lat_deg=0.0, lon_deg=0.0, alt_km=570.0,
        regime="LEO", observed_at=state.move_start(1),
    )
    fresh = stale.model_copy(update={"object_id": "DEB-1", "sigma_km": 0.2})
    unseen = stale.model_copy(update={"object_id": "USA-GPS", "observed_at": None, "sigma_km": 1.0})
    nations = dict(state.nations)
    nations["GBR"] = NationState(id="GBR", picture=TrackTable.from_tracks([stale, fresh, unseen]))
    sigma, obs = prior_from_legacy_pictures(nations, catalog, state.move_start(2))
    gbr = catalog.nations.index("GBR")
    assert sigma[gbr, catalog.index["RED-INSP"]] == pytest.approx(4.0)  # own, however stale
    assert sigma[gbr, catalog.index["DEB-1"]] == pytest.approx(0.2)
    assert obs[gbr, catalog.index["DEB-1"]] == pytest.approx(-360.0)
    assert np.isinf(sigma[gbr, catalog.index["USA-GPS"]])  # never observed: the catalog's, not own
