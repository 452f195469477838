"""The value-of-sharing analysis in the rules: deciding a request, and how its events change the
state (ExerciseState.analyses)."""

from __future__ import annotations

from wargame.domain.commands import Rejection, RequestSharingAnalysis, reject
from wargame.domain.events import (
    EventBody,
    SharingAnalysisCompleted,
    SharingAnalysisFailed,
    SharingAnalysisProgress,
    SharingAnalysisRequested,
)
from wargame.domain.ids import new_id
from wargame.domain.releasability import participants
from wargame.domain.sharing_analysis import (
    AS_PLAYED,
    REQUESTABLE_KINDS,
    AnalysisStatus,
    SharingVariant,
)
from wargame.domain.state import ExerciseState

DEFAULT_VARIANTS = (
    SharingVariant(kind="all_full"),
    SharingVariant(kind="none"),
    SharingVariant(kind="no_review"),
)
"""What a request that names no variant compares with as played."""


def decide_analysis(state: ExerciseState, cmd: RequestSharingAnalysis) -> list[EventBody] | Rejection:
    """One SharingAnalysisRequested of the log so far: as played first, then the variants asked
    for (or the defaults), each once."""
    if state.phase == "setup" or state.move == 0:
        return reject(state, "wrong_phase", "there is nothing to analyse before the exercise has started")
    played = state.played_nations()
    for variant in cmd.variants:
        if variant.kind not in REQUESTABLE_KINDS:
            kinds = ", ".join(REQUESTABLE_KINDS)
            return reject(
                state,
                "invalid",
                f"variants: {variant.kind} is not requested by name (one of {kinds}); "
                "per_release adds one per recorded release",
            )
        if variant.nation is not None and variant.nation not in played:
            known = ", ".join(played)
            message = f"variants: {variant.nation} is not a played nation ({known})"
            return reject(state, "unknown_target", message)
        if variant.kind == "open" and variant.nation not in participants(state.scenario):
            message = f"variants: open {variant.nation}: only a coalition nation (not red) releases to all"
            return reject(state, "invalid", message)
    variants: list[SharingVariant] = [AS_PLAYED]
    for variant in cmd.variants or DEFAULT_VARIANTS:
        if variant not in variants:
            variants.append(variant)
    return [
        SharingAnalysisRequested(
            analysis_id=new_id(state, "SA"),
            through_seq=state.last_seq,
            variants=tuple(variants),
            per_release=cmd.per_release,
        )
    ]


def evolve_analysis(state: ExerciseState, body: EventBody) -> ExerciseState:
    """The analyses' statuses after one of their events. Each is recorded alone in its batch, so
    its seq is the one after the state's (as `move_closing`'s)."""
    analyses = dict(state.analyses)
    match body:
        case SharingAnalysisRequested():
            analyses[body.analysis_id] = AnalysisStatus(
                analysis_id=body.analysis_id,
                requested_seq=state.last_seq + 1,
                through_seq=body.through_seq,
                variants=body.variants,
                per_release=body.per_release,
            )
        case SharingAnalysisProgress():
            found = analyses[body.analysis_id]
            analyses[body.analysis_id] = found.model_copy(
                update={"phase": "running", "done": body.done, "total": body.total, "step": body.step}
            )
        case SharingAnalysisCompleted():
            found = analyses[body.analysis_id]
            update = {"phase": "done", "result_seq": state.last_seq + 1, "step": ""}
            analyses[body.analysis_id] = found.model_copy(update={**update, "done": found.total})
        case SharingAnalysisFailed():
            found = analyses[body.analysis_id]
            analyses[body.analysis_id] = found.model_copy(update={"phase": "failed", "reason": body.reason})
        case _:
            raise ValueError(f"{body.type} is not an analysis event")
    return state.model_copy(update={"analyses": analyses})


def analysis_refusal(state: ExerciseState, analysis_id: str) -> str | None:
    """Why progress or a result of `analysis_id` may not be recorded now (None: it may): the
    analysis must have been requested and be neither done nor failed."""
    found = state.analyses.get(analysis_id)
    if found is None:
        return f"no analysis {analysis_id!r} was requested"
    if found.phase in ("done", "failed"):
        return f"analysis {analysis_id!r} is already {found.phase}"
    return None
