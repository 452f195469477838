"""Event bodies of the evaluation: observations, their edits and retractions, and the AAR/IP's input."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import EmptyOmitted, FreeText, Frozen, Identifier, NationId, NoneOmitted, ShortText

Rating = Literal["P", "S", "M", "U"]
"""HSEEP performance ratings: Performed without challenges (P), with some challenges (S), with
major challenges (M), Unable to be performed (U)."""
RatingSubject = Literal["objective", "capability"]
CapabilityElement = Literal["planning", "organization", "equipment", "training", "exercise"]
"""HSEEP's capability elements (POETE) an improvement item addresses."""
ItemKind = Literal["strength", "afi", "improvement_item"]


class ObservationRecorded(Frozen):
    """An evaluator's observation, tied to an objective, one of its critical tasks, an inject
    and a nation where relevant. Logs recorded before evaluation ids carry only objective,
    rating and text (the other fields are left out of their dumps)."""

    type: Literal["observation_recorded"] = "observation_recorded"
    objective_id: Identifier | None = None
    rating: Rating | None = None
    text: FreeText
    observation_id: Annotated[Identifier | None, NoneOmitted] = None
    task: Annotated[int | None, NoneOmitted] = None
    """The critical task: its number (1, 2, ...) in the objective's `criteria`."""
    inject_id: Annotated[Identifier | None, NoneOmitted] = None
    nation: Annotated[NationId | None, NoneOmitted] = None
    author: Annotated[ShortText, EmptyOmitted] = ""
    """The viewer of the seat that recorded it (evaluator, facilitator)."""
    author_member: Annotated[ShortText, EmptyOmitted] = ""
    """The named member holding that seat ("" for an unnamed link)."""


class ObservationEdited(Frozen):
    """An observation's new content (every field as it now reads), by its author or a facilitator."""

    type: Literal["observation_edited"] = "observation_edited"
    observation_id: Identifier
    objective_id: Identifier | None = None
    task: int | None = None
    inject_id: Identifier | None = None
    nation: NationId | None = None
    rating: Rating | None = None
    text: FreeText
    editor: ShortText
    editor_member: ShortText = ""


class ObservationRetracted(Frozen):
    """An observation withdrawn by its author or a facilitator: kept in the log and listed as
    retracted, left out of the AAR/IP."""

    type: Literal["observation_retracted"] = "observation_retracted"
    observation_id: Identifier
    reason: ShortText = ""
    by: ShortText
    by_member: ShortText = ""


class RatingSet(Frozen):
    """The final rating of an objective or a core capability for the AAR/IP (None: cleared)."""

    type: Literal["rating_set"] = "rating_set"
    subject: RatingSubject
    subject_id: ShortText
    """The objective's id, or the core capability's name as the scenario writes it."""
    rating: Rating | None
    rationale: FreeText = ""
    by: ShortText
    by_member: ShortText = ""


class StrengthSet(Frozen):
    """A strength of an objective's performance, new (revision 1) or revised."""

    type: Literal["strength_set"] = "strength_set"
    strength_id: Identifier
    revision: Annotated[int, Field(ge=1)]
    objective_id: Identifier
    text: FreeText
    observation_ids: tuple[Identifier, ...] = ()
    """Observations that support it."""
    by: ShortText
    by_member: ShortText = ""


class AfiSet(Frozen):
    """An area for improvement of an objective: what was observed, the analysis, the root cause
    and the recommendation; new (revision 1) or revised."""

    type: Literal["afi_set"] = "afi_set"
    afi_id: Identifier
    revision: Annotated[int, Field(ge=1)]
    objective_id: Identifier
    title: ShortText
    observation: FreeText
    analysis: FreeText = ""
    root_cause: FreeText = ""
    recommendation: FreeText = ""
    observation_ids: tuple[Identifier, ...] = ()
    by: ShortText
    by_member: ShortText = ""


class ImprovementItemSet(Frozen):
    """A line of the improvement plan: the corrective action for a core capability (and an AFI),
    who is responsible, and when it starts and ends; new (revision 1) or revised."""

    type: Literal["improvement_item_set"] = "improvement_item_set"
    item_id: Identifier
    revision: Annotated[int, Field(ge=1)]
    capability: ShortText
    afi_id: Identifier | None = None
    corrective_action: FreeText
    capability_element: CapabilityElement | None = None
    organisation: ShortText
    poc: ShortText = ""
    """The responsible organisation's point of contact."""
    start_date: date
    end_date: date
    by: ShortText
    by_member: ShortText = ""


class EvaluationItemRemoved(Frozen):
    """A strength, AFI or improvement item taken out of the AAR/IP (its versions stay in the log)."""

    type: Literal["evaluation_item_removed"] = "evaluation_item_removed"
    item_id: Identifier
    kind: ItemKind
    reason: ShortText = ""
    by: ShortText
    by_member: ShortText = ""


EVALUATION_EVENTS = frozenset({
    "observation_recorded", "observation_edited", "observation_retracted", "rating_set",
    "strength_set", "afi_set", "improvement_item_set", "evaluation_item_removed",
})
"""Event types of the evaluation (control-only: white cell, facilitators, evaluators)."""
