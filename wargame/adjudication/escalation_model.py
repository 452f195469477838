"""The escalation model: a score both sides move (hostile effects, DIME, public attributions, decay)."""

from __future__ import annotations

from collections.abc import Sequence

from wargame.domain.response_events import EscalationChanged
from wargame.domain.response_rules import ResponseRules
from wargame.domain.state import ExerciseState

EPS = 1e-9


def ladder_step(state: ExerciseState, score: float) -> tuple[int, str]:
    """The highest rung of the ruleset's ladder at or below `score`, and its name."""
    ladder = state.ruleset.escalation
    steps = [s for s in ladder if s.level <= score + EPS] or list(ladder[:1])
    if not steps:
        return 0, ""
    return steps[-1].level, steps[-1].name


def _attributions(
    state: ExerciseState, rules: ResponseRules
) -> tuple[list[tuple[float, str]], dict[str, float]]:
    """Score changes of this move's public attributions, and each accuser's credibility loss."""
    model = rules.escalation
    changes: list[tuple[float, str]] = []
    lost: dict[str, float] = {}
    for record in state.attributions:
        if record.get("move") != str(state.move):
            continue
        entry = state.injects.get(record["inject_id"])
        actor = None if entry is None else entry.inject.actor
        nation, accused, inject_id = record["nation"], record["accused"], record["inject_id"]
        if accused == actor:
            if model.attribution_delta:
                why = f"{nation} publicly attributed {inject_id} to {accused}"
                changes.append((model.attribution_delta, why))
        elif record["likelihood"] in model.false_accusation_levels:
            changes.append((
                model.false_accusation_delta,
                f"{nation} accused {accused} of {inject_id} ({record['likelihood']}), wrongly",
            ))
            lost[nation] = lost.get(nation, 0.0) + model.false_accusation_credibility
    return changes, lost


def escalation_changed(
    state: ExerciseState, effect_levels: Sequence[int], responses: Sequence[tuple[float, str]]
) -> EscalationChanged | None:
    """The score after this move: hostile effects ratchet it to at least their level, DIME
    responses and public attributions add their ruleset deltas, a quiet move (no effect landed,
    nothing added) decays it; clamped to the ladder. None without a `responses` ruleset."""
    rules = state.ruleset.responses
    if rules is None:
        return None
    before = max(state.responses.escalation_score, float(state.escalation_level))
    score = before
    reasons: list[str] = []
    if effect_levels and max(effect_levels) > score:
        reasons.append(f"hostile effects reached level {max(effect_levels)}")
        score = float(max(effect_levels))
    attributions, lost = _attributions(state, rules)
    changes = [*responses, *attributions]
    for delta, why in changes:
        score += delta
        reasons.append(f"{why}: {delta:+g}")
    decay = rules.escalation.decay_per_quiet_move
    if not effect_levels and not any(delta > 0 for delta, _ in changes) and decay:
        score -= decay
        reasons.append(f"a quiet move: -{decay:g}")
    top = max((s.level for s in state.ruleset.escalation), default=0)
    score = min(max(score, 0.0), float(top))
    level, name = ladder_step(state, score)
    credibility = {n: state.responses.credibility.get(n, 1.0) for n in state.played_nations()}
    for nation, loss in lost.items():
        if nation in credibility:
            credibility[nation] = max(0.0, credibility[nation] - loss)
    return EscalationChanged(
        move=state.move,
        score=round(score, 6),
        level=level,
        name=name,
        previous_score=round(before, 6),
        reasons=tuple(reasons),
        credibility=credibility,
    )
