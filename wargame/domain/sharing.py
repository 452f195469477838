"""What each nation releases to whom during the current move: its track products in force
(and, in logs recorded before products, its per-partner sharing policy)."""

from __future__ import annotations

from dataclasses import dataclass

from wargame.domain.common import Marking, SharingLevel
from wargame.domain.products import ProductKind
from wargame.domain.state import ExerciseState

LEVEL_ORDER = (SharingLevel.WITHHOLD, SharingLevel.DELAYED, SharingLevel.DEGRADED, SharingLevel.FULL)
"""From the least to the most a partner gets (for summaries of several releases)."""


@dataclass(frozen=True)
class TrackRelease:
    """One nation's release of its own tracks to one partner, in force this move."""

    releaser: str
    receiver: str
    level: SharingLevel
    regimes: tuple[str, ...] = ()
    """Empty: every regime."""
    objects: tuple[str, ...] = ()
    """Empty: every object (within `regimes`)."""
    product_id: str | None = None
    """None for a per-partner sharing policy of an older log."""


def track_releases(state: ExerciseState) -> list[TrackRelease]:
    """Every release of own tracks in force during `state.move`, by releaser then receiver."""
    played = state.played_nations()
    out: list[TrackRelease] = []
    for releaser in played:
        nation = state.nations.get(releaser)
        if nation is None:
            continue
        for partner, level in sorted(nation.sharing.items()):
            if level is not SharingLevel.WITHHOLD and partner in played and partner != releaser:
                out.append(TrackRelease(releaser, partner, level))
        for product in nation.products.values():
            if product.product.kind != "tracks":
                continue
            for receiver in product.recipients:
                if receiver != releaser and product.received_by(receiver, state.move):
                    out.append(
                        TrackRelease(
                            releaser,
                            receiver,
                            product.level,
                            regimes=product.product.regimes,
                            objects=product.product.objects,
                            product_id=product.product_id,
                        )
                    )
    return out


def release_summary(state: ExerciseState) -> dict[str, dict[str, str]]:
    """The best level each played nation releases its tracks at to each other played nation this
    move ('withhold' when nothing), with ' (part)' when no release covers every object."""
    played = state.played_nations()
    best: dict[tuple[str, str], tuple[int, bool]] = {}
    for r in track_releases(state):
        rank = LEVEL_ORDER.index(r.level)
        whole = not r.regimes and not r.objects
        old_rank, old_whole = best.get((r.releaser, r.receiver), (0, False))
        best[(r.releaser, r.receiver)] = (max(rank, old_rank), whole or old_whole)
    return {
        a: {
            b: LEVEL_ORDER[best.get((a, b), (0, True))[0]].value
            + ("" if best.get((a, b), (0, True))[1] else " (part)")
            for b in played
            if b != a
        }
        for a in played
    }


def product_receivers(state: ExerciseState, nation: str, kind: ProductKind) -> dict[str, Marking]:
    """Partners that receive `nation`'s products of this kind now (after their review), with the
    marking of the product that reaches each (the first released, when several do)."""
    holder = state.nations.get(nation)
    if holder is None:
        return {}
    found: dict[str, Marking] = {}
    for product in holder.products.values():
        if product.product.kind == kind:
            for partner in product.recipients:
                if product.received_by(partner, state.move):
                    found.setdefault(partner, product.marking)
    return dict(sorted(found.items()))
