"""Commands of the evaluation: observations (record, edit, retract) and the AAR/IP's input."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import FreeText, Frozen, Identifier, NationId, ShortText
from wargame.domain.evaluation_events import CapabilityElement, Rating, RatingSubject

Words = Annotated[str, Field(min_length=1, max_length=4000, pattern=r"\S")]
"""Free text that must say something (not blank)."""
ShortWords = Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]


class ObservationFields(Frozen):
    """What an observation says and what it is tied to: an objective, one of its critical tasks
    (its number in the objective's `criteria`, as the EEG numbers them), an inject and a nation."""

    objective_id: Identifier | None = None
    task: Annotated[int, Field(ge=1)] | None = None
    inject_id: Identifier | None = None
    nation: NationId | None = None
    rating: Rating | None = None
    text: Words


class RecordObservation(ObservationFields):
    """Record an observation (evaluators and facilitators)."""

    type: Literal["record_observation"]


class EditObservation(ObservationFields):
    """Replace an observation's content (its author or a facilitator); the log keeps each version."""

    type: Literal["edit_observation"]
    observation_id: Identifier


class RetractObservation(Frozen):
    """Withdraw an observation (its author or a facilitator); it stays in the log, marked retracted."""

    type: Literal["retract_observation"]
    observation_id: Identifier
    reason: ShortText = ""


class SetRating(Frozen):
    """The final P/S/M/U rating of an objective or a core capability (None clears it)."""

    type: Literal["set_rating"]
    subject: RatingSubject
    subject_id: ShortWords
    """An objective's id, or a core capability's name as the scenario writes it."""
    rating: Rating | None
    rationale: FreeText = ""


class SetStrength(Frozen):
    """Record a strength of an objective (`strength_id` None), or revise one (its author or a
    facilitator)."""

    type: Literal["set_strength"]
    strength_id: Identifier | None = None
    objective_id: Identifier
    text: Words
    observation_ids: tuple[Identifier, ...] = ()


class SetAfi(Frozen):
    """Record an area for improvement of an objective (`afi_id` None), or revise one."""

    type: Literal["set_afi"]
    afi_id: Identifier | None = None
    objective_id: Identifier
    title: ShortWords
    observation: Words
    """What was observed."""
    analysis: FreeText = ""
    root_cause: FreeText = ""
    recommendation: FreeText = ""
    observation_ids: tuple[Identifier, ...] = ()


class SetImprovementItem(Frozen):
    """Add a line to the improvement plan (`item_id` None), or revise one. `capability` may be
    left out when `afi_id` names an AFI: the AFI's objective's capability is taken."""

    type: Literal["set_improvement_item"]
    item_id: Identifier | None = None
    afi_id: Identifier | None = None
    capability: ShortWords | None = None
    corrective_action: Words
    capability_element: CapabilityElement | None = None
    organisation: ShortWords
    poc: ShortText = ""
    start_date: date
    end_date: date


class RemoveEvaluationItem(Frozen):
    """Take a strength, an AFI or an improvement item out of the AAR/IP (its author or a
    facilitator); an AFI that improvement items name stays until they are re-linked or removed."""

    type: Literal["remove_evaluation_item"]
    item_id: Identifier
    reason: ShortText = ""

