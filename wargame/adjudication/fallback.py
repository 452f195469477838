"""Fallback capacity in the capability score: units lent by providers raise the requester's score."""

from __future__ import annotations

from wargame.domain.state import ExerciseState


def with_fallback(state: ExerciseState, scores: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """`scores` (capability per played nation and mission area) with the fallback capacity lent to
    each nation in this move: each unit adds ruleset requests.capability_per_unit to its area, up
    to requests.max_capability (a score already above it stays). An area the nation had no asset
    in enters the scores from 0."""
    rules = state.ruleset.requests
    if rules is None:
        return scores
    out = {nation: dict(areas) for nation, areas in scores.items()}
    for nation, areas in out.items():
        for area, units in state.requests.lent_to(nation, state.move).items():
            before = areas.get(area.value, 0.0)
            raised = min(rules.max_capability, before + units * rules.capability_per_unit)
            areas[area.value] = max(before, raised)
        out[nation] = dict(sorted(areas.items()))
    return out
