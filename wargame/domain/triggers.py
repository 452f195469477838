"""Which MSEL injects fall due when a move opens: time triggers and conditions on earlier events."""

from __future__ import annotations

from collections.abc import Mapping

from wargame.domain.common import AssetStatus
from wargame.domain.conditions import Condition
from wargame.domain.events import EventBody, InjectReleased
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState, InjectState
from wargame.domain.tempo_evolve import order_key

SEVERITY = {status: rank for rank, status in enumerate(AssetStatus)}
"""nominal < degraded < disabled < destroyed, in the order AssetStatus declares them."""


def due_injects(
    state: ExerciseState, move: int, closed: ExerciseState | None = None
) -> list[EventBody]:
    """The injects released automatically as `move` opens, in MSEL order, passes repeated.

    `state` is the state with the move already open; `closed` is the state of the move that
    just closed, before adjudication (its orders feed `order_kind_by`). First the timed
    injects of the move; then, repeatedly, every condition-triggered inject whose earliest
    move has come and whose condition holds (so a chain with `delay_moves: 0` fires at once).
    Contingency injects are never released here: only a controller releases them.
    """
    released = {
        inject_id: entry.released_move
        for inject_id, entry in state.injects.items()
        if entry.released_move is not None
    }
    due: list[Inject] = []
    for entry in state.injects.values():
        inject = entry.inject
        if inject.trigger == "time" and inject.move == move and _pending(entry, released):
            due.append(inject)
            released[inject.id] = move
    while True:
        fired = [
            entry.inject
            for entry in state.injects.values()
            if entry.inject.trigger == "condition"
            and entry.inject.move <= move
            and entry.inject.condition is not None
            and _pending(entry, released)
            and holds(entry.inject.condition, state, move, released, closed)
        ]
        if not fired:
            break
        for inject in fired:
            due.append(inject)
            released[inject.id] = move
    return [InjectReleased(inject=inject) for inject in due]


def _pending(entry: InjectState, released: Mapping[str, int | None]) -> bool:
    """Due if not yet released, not a contingency, and neither held nor skipped by the white cell."""
    inject = entry.inject
    return not (inject.contingency or entry.held or entry.skipped) and released.get(inject.id) is None


def holds(
    condition: Condition,
    state: ExerciseState,
    move: int,
    released: Mapping[str, int | None] | None = None,
    closed: ExerciseState | None = None,
) -> bool:
    """Whether a condition holds as `move` opens; a pure function of the states given.

    `released` maps inject ids to the move they were released in (defaults to the state's).
    """
    if released is None:
        released = {k: e.released_move for k, e in state.injects.items()}
    if condition.after_inject is not None:
        at = released.get(condition.after_inject)
        return at is not None and move >= at + condition.delay_moves
    if condition.inject_resolved is not None:
        entry = state.injects.get(condition.inject_resolved)
        at = released.get(condition.inject_resolved)
        resolved = entry is not None and entry.resolved and at is not None
        return resolved and at is not None and move >= at + condition.delay_moves
    if condition.asset_status is not None:
        spec = condition.asset_status
        asset = state.asset(spec.asset)
        if asset is None:
            return False
        if spec.or_worse:
            return SEVERITY[asset.status] >= SEVERITY[spec.status]
        return asset.status == spec.status
    if condition.escalation_at_least is not None:
        return state.escalation_level >= condition.escalation_at_least
    if condition.order_kind_by is not None:
        return _ordered(condition, state, closed)
    if condition.capability_below is not None:
        return _capability_below(condition, state)
    children = [holds(c, state, move, released, closed) for c in condition.children()]
    if condition.all_of is not None:
        return all(children)
    if condition.any_of is not None:
        return any(children)
    return not any(children)


def _ordered(condition: Condition, state: ExerciseState, closed: ExerciseState | None) -> bool:
    spec = condition.order_kind_by
    assert spec is not None
    if spec.kind == "public_attribution" and spec.asset is None:
        if any(record.get("nation") == spec.nation for record in state.attributions):
            return True
    given: list[tuple[str, str]] = list(state.closed_orders.get(spec.nation, ()))
    for source in (closed, state):  # the move that closed, and the open move's orders so far
        if source is not None and spec.nation in source.nations:
            given.extend(order_key(s.order) for s in source.nations[spec.nation].orders.values())
    return any(kind == spec.kind and (spec.asset is None or subject == spec.asset) for kind, subject in given)


def _capability_below(condition: Condition, state: ExerciseState) -> bool:
    spec = condition.capability_below
    assert spec is not None
    if not state.metrics_by_move:
        return False
    latest = state.metrics_by_move[max(state.metrics_by_move)]
    capability = latest.get("capability")
    if not isinstance(capability, dict):
        return False
    share = capability.get(spec.nation, {}).get(spec.mission.value)
    return share is not None and float(share) < spec.below
