"""Custody growth and shrinkage, and fusion by sharing level (vs the reference twin)."""

from __future__ import annotations

import math

import numpy as np
from adj_builders import make_ruleset, make_state

from wargame.adjudication import reference
from wargame.adjudication.access import NationObservations
from wargame.adjudication.catalog import build_catalog
from wargame.adjudication.custody import OwnTracks, update_custody
from wargame.adjudication.fusion import SOURCES, DelayedTracks, PublicCatalog, fuse
from wargame.adjudication.records import Release
from wargame.domain.common import SharingLevel

RULES = make_ruleset()
OFFSETS = np.arange(0.0, 361.0, 2.0)


def _obs(info: list[list[float]], last: list[list[int]]) -> NationObservations:
    info_a = np.array(info, dtype=np.float64)
    return NationObservations(
        info_per_km2=info_a,
        passes=np.zeros(info_a.shape, dtype=np.int64),
        last_step=np.array(last, dtype=np.int64),
    )


def _catalog():  # type: ignore[no-untyped-def]
    return build_catalog(make_state(), {})


def test_sigma_grows_without_observations_and_shrinks_with_them() -> None:
    catalog = _catalog()
    n_nat, n_obj = len(catalog.nations), catalog.n_obj
    prior = np.full((n_nat, n_obj), 2.0)
    nan = np.full((n_nat, n_obj), np.nan)
    none = _obs(np.zeros((n_nat, n_obj)).tolist(), np.full((n_nat, n_obj), -1).tolist())
    grown = update_custody(prior, nan, none, OFFSETS, catalog, RULES.custody)
    not_owned = ~grown.owner
    growth = RULES.custody.growth_km_per_hour * 6.0
    assert np.allclose(grown.sigma_km[not_owned], 2.0 + growth)
    sigma_m = 0.3
    one = _obs(np.full((n_nat, n_obj), 1 / sigma_m**2).tolist(), np.full((n_nat, n_obj), 90).tolist())
    four = _obs(np.full((n_nat, n_obj), 4 / sigma_m**2).tolist(), np.full((n_nat, n_obj), 90).tolist())
    after_one = update_custody(prior, nan, one, OFFSETS, catalog, RULES.custody)
    after_four = update_custody(prior, nan, four, OFFSETS, catalog, RULES.custody)
    g_min = RULES.custody.growth_km_per_hour / 60.0
    s_obs = 2.0 + g_min * 180.0
    expected_one = 1 / math.sqrt(1 / s_obs**2 + 1 / sigma_m**2) + g_min * 180.0
    assert np.allclose(after_one.sigma_km[not_owned], expected_one)
    assert np.all(after_four.sigma_km[not_owned] < after_one.sigma_km[not_owned])
    assert np.all(after_one.sigma_km[not_owned] < grown.sigma_km[not_owned])
    assert np.all(after_one.obs_min[not_owned] == 180.0)
    assert np.all(after_one.observed) and not np.any(grown.observed[not_owned])
    # Owners hold their payloads at owner_sigma_km whatever happens.
    assert np.all(grown.sigma_km[grown.owner] == RULES.custody.owner_sigma_km)


def _own(
    sigma: list[list[float]], observed: list[list[bool]], owner: list[list[bool]] | None = None
) -> OwnTracks:
    s = np.array(sigma)
    return OwnTracks(
        sigma_km=s,
        observed=np.array(observed),
        obs_min=np.where(np.array(observed), 100.0, np.nan),
        owner=np.zeros(s.shape, dtype=bool) if owner is None else np.array(owner),
    )


W, F, G, D = SharingLevel.WITHHOLD, SharingLevel.FULL, SharingLevel.DEGRADED, SharingLevel.DELAYED
INF = math.inf


def _releases(matrix: list[list[SharingLevel]]) -> tuple[Release, ...]:
    return tuple(
        Release(p, n, level.value)
        for p, row in enumerate(matrix)
        for n, level in enumerate(row)
        if level is not W and p != n
    )


def _fuse(  # type: ignore[no-untyped-def]
    own: OwnTracks,
    levels: list[list[SharingLevel]] | tuple[Release, ...],
    delayed: np.ndarray | None = None,
    catalog_km: list[float] | None = None,
    granted: list[bool] | None = None,
    holders: list[int] | None = None,
    obs_min: np.ndarray | None = None,
):
    n_nat, n_obj = own.sigma_km.shape
    d = np.full((n_nat, n_obj), np.inf) if delayed is None else delayed
    releases = levels if isinstance(levels, tuple) else _releases(levels)
    public = PublicCatalog(
        sigma_km=np.full(n_obj, np.inf) if catalog_km is None else np.array(catalog_km),
        granted=np.ones(n_nat, dtype=bool) if granted is None else np.array(granted),
    )
    return fuse(
        own,
        releases,
        np.zeros(n_obj, dtype=np.int64),
        DelayedTracks(sigma_km=d, obs_min=np.full((n_nat, n_obj), np.nan) if obs_min is None else obs_min),
        public,
        np.zeros(n_obj, dtype=bool),
        RULES.custody,
        RULES.sharing,
        holders,
    )


def test_full_sharing_gives_partner_object_withhold_does_not() -> None:
    # Nation 0 observed object 0 at 0.4 km; nation 1 has nothing on it.
    own = _own([[0.4], [INF]], [[True], [False]])
    full = _fuse(own, [[W, F], [W, W]])
    assert full.held[1, 0] and math.isclose(full.sigma_km[1, 0], 0.4)
    assert full.source[1, 0] == SOURCES.index("shared")
    assert full.contributors[1, :, 0].tolist() == [True, False]
    withheld = _fuse(own, [[W, W], [W, W]])
    assert not withheld.held[1, 0] and withheld.source[1, 0] == -1


def test_degraded_gives_larger_sigma_than_full_and_fused_is_smaller() -> None:
    own = _own([[0.4], [2.0]], [[True], [True]])
    full = _fuse(own, [[W, F], [W, W]])
    degraded = _fuse(own, [[W, G], [W, W]])
    assert degraded.sigma_km[1, 0] > full.sigma_km[1, 0]
    assert math.isclose(full.sigma_km[1, 0], 1 / math.sqrt(1 / 0.4**2 + 1 / 2.0**2))
    assert math.isclose(degraded.sigma_km[1, 0], 1 / math.sqrt(1 / 1.2**2 + 1 / 2.0**2))
    assert full.sigma_km[1, 0] < min(0.4, 2.0)
    assert full.source[1, 0] == SOURCES.index("fused")


def test_no_resharing_of_received_tracks() -> None:
    # 0 observed the object; 0 -> 1 full; 1 -> 2 full; 1 never observed it: 2 gets nothing.
    own = _own([[0.4], [INF], [INF]], [[True], [False], [False]])
    pic = _fuse(own, [[W, F, W], [W, W, F], [W, W, W]])
    assert pic.held[1, 0]
    assert not pic.held[2, 0]


def test_the_public_catalog_is_its_own_source_and_is_never_released() -> None:
    # Nobody observed the object; both have the public catalog at 1.5 km; sharing adds nothing.
    own = _own([[INF], [INF]], [[False], [False]])
    pic = _fuse(own, [[W, F], [F, W]], catalog_km=[1.5])
    assert np.allclose(pic.sigma_km[:, 0], 1.5)
    assert pic.source[:, 0].tolist() == [SOURCES.index("catalog")] * 2 and not pic.contributors.any()
    # A nation the scenario does not give the catalog holds nothing it did not observe.
    alone = _fuse(own, [[W, W], [W, W]], catalog_km=[1.5], granted=[True, False])
    assert alone.held[:, 0].tolist() == [True, False]
    # Own observations fuse with the catalog: the track is 'own', better than either.
    seen = _fuse(_own([[0.6], [INF]], [[True], [False]]), [[W, W], [W, W]], catalog_km=[1.5])
    assert seen.source[0, 0] == SOURCES.index("own")
    assert math.isclose(seen.sigma_km[0, 0], 1 / math.sqrt(1 / 0.6**2 + 1 / 1.5**2))


def test_delayed_uses_given_delayed_tracks_and_marks_them_old() -> None:
    own = _own([[0.4], [INF]], [[True], [False]])
    delayed = np.array([[0.9], [INF]])
    pic = _fuse(own, [[W, D], [W, W]], delayed)
    assert math.isclose(pic.sigma_km[1, 0], 0.9)
    assert pic.delayed_only[1, 0] and not pic.delayed_only[0, 0]
    with_catalog = _fuse(own, [[W, D], [W, W]], delayed, catalog_km=[1.5])
    assert not with_catalog.delayed_only[1, 0]  # fused with today's catalog estimate


def test_a_release_covers_only_its_scope_and_the_best_level_counts_once() -> None:
    own = _own([[0.4, 0.4], [INF, INF]], [[True, True], [False, False]])
    only_first = (Release(0, 1, "full", objects=(0,)),)
    pic = _fuse(own, only_first)
    assert pic.held[1].tolist() == [True, False]
    overlapping = (Release(0, 1, "degraded"), Release(0, 1, "full", objects=(1,)))
    pic = _fuse(own, overlapping)
    assert math.isclose(pic.sigma_km[1, 1], 0.4)  # full wins, counted once
    assert math.isclose(pic.sigma_km[1, 0], 0.4 * RULES.sharing.degraded_sigma_factor)


def test_fusion_matches_reference_twin_on_random_inputs() -> None:
    rng = np.random.default_rng(11)
    levels = ("full", "degraded", "delayed")
    for _ in range(40):
        n_nat, n_obj = int(rng.integers(2, 5)), int(rng.integers(1, 8))
        sigma = rng.uniform(0.05, 8.0, (n_nat, n_obj))
        sigma[rng.random((n_nat, n_obj)) < 0.3] = np.inf
        observed = rng.random((n_nat, n_obj)) < 0.6
        owner = np.zeros((n_nat, n_obj), dtype=bool)
        for j in range(n_obj):
            if rng.random() < 0.3:
                owner[int(rng.integers(n_nat)), j] = True
        sigma = np.where(owner, RULES.custody.owner_sigma_km, sigma)
        releases = []
        for p in range(n_nat):
            for n in range(n_nat):
                for _k in range(int(rng.integers(0, 3)) if p != n else 0):
                    objects = None if rng.random() < 0.5 else tuple(
                        int(j) for j in np.flatnonzero(rng.random(n_obj) < 0.5)
                    )
                    releases.append(Release(p, n, str(rng.choice(levels)), objects=objects))
        delayed = np.where(rng.random((n_nat, n_obj)) < 0.5, rng.uniform(0.5, 6, (n_nat, n_obj)), np.inf)
        catalog_km = np.where(rng.random(n_obj) < 0.7, rng.uniform(0.8, 5.0, n_obj), np.inf)
        granted = rng.random(n_nat) < 0.7
        own = OwnTracks(
            sigma_km=sigma, observed=observed | owner, obs_min=np.full(sigma.shape, np.nan), owner=owner
        )
        pic = _fuse(own, tuple(releases), delayed, catalog_km.tolist(), granted.tolist())
        zeros = np.zeros(n_obj, dtype=np.int64)
        want = reference.fuse_reference(
            sigma.tolist(),
            (observed | owner).tolist(),
            owner.tolist(),
            [(r.releaser, r.receiver, r.level, r.scope(zeros).tolist()) for r in releases],
            delayed.tolist(),
            catalog_km.tolist(),
            granted.tolist(),
            RULES.custody.custody_max_sigma_km,
            RULES.custody.owner_sigma_km,
            RULES.sharing.degraded_sigma_factor,
        )
        assert np.allclose(pic.sigma_km, np.array(want), rtol=1e-12)


def test_end_to_end_full_sharing_extends_custody() -> None:
    from adj_builders import pictures_by_nation

    from wargame.adjudication import adjudicate_move
    from wargame.domain.state import NationState

    rules = make_ruleset(custody=RULES.custody.model_copy(update={"initial_custody": "own_sensors"}))
    base = make_state(ruleset=rules)

    def pictures(state):  # type: ignore[no-untyped-def]
        return pictures_by_nation(state, adjudicate_move(state))

    alone = pictures(base)
    nations = dict(base.nations)
    nations["USA"] = NationState(id="USA", sharing={"GBR": SharingLevel.FULL})
    shared = pictures(base.model_copy(update={"nations": nations}))
    gained = set(shared["GBR"]) - set(alone["GBR"])
    assert gained, "USA full sharing should give GBR objects it could not see"
    assert all(set(shared["GBR"][o]["contributors"]) == {"USA"} for o in gained)
    assert set(shared["JPN"]) == set(alone["JPN"])  # no re-sharing from GBR to JPN
    nations["USA"] = NationState(id="USA", sharing={"GBR": SharingLevel.DEGRADED})
    degraded = pictures(base.model_copy(update={"nations": nations}))
    for obj in set(degraded["GBR"]) & gained:
        assert degraded["GBR"][obj]["sigma_km"] > shared["GBR"][obj]["sigma_km"]


def test_fusing_some_holders_gives_their_rows_of_the_whole() -> None:
    """A seat's picture is fused for its nation alone (holders=[n]); it must be row n of the
    picture the core fuses for every nation, field by field."""
    rng = np.random.default_rng(23)
    levels = ("full", "degraded", "delayed")
    for _ in range(30):
        n_nat, n_obj = int(rng.integers(2, 6)), int(rng.integers(1, 9))
        sigma = rng.uniform(0.05, 8.0, (n_nat, n_obj))
        sigma[rng.random((n_nat, n_obj)) < 0.3] = np.inf
        observed = rng.random((n_nat, n_obj)) < 0.6
        owner = np.zeros((n_nat, n_obj), dtype=bool)
        owner[int(rng.integers(n_nat)), int(rng.integers(n_obj))] = True
        own = OwnTracks(
            sigma_km=sigma,
            observed=observed | owner,
            obs_min=np.where(observed, rng.uniform(-300, 360, (n_nat, n_obj)), np.nan),
            owner=owner,
        )
        releases = tuple(
            Release(p, n, str(rng.choice(levels)))
            for p in range(n_nat) for n in range(n_nat) if p != n and rng.random() < 0.5
        )
        delayed = np.where(rng.random((n_nat, n_obj)) < 0.5, rng.uniform(0.5, 6, (n_nat, n_obj)), np.inf)
        delayed_obs = rng.uniform(-700, -360, (n_nat, n_obj))
        args = (own, releases, delayed, [2.0] * n_obj, (rng.random(n_nat) < 0.7).tolist())
        whole = _fuse(*args, obs_min=delayed_obs)
        picked = [int(k) for k in rng.permutation(n_nat)[: int(rng.integers(1, n_nat + 1))]]
        some = _fuse(*args, holders=picked, obs_min=delayed_obs)
        for field in ("sigma_km", "held", "source", "contributors", "obs_min", "delayed_only"):
            np.testing.assert_array_equal(getattr(some, field), getattr(whole, field)[picked], err_msg=field)
