"""The value of sharing on the tutorial played to the end: as played reproduces the recorded
adjudication exactly, and the figures of 'everyone shares in full' and 'nobody shares' (quoted
in docs/sharing-value.md; run with -s to print them)."""

from __future__ import annotations

from functools import cache

import pytest

from tests.aar.tutorial_game import played
from wargame.aar.sharing_analysis import analyse, plan_variants
from wargame.adjudication.counterfactual import Checkpoint, walk
from wargame.adjudication.counterfactual_variants import (
    SHARING_EVENTS,
    divergence,
    opening_releases,
    variant_body,
)
from wargame.domain.background import EMPTY_CATALOG
from wargame.domain.events import EventEnvelope, PictureUpdated, ProductReleased
from wargame.domain.evolve import evolve
from wargame.domain.sharing_analysis import AS_PLAYED, SharingAnalysisResult, SharingVariant

ALL_FULL = SharingVariant(kind="all_full")
NONE = SharingVariant(kind="none")
NATIONS = ("USA", "GBR", "JPN")


def log() -> list[EventEnvelope]:
    return played()[1]


@cache
def analysed() -> SharingAnalysisResult:
    """The analysis of the tutorial game with the defaults and what each release bought."""
    variants = plan_variants(log(), [ALL_FULL, NONE, SharingVariant(kind="no_review")], per_release=True)
    return analyse(log(), variants, EMPTY_CATALOG)


def precise(key: str) -> dict[str, list[int | None]]:
    outcome = analysed().outcome(key)
    assert outcome is not None
    return {n: [outcome.by_move[m][n].precise_custody for m in (1, 2, 3, 4)] for n in NATIONS}


def warning_hours(key: str) -> dict[tuple[str, str], float | None]:
    outcome = analysed().outcome(key)
    assert outcome is not None
    return {(a.nation, a.inject_id): a.warning_time_h for a in outcome.assessments}


def test_as_played_reproduces_every_recorded_core_event_and_picture_digest() -> None:
    results = list(walk(log(), AS_PLAYED, EMPTY_CATALOG))
    assert [r.move for r in results] == [0, 1, 2, 3, 4]
    for result in results:
        computed = [b.model_dump(mode="json") for b in result.bodies]
        recorded = [b.model_dump(mode="json") for b in result.recorded]
        assert computed == recorded, f"move {result.move}"
        digests = [(b.nation, b.picture) for b in result.bodies if isinstance(b, PictureUpdated)]
        assert digests == [(b.nation, b.picture) for b in result.recorded if isinstance(b, PictureUpdated)]
        assert len(digests) == 3 and all(ref is not None for _, ref in digests)
    assert analysed().exact and analysed().mismatch == ""


def test_the_variants_run_are_as_played_the_requested_and_one_per_release() -> None:
    keys = [v.variant.key for v in analysed().variants]
    releases = [e.body.product_id for e in log() if e.body.type == "product_released"]
    assert keys[:4] == ["as_played", "all_full", "none", "no_review"]
    assert keys[4:7] == ["withhold:USA", "withhold:GBR", "withhold:JPN"]
    assert keys[7:] == [f"without_release:{p}" for p in releases] and len(releases) == 7


def test_precise_custody_nobody_sharing_and_everyone_sharing_in_full() -> None:
    print("\nprecise custody, moves 1-4:", {k: precise(k) for k in ("as_played", "none", "all_full")})
    # Move 3's G3 storm doubles LEO custody growth (drag): fewer precise tracks that move.
    assert precise("as_played") == {"USA": [28, 29, 28, 29], "GBR": [28, 28, 11, 12], "JPN": [16, 22, 17, 20]}
    assert precise("none") == {"USA": [27, 26, 21, 25], "GBR": [12, 12, 11, 12], "JPN": [16, 22, 15, 18]}
    assert precise("all_full") == {n: [29, 29, 28, 29] for n in NATIONS}
    for nation in NATIONS:  # every partner received tracks: sharing never lost it custody
        for none, played_, full in zip(precise("none")[nation], precise("as_played")[nation],
                                       precise("all_full")[nation], strict=True):
            assert none is not None and played_ is not None and full is not None
            assert none <= played_ <= full


def test_custody_is_the_public_catalog_s_save_one_track_gbr_loses_without_sharing() -> None:
    for key in ("as_played", "all_full"):
        outcome = analysed().outcome(key)
        assert outcome is not None
        assert {o.custody for row in outcome.by_move.values() for o in row.values()} == {29}
    none = analysed().outcome("none")
    assert none is not None
    assert [none.by_move[m]["GBR"].custody for m in (1, 2, 3, 4)] == [29, 28, 29, 29]


def test_warning_time_and_attribution_per_nation() -> None:
    played_h, none_h, full_h = warning_hours("as_played"), warning_hours("none"), warning_hours("all_full")
    print("\nwarning hours:", played_h, none_h, full_h, sep="\n")
    assert played_h == pytest.approx({
        ("GBR", "inj-003"): 5.73, ("USA", "inj-004"): 4.0, ("GBR", "inj-004"): 4.0, ("JPN", "inj-004"): 4.0,
        ("GBR", "inj-006"): 13.23, ("USA", "inj-009"): 14.73, ("USA", "inj-007"): 8.23,
    }, abs=0.01)
    assert full_h == played_h
    # Nobody sharing: GBR holds the jammer and the dazzler later (less warning) and never sees
    # the inspector close on JPN's satellite, so it does not assess that inject at all.
    assert none_h == pytest.approx({
        ("GBR", "inj-003"): 1.23, ("USA", "inj-004"): 4.0, ("JPN", "inj-004"): 4.0,
        ("GBR", "inj-006"): 4.93, ("USA", "inj-009"): 14.73, ("USA", "inj-007"): 7.0,
    }, abs=0.01)
    likelihoods = {
        key: {(a.nation, a.inject_id): (round(a.likelihood_pct), a.confidence)
              for a in (analysed().outcome(key) or pytest.fail(key)).assessments}
        for key in ("as_played", "none", "all_full")
    }
    played_l, none_l = likelihoods["as_played"], likelihoods["none"]
    assert played_l[("GBR", "inj-003")] == none_l[("GBR", "inj-003")] == (25, "low")
    assert played_l[("USA", "inj-004")] == (67, "low")
    assert all(none_l[k] == v for k, v in played_l.items() if k in none_l)  # the same where assessed


def test_conjunction_and_close_approach_warnings_received() -> None:
    def received(key: str) -> dict[str, list[int]]:
        outcome = analysed().outcome(key)
        assert outcome is not None
        return {n: [outcome.by_move[m][n].warnings_received for m in (1, 2, 3, 4)] for n in NATIONS}

    assert received("none") == {n: [0, 0, 0, 0] for n in NATIONS}
    assert received("as_played") == {"USA": [0, 1, 0, 0], "GBR": [0, 0, 0, 0], "JPN": [0, 0, 0, 0]}
    # In full, USA and GBR get JPN's move-1 conjunction warning, everyone the move-2 close approaches.
    assert received("all_full") == {"USA": [1, 2, 0, 0], "GBR": [1, 2, 0, 0], "JPN": [0, 2, 0, 0]}
    own = analysed().outcome("none")
    assert own is not None and own.by_move[1]["JPN"].conjunction_warnings == 1


def test_a_variant_started_at_its_last_shared_closing_equals_one_walked_from_the_start() -> None:
    late = next(e.body.product_id for e in log() if e.body.type == "product_released" and e.move == 2)
    variant = SharingVariant(kind="without_release", product_id=late)
    checkpoints: list[Checkpoint] = []
    for _ in walk(log(), AS_PLAYED, EMPTY_CATALOG, checkpoints=checkpoints):
        pass
    assert [c.move for c in checkpoints] == [0, 1, 2, 3, 4]
    resumed_walk = walk(log(), variant, EMPTY_CATALOG, start=checkpoints[1], reuse_start=True)
    resumed = {r.move: r.bodies for r in resumed_walk}
    whole = {r.move: r.bodies for r in walk(log(), variant, EMPTY_CATALOG)}
    assert sorted(resumed) == [1, 2, 3, 4] and sorted(whole) == [0, 1, 2, 3, 4]
    for move in (1, 2, 3, 4):
        mine = [b.model_dump(mode="json") for b in resumed[move]]
        assert mine == [b.model_dump(mode="json") for b in whole[move]]
    outcome = analysed().outcome(variant.key)
    base = analysed().outcome("as_played")
    assert outcome is not None and base is not None and outcome.from_move == 2
    assert outcome.by_move[1] == base.by_move[1]  # before the release: as played
    assert outcome.by_move[2]["GBR"].assessments_received == base.by_move[2]["GBR"].assessments_received - 1


def test_each_variant_rewrites_only_the_sharing_events_it_names() -> None:
    events = log()
    sharing = [e for e in events if e.body.type in SHARING_EVENTS]
    assert len(sharing) == 9  # 7 releases, 1 withdrawal, 1 forward
    others = [e for e in events if e.body.type not in SHARING_EVENTS]
    gbr_withheld = SharingVariant(kind="withhold", nation="GBR")
    for variant in (NONE, ALL_FULL, gbr_withheld, SharingVariant(kind="no_review")):
        assert all(variant_body(variant, e) is e.body for e in others)
    assert [variant_body(NONE, e) for e in sharing] == [None] * 9
    kept = [e.body for e in sharing if variant_body(gbr_withheld, e) is not None]
    assert {b.nation for b in kept} == {"USA", "JPN"} and len(kept) == 7
    full = [e.body.type for e in sharing if variant_body(ALL_FULL, e) is not None]
    assert full == ["inject_forwarded"]  # the releases are replaced; forwards stay as played
    reviewed = {b.nation: b.effective for e in sharing if isinstance(b := variant_body(
        SharingVariant(kind="no_review"), e), ProductReleased)}
    recorded = {e.body.nation: e.body.effective for e in sharing if isinstance(e.body, ProductReleased)}
    assert recorded["JPN"] == {"USA": 3} and reviewed["JPN"] == {"USA": 2}  # JPN's warnings, move 2
    assert reviewed["GBR"] == recorded["GBR"] == {"USA": 1}  # under the agreement already


def test_the_releases_a_variant_makes_at_the_start() -> None:
    state = evolve(None, log()[0], EMPTY_CATALOG)
    full = opening_releases(ALL_FULL, state)
    assert len(full) == 9 and {r.product.kind for r in full} == {"tracks", "warnings", "assessments"}
    usa = [r for r in full if r.nation == "USA"]
    assert {r.recipients for r in usa} == {("GBR", "JPN")}
    assert all(r.effective == {"GBR": 1, "JPN": 1} for r in usa)
    assert {r.marking.label for r in usa} == {"REL ALL-PARTICIPANTS"}
    opened = opening_releases(SharingVariant(kind="open", nation="JPN"), state)
    assert [r.nation for r in opened] == ["JPN"] * 3
    assert opening_releases(NONE, state) == []
    assert divergence(ALL_FULL, log(), state) == 1
    assert divergence(SharingVariant(kind="withhold", nation="JPN"), log(), state) == next(
        i for i, e in enumerate(log()) if e.body.type == "product_released" and e.body.nation == "JPN")
