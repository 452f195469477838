"""How a sharing variant rewrites the recorded log: which sharing events it keeps, changes or
removes, and the releases it adds at the start. Every other event stays as played."""

from __future__ import annotations

from collections.abc import Sequence

from wargame.domain.common import Marking, Releasability, SharingLevel
from wargame.domain.events import (
    EventBody,
    EventEnvelope,
    InjectForwarded,
    ProductReleased,
    ProductWithdrawn,
    SharingPolicySet,
)
from wargame.domain.products import PRODUCT_KINDS, ProductSpec
from wargame.domain.releasability import participants
from wargame.domain.sharing_analysis import SharingVariant
from wargame.domain.state import ExerciseState

SHARING_EVENTS = frozenset(
    {"sharing_policy_set", "product_released", "product_withdrawn", "inject_forwarded"}
)
"""What a variant may change; everything else in the log (orders, taskings, injects, chat,
restores, attributions...) is held as played."""
OPENING_PRODUCT_PREFIX = "CF"
"""Ids of the releases a variant adds: 'CF-USA-tracks' (recorded ids are keyed hashes 'P-...')."""

SharingBody = SharingPolicySet | ProductReleased | ProductWithdrawn | InjectForwarded


def _nation_of(body: SharingBody) -> str:
    return body.nation


def variant_body(variant: SharingVariant, event: EventEnvelope) -> EventBody | None:
    """The recorded event's body as the variant has it: the same, changed (no_review makes a
    release effective at once), or None where the variant removes it."""
    body = event.body
    if body.type not in SHARING_EVENTS or variant.kind == "as_played":
        return body
    assert isinstance(body, SharingPolicySet | ProductReleased | ProductWithdrawn | InjectForwarded)
    nation = _nation_of(body)
    match variant.kind:
        case "none":
            return None
        case "withhold":
            return None if nation == variant.nation else body
        case "all_full":  # its own releases replace the recorded ones; forwards stay as played
            return body if isinstance(body, InjectForwarded) else None
        case "open":
            if isinstance(body, InjectForwarded) or nation != variant.nation:
                return body
            return None
        case "no_review":
            if isinstance(body, ProductReleased):
                now = max(event.move, 1)
                return body.model_copy(update={"effective": {p: now for p in body.effective}})
            return body
        case "without_release":
            if isinstance(body, ProductReleased | ProductWithdrawn) and body.product_id == variant.product_id:
                return None
            return body
    raise ValueError(f"unknown sharing variant {variant.kind!r}")


def opening_releases(variant: SharingVariant, state: ExerciseState) -> list[ProductReleased]:
    """The releases a variant makes before the start: under all_full every coalition nation
    (REL ALL-PARTICIPANTS: the played nations not on the red side), under open its nation,
    releases its tracks (all, full), warnings and assessments to all the others, with no
    disclosure review. As a release made before the start, each is received from move 1."""
    coalition = [n for n in state.played_nations() if n in participants(state.scenario)]
    if variant.kind == "all_full":
        releasers = coalition
    elif variant.kind == "open" and variant.nation in coalition:
        releasers = [variant.nation]
    else:
        return []
    marking = Marking(releasability=Releasability.REL_ALL)
    out: list[ProductReleased] = []
    for nation in releasers:
        partners = tuple(p for p in coalition if p != nation)
        if not partners:
            continue
        for kind in PRODUCT_KINDS:
            out.append(
                ProductReleased(
                    nation=nation,
                    product_id=f"{OPENING_PRODUCT_PREFIX}-{nation}-{kind}",
                    product=ProductSpec(kind=kind),
                    marking=marking,
                    level=SharingLevel.FULL,
                    recipients=partners,
                    effective={p: 1 for p in partners},
                )
            )
    return out


def divergence(variant: SharingVariant, events: Sequence[EventEnvelope], state: ExerciseState) -> int | None:
    """The index in `events` of the first event the variant changes (1, just after
    exercise_created, when it adds releases at the start); None when it changes nothing."""
    if opening_releases(variant, state):
        return 1
    for i, event in enumerate(events):
        if event.body.type in SHARING_EVENTS and variant_body(variant, event) != event.body:
            return i
    return None


def releases_in_log(events: Sequence[EventEnvelope]) -> list[tuple[str, str]]:
    """(product_id, releasing nation) of every recorded product release, in log order."""
    return [(e.body.product_id, e.body.nation) for e in events if isinstance(e.body, ProductReleased)]


def sharing_nations(events: Sequence[EventEnvelope]) -> list[str]:
    """The nations with any recorded sharing event (release, policy, forward), in first-seen order."""
    seen: dict[str, None] = {}
    for event in events:
        body = event.body
        if isinstance(body, SharingPolicySet | ProductReleased | InjectForwarded):
            seen.setdefault(body.nation, None)
    return list(seen)
