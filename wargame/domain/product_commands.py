"""Teams' sharing commands: release a product, withdraw it, forward an inject (decide's part)."""

from __future__ import annotations

from wargame.domain.commands import ForwardInject, Rejection, ReleaseProduct, WithdrawProduct, reject
from wargame.domain.common import Marking, Releasability, SharingLevel
from wargame.domain.events import EventBody, InjectForwarded, ProductReleased, ProductWithdrawn
from wargame.domain.ids import new_id
from wargame.domain.products import RELEASE_LEVELS, review_free
from wargame.domain.releasability import delivered_to, marking_problem, releasable_nations
from wargame.domain.sharing import how_received
from wargame.domain.state import ExerciseState


def _recipients(
    state: ExerciseState, nation: str, marking: Marking, wanted: tuple[str, ...]
) -> list[str] | Rejection:
    """The partners a release from `nation` reaches, or why the marking and recipients clash."""
    if problem := marking_problem(marking, nation, wanted, state.scenario):
        return reject(state, "invalid", f"marking: {problem}")
    if marking.releasability is Releasability.NOFORN:
        return reject(state, "invalid", "marking: NOFORN releases to nobody but your own nation")
    reached = delivered_to(marking, nation, wanted, state.scenario)
    played = state.played_nations()
    partners = [n for n in played if n != nation and (reached is None or n in reached)]
    if not partners:
        return reject(state, "invalid", f"{marking.label} reaches no partner")
    return partners


def decide_release(state: ExerciseState, nation: str, cmd: ReleaseProduct) -> list[EventBody] | Rejection:
    """One ProductReleased: the partners it reaches and when (after the disclosure review, which a
    standing agreement skips)."""
    if state.phase == "ended":
        return reject(state, "wrong_phase", "the exercise has ended")
    if cmd.level not in RELEASE_LEVELS:
        levels = "full, delayed or degraded"
        return reject(state, "invalid", f"a product is released {levels}, not {cmd.level.value}")
    if cmd.product.kind != "tracks" and cmd.level is not SharingLevel.FULL:
        return reject(state, "invalid", f"{cmd.product.kind} are released in full, not {cmd.level.value}")
    unknown = [o for o in cmd.product.objects if not state.has_object(o)]
    if unknown:
        return reject(state, "unknown_target", f"no space objects {unknown[:5]}")
    partners = _recipients(state, nation, cmd.marking, cmd.recipients)
    if isinstance(partners, Rejection):
        return partners
    review = state.ruleset.disclosure.review_moves if state.ruleset.disclosure else 0
    now = max(state.move, 1)
    effective = {
        p: now if review_free(state.scenario.agreements, nation, p, cmd.product.kind) else now + review
        for p in partners
    }
    return [
        ProductReleased(
            nation=nation,
            product_id=new_id(state, "P"),
            product=cmd.product,
            marking=cmd.marking,
            level=cmd.level,
            recipients=tuple(partners),
            effective=effective,
        )
    ]


def decide_withdraw(state: ExerciseState, nation: str, cmd: WithdrawProduct) -> list[EventBody] | Rejection:
    product = state.nations[nation].products.get(cmd.product_id)
    if product is None:
        return reject(state, "unknown_target", f"{nation} releases no product {cmd.product_id!r}")
    return [ProductWithdrawn(nation=nation, product_id=cmd.product_id, recipients=product.recipients)]


def decide_forward(state: ExerciseState, nation: str, cmd: ForwardInject) -> list[EventBody] | Rejection:
    """One InjectForwarded, at a marking no wider than the one the nation received it under."""
    if state.phase not in ("running", "paused"):
        return reject(state, "wrong_phase", "injects can be forwarded once the exercise has started")
    entry = state.injects.get(cmd.inject_id)
    found = how_received(state, nation, cmd.inject_id)
    if entry is None or found is None:
        return reject(state, "unknown_target", f"{nation} has received no inject {cmd.inject_id!r}")
    source, originator = found.marking, found.originator
    partners = _recipients(state, nation, cmd.marking, cmd.recipients)
    if isinstance(partners, Rejection):
        return partners
    allowed = releasable_nations(source, originator, state.scenario)
    outside = [] if allowed is None else [p for p in partners if p not in allowed]
    if outside:
        return reject(
            state,
            "invalid",
            f"marking: you received {cmd.inject_id!r} as {source.label}, which does not release to "
            f"{', '.join(outside)}",
        )
    original = found.forward if found.forward is not None else entry.inject
    text = cmd.text if cmd.text is not None else original.text
    title = cmd.title if cmd.title is not None else original.title
    return [
        InjectForwarded(
            nation=nation,
            forward_id=new_id(state, "F"),
            inject_id=cmd.inject_id,
            title=title,
            text=text,
            marking=cmd.marking,
            recipients=tuple(partners),
        )
    ]
