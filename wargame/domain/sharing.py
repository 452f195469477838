"""What each nation releases to whom during the current move: its track products in force
(and, in logs recorded before products, its per-partner sharing policy)."""

from __future__ import annotations

from dataclasses import dataclass

from wargame.domain.addressing import inject_audience
from wargame.domain.audience import can_see, team
from wargame.domain.common import Marking, SharingLevel
from wargame.domain.products import ProductKind
from wargame.domain.releasability import releasable_nations
from wargame.domain.state import ExerciseState, ForwardedInject

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


@dataclass(frozen=True)
class Receipt:
    """How a nation received an inject: under which marking and from whom."""

    marking: Marking
    originator: str | None
    forward: ForwardedInject | None = None
    """The partner's forward it came through; None when the inject was delivered to the nation."""


def how_received(state: ExerciseState, nation: str, inject_id: str) -> Receipt | None:
    """The inject's own marking when it was delivered to `nation`, else the latest forward to
    it; None if the nation has neither."""
    entry = state.injects.get(inject_id)
    if entry is None:
        return None
    if entry.released_move is not None and can_see(inject_audience(entry.inject, state), team(nation)):
        return Receipt(entry.inject.marking, state.scenario.originator(entry.inject))
    forwards = [f for f in state.forwards if f.inject_id == inject_id and nation in f.recipients]
    if not forwards:
        return None
    return Receipt(forwards[-1].marking, forwards[-1].nation, forwards[-1])


def derived_release_limit(state: ExerciseState, nation: str, inject_id: str) -> set[str] | None:
    """The partners an item `nation` derives from an inject (its threat assessment) may reach:
    those the inject's marking, as the nation received it, releases to (derivative items inherit
    their source's releasability). None: no limit (a PUBLIC inject, or one the nation was not told
    of and knows only from the effect it observed itself)."""
    received = how_received(state, nation, inject_id)
    if received is None:
        return None
    return releasable_nations(received.marking, received.originator, state.scenario)


def limited(receivers: dict[str, Marking], allowed: set[str] | None) -> dict[str, Marking]:
    """`receivers` without the partners outside `allowed` (None: all of them stay)."""
    return dict(receivers) if allowed is None else {p: m for p, m in receivers.items() if p in allowed}
