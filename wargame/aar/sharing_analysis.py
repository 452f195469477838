"""Running the value-of-sharing analysis on a log: as played (checked against the record), then
each variant from the last move its sharing still agrees with, measured per nation and move."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from wargame.aar.sharing_outcomes import assessment_outcomes, nation_outcomes
from wargame.adjudication.counterfactual import Checkpoint, MoveResult, first_difference, walk
from wargame.adjudication.counterfactual_variants import (
    divergence,
    releases_in_log,
    sharing_nations,
)
from wargame.domain.background import BackgroundCatalog
from wargame.domain.events import EventEnvelope, ProductReleased
from wargame.domain.evolve import evolve
from wargame.domain.sharing_analysis import (
    AS_PLAYED,
    MAX_RELEASE_VARIANTS,
    AssessmentOutcome,
    NationOutcome,
    ReleaseInfo,
    SharingAnalysisResult,
    SharingVariant,
    VariantOutcome,
)
from wargame.domain.state import ExerciseState

Progress = Callable[[int, int, str], None]
"""Told (moves done, moves in all, what is being done) after each move re-adjudicated."""


def plan_variants(
    events: Sequence[EventEnvelope], requested: Sequence[SharingVariant], per_release: bool
) -> list[SharingVariant]:
    """As played, the requested variants, and with `per_release` each nation that shared
    withholding and each recorded release removed alone (the first MAX_RELEASE_VARIANTS)."""
    planned: list[SharingVariant] = [AS_PLAYED]
    extra: list[SharingVariant] = []
    if per_release:
        extra += [SharingVariant(kind="withhold", nation=n) for n in sharing_nations(events)]
        releases = releases_in_log(events)[:MAX_RELEASE_VARIANTS]
        extra += [SharingVariant(kind="without_release", product_id=p) for p, _nation in releases]
    for variant in [*requested, *extra]:
        if variant not in planned:
            planned.append(variant)
    return planned


@dataclass(frozen=True)
class _Plan:
    variant: SharingVariant
    start: Checkpoint | None
    moves: int
    """Closings it adjudicates again."""


def _start_of(diverges: int | None, checkpoints: Sequence[Checkpoint]) -> tuple[Checkpoint | None, bool]:
    """Where a variant's walk begins: the last closing before its first change (whose result it
    shares), or the log's start; (None, True) when it changes nothing re-adjudicated."""
    if diverges is None or (checkpoints and diverges > checkpoints[-1].index):
        return None, True
    before = [c for c in checkpoints if c.index < diverges]
    return (before[-1] if before else None), False


class _Tally:
    """Outcomes of one walk, per move, and the progress of the whole analysis."""

    def __init__(self, nations: Sequence[str], timely_hours: float) -> None:
        self.nations, self.timely_hours = list(nations), timely_hours
        self.by_move: dict[int, dict[str, NationOutcome]] = {}
        self.assessments: dict[int, list[AssessmentOutcome]] = {}

    def add(self, result: MoveResult) -> None:
        if result.move == 0:
            return
        move, bodies = result.move, result.bodies
        self.by_move[move] = nation_outcomes(move, bodies, self.nations, self.timely_hours)
        self.assessments[result.move] = assessment_outcomes(result.move, result.bodies)


def analyse(
    events: Sequence[EventEnvelope],
    variants: Sequence[SharingVariant],
    background: BackgroundCatalog,
    progress: Progress | None = None,
) -> SharingAnalysisResult:
    """Re-adjudicate `events` (a log from exercise_created, in seq order) under each variant.

    As played runs first, from the start, and its computed core events are compared with the
    recorded ones (`exact`); its state at each move closing is kept, so that each other variant
    starts at the last closing before its first change (earlier moves are as played)."""
    began = time.perf_counter()
    created = evolve(None, events[0], background)
    nations = created.played_nations()
    timely = created.ruleset.warning.timely_hours
    closings = [i for i, e in enumerate(events) if e.body.type == "move_closing"]
    checkpoints: list[Checkpoint] = []
    plans = _plans(events, variants, created, closings)
    total = sum(p.moves for p in plans) + len(closings)
    done = 0

    def step(label: str, move: int) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total, f"{label}: {'the start' if move == 0 else f'move {move}'}")

    tally, mismatch = _Tally(nations, timely), ""
    t0 = time.perf_counter()
    for result in walk(events, AS_PLAYED, background, checkpoints=checkpoints):
        tally.add(result)
        mismatch = mismatch or _mismatch(result)
        step(AS_PLAYED.label, result.move)
    base = tally
    played = _outcome(AS_PLAYED, tally, None, 0, time.perf_counter() - t0)
    outcomes = [played]
    for plan in plans:
        if plan.variant == AS_PLAYED:
            continue
        start, unchanged = _start_of(_diverges(plan.variant, events, created), checkpoints)
        if unchanged:
            same = {"variant": plan.variant, "from_move": None, "seconds": 0.0}
            outcomes.append(played.model_copy(update=same))
            continue
        t0, tally = time.perf_counter(), _Tally(nations, timely)
        from_move = None
        for result in walk(events, plan.variant, background, start=start, reuse_start=True):
            tally.add(result)
            if start is None or result.move != start.move:
                from_move = result.move if from_move is None else from_move
                step(plan.variant.label, result.move)
        outcomes.append(_outcome(plan.variant, tally, base, from_move, time.perf_counter() - t0))
    removed = {v.product_id for v in variants if v.kind == "without_release"}
    return SharingAnalysisResult(
        releases=tuple(_release_info(e) for e in events if isinstance(e.body, ProductReleased)
                       and e.body.product_id in removed),
        through_seq=events[-1].seq,
        nations=tuple(nations),
        moves=tuple(sorted(played.by_move)),
        exact=not mismatch,
        mismatch=mismatch[:200],
        variants=tuple(outcomes),
        seconds=time.perf_counter() - began,
    )


def _diverges(variant: SharingVariant, events: Sequence[EventEnvelope], created: ExerciseState) -> int | None:
    return divergence(variant, events, created)


def _plans(
    events: Sequence[EventEnvelope],
    variants: Sequence[SharingVariant],
    created: ExerciseState,
    closings: Sequence[int],
) -> list[_Plan]:
    """Each variant with how many closings it adjudicates again (for progress)."""
    plans: list[_Plan] = []
    for variant in variants:
        if variant == AS_PLAYED:
            continue
        diverges = _diverges(variant, events, created)
        moves = 0 if diverges is None else sum(1 for i in closings if i >= diverges)
        plans.append(_Plan(variant, None, moves))
    return plans


def _mismatch(result: MoveResult) -> str:
    found = first_difference(result.bodies, result.recorded)
    if found is None:
        return ""
    return f"{'the start' if result.move == 0 else f'move {result.move}'}: {found}"


def _outcome(
    variant: SharingVariant, tally: _Tally, base: _Tally | None, from_move: int | None, seconds: float
) -> VariantOutcome:
    """The variant's outcome: its own moves, and as played (`base`) before it diverged."""
    by_move = dict(base.by_move) if base is not None else {}
    assessments = dict(base.assessments) if base is not None else {}
    by_move.update(tally.by_move)
    assessments.update(tally.assessments)
    return VariantOutcome(
        variant=variant,
        by_move=dict(sorted(by_move.items())),
        assessments=tuple(a for m in sorted(assessments) for a in assessments[m]),
        from_move=from_move,
        seconds=seconds,
    )


def _release_info(event: EventEnvelope) -> ReleaseInfo:
    body = event.body
    assert isinstance(body, ProductReleased)
    return ReleaseInfo(product_id=body.product_id, nation=body.nation, kind=body.product.kind,
                       marking=body.marking, move=event.move, recipients=body.recipients)
