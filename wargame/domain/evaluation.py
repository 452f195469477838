"""The evaluation's state (observations and the AAR/IP's input), its fold, and core capabilities."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from wargame.domain.common import Frozen
from wargame.domain.evaluation_events import (
    AfiSet,
    CapabilityElement,
    EvaluationItemRemoved,
    ImprovementItemSet,
    ObservationEdited,
    ObservationRecorded,
    ObservationRetracted,
    Rating,
    RatingSet,
    RatingSubject,
    StrengthSet,
)
from wargame.domain.scenario_model import Objective, Scenario

RATING_WORDS: dict[str, str] = {
    "P": "Performed without challenges",
    "S": "Performed with some challenges",
    "M": "Performed with major challenges",
    "U": "Unable to be performed",
}
"""HSEEP's words for each rating, as the AAR/IP prints them."""
LEGACY_OBSERVATION_PREFIX = "obs-seq"
"""Id of an observation recorded before observations had ids: this prefix and its event's seq."""


class Observation(Frozen):
    """One observation as it now reads, who recorded it, and whether it was edited or retracted."""

    observation_id: str
    objective_id: str | None = None
    task: int | None = None
    inject_id: str | None = None
    nation: str | None = None
    rating: Rating | None = None
    text: str
    author: str = ""
    author_member: str = ""
    move: int
    seq: int
    """The seq of the event that recorded it."""
    edits: int = 0
    retracted: bool = False
    retract_reason: str = ""


class FinalRating(Frozen):
    subject: RatingSubject
    subject_id: str
    rating: Rating
    rationale: str = ""
    by: str
    by_member: str = ""


class Strength(Frozen):
    strength_id: str
    revision: int
    objective_id: str
    text: str
    observation_ids: tuple[str, ...] = ()
    by: str
    by_member: str = ""
    """Who recorded this version."""
    author: str
    author_member: str = ""
    """Who recorded the first version: with facilitators, the one who may revise or remove it."""


class AreaForImprovement(Frozen):
    afi_id: str
    revision: int
    objective_id: str
    title: str
    observation: str
    analysis: str = ""
    root_cause: str = ""
    recommendation: str = ""
    observation_ids: tuple[str, ...] = ()
    by: str
    by_member: str = ""
    """Who recorded this version."""
    author: str
    author_member: str = ""
    """Who recorded the first version: with facilitators, the one who may revise or remove it."""


class ImprovementItem(Frozen):
    item_id: str
    revision: int
    capability: str
    afi_id: str | None = None
    corrective_action: str
    capability_element: CapabilityElement | None = None
    organisation: str
    poc: str = ""
    start_date: date
    end_date: date
    by: str
    by_member: str = ""
    """Who recorded this version."""
    author: str
    author_member: str = ""
    """Who recorded the first version: with facilitators, the one who may revise or remove it."""


class Evaluation(Frozen):
    """What evaluators and facilitators recorded, in the order recorded (dicts keep it)."""

    observations: dict[str, Observation] = Field(default_factory=dict)
    ratings: dict[str, FinalRating] = Field(default_factory=dict)
    """By `rating_key(subject, subject_id)`; a cleared rating is absent."""
    strengths: dict[str, Strength] = Field(default_factory=dict)
    afis: dict[str, AreaForImprovement] = Field(default_factory=dict)
    improvements: dict[str, ImprovementItem] = Field(default_factory=dict)


EvaluationBody = (
    ObservationRecorded | ObservationEdited | ObservationRetracted | RatingSet | StrengthSet | AfiSet
    | ImprovementItemSet | EvaluationItemRemoved
)


def rating_key(subject: str, subject_id: str) -> str:
    return f"{subject}:{subject_id}"


def objective_capabilities(objective: Objective) -> list[str]:
    """The core capabilities an objective exercises: its `capability`, else its mission areas."""
    if objective.capability:
        return [objective.capability]
    return [area.value for area in objective.mission_areas]


def core_capabilities(scenario: Scenario) -> list[str]:
    """The exercise's core capabilities as the scenario names them, in objective order."""
    found: list[str] = []
    for objective in scenario.objectives:
        found.extend(c for c in objective_capabilities(objective) if c not in found)
    return found


def apply_evaluation(evaluation: Evaluation, body: EvaluationBody, move: int, seq: int) -> Evaluation:
    """The evaluation after one of its events (recorded at `seq`, in `move`)."""
    match body:
        case ObservationRecorded():
            oid = body.observation_id or f"{LEGACY_OBSERVATION_PREFIX}{seq}"
            observation = Observation(
                observation_id=oid, objective_id=body.objective_id, task=body.task,
                inject_id=body.inject_id, nation=body.nation, rating=body.rating, text=body.text,
                author=body.author, author_member=body.author_member, move=move, seq=seq,
            )
            return _with(evaluation, observations={**evaluation.observations, oid: observation})
        case ObservationEdited():
            old = evaluation.observations[body.observation_id]
            new = old.model_copy(update={
                **body.model_dump(include={"objective_id", "task", "inject_id", "nation", "rating", "text"}),
                "edits": old.edits + 1,
            })
            return _with(evaluation, observations={**evaluation.observations, new.observation_id: new})
        case ObservationRetracted():
            old = evaluation.observations[body.observation_id]
            new = old.model_copy(update={"retracted": True, "retract_reason": body.reason})
            return _with(evaluation, observations={**evaluation.observations, new.observation_id: new})
        case RatingSet():
            key = rating_key(body.subject, body.subject_id)
            ratings = {k: v for k, v in evaluation.ratings.items() if k != key}
            if body.rating is not None:
                ratings[key] = FinalRating.model_validate(body.model_dump(exclude={"type"}))
            return _with(evaluation, ratings=ratings)
        case StrengthSet(strength_id=key):
            strength = Strength.model_validate(_version(evaluation.strengths.get(key), body))
            return _with(evaluation, strengths={**evaluation.strengths, key: strength})
        case AfiSet(afi_id=key):
            afi = AreaForImprovement.model_validate(_version(evaluation.afis.get(key), body))
            return _with(evaluation, afis={**evaluation.afis, key: afi})
        case ImprovementItemSet(item_id=key):
            item = ImprovementItem.model_validate(_version(evaluation.improvements.get(key), body))
            return _with(evaluation, improvements={**evaluation.improvements, key: item})
        case EvaluationItemRemoved(item_id=item_id, kind=kind):
            field = ITEM_FIELDS[kind]
            items = {k: v for k, v in getattr(evaluation, field).items() if k != item_id}
            return _with(evaluation, **{field: items})
    raise ValueError(f"no evaluation rule for {body.type!r}")


ITEM_FIELDS = {"strength": "strengths", "afi": "afis", "improvement_item": "improvements"}
"""Where each kind of AAR/IP item lives in the Evaluation."""


Item = Strength | AreaForImprovement | ImprovementItem


def _version(old: Item | None, body: StrengthSet | AfiSet | ImprovementItemSet) -> dict[str, object]:
    """An item as this version has it; its author is whoever recorded the first (kept by revisions)."""
    if old is not None:
        author = {"author": old.author, "author_member": old.author_member}
    else:
        author = {"author": body.by, "author_member": body.by_member}
    return {**body.model_dump(exclude={"type"}), **author}


def _with(evaluation: Evaluation, **changes: object) -> Evaluation:
    return evaluation.model_copy(update=changes)
