"""Commands people ask for, and the typed rejection `decide` returns when it refuses one."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from wargame.domain.common import (
    FreeText,
    Frozen,
    Identifier,
    InjectType,
    Marking,
    NationId,
    Releasability,
    SharingLevel,
    ShortText,
)
from wargame.domain.evaluation_commands import (
    EditObservation,
    RecordObservation,
    RemoveEvaluationItem,
    RetractObservation,
    SetAfi,
    SetImprovementItem,
    SetRating,
    SetStrength,
)
from wargame.domain.inject_control_commands import EditInject, HoldInject, LiftHold, RetimeInject, SkipInject
from wargame.domain.orders import Order
from wargame.domain.override_commands import (
    ForceOutcome,
    OverrideStatus,
    ReadjudicateMove,
    UndoCollision,
    UndoDebris,
)
from wargame.domain.products import ProductSpec
from wargame.domain.request_commands import (
    AmendStatement,
    AnswerCapacity,
    AnswerRequest,
    AnswerStatement,
    DraftStatement,
    RequestCapacity,
    SendRequest,
)
from wargame.domain.sharing_analysis import SharingVariant
from wargame.domain.state import ExerciseState
from wargame.domain.tempo_commands import SetMoveDeadline


class StartExercise(Frozen):
    type: Literal["start_exercise"]


class PauseExercise(Frozen):
    type: Literal["pause_exercise"]
    reason: ShortText = ""


class ResumeExercise(Frozen):
    type: Literal["resume_exercise"]


class AdvanceMove(Frozen):
    """Close move `from_move`, adjudicate it and open the next (or end after the last)."""

    type: Literal["advance_move"]
    from_move: Annotated[int, Field(ge=1)]


class EndExercise(Frozen):
    type: Literal["end_exercise"]


class ReleaseInject(Frozen):
    type: Literal["release_inject"]
    inject_id: Identifier


class AdHocInject(Frozen):
    """An inject written on the spot by the white cell and released at once."""

    type: Literal["adhoc_inject"]
    inject_type: InjectType
    title: ShortText
    text: FreeText = ""
    target: Identifier | None = None
    actor: NationId | None = None
    recipients: tuple[NationId, ...] = ()
    params: dict[str, Any] = Field(default_factory=dict)
    """Parameters of `inject_type` (domain/inject_params.py); decide refuses bad ones with
    `invalid`, naming the field, and records them as their typed model dumps them."""
    releasability: Releasability = Releasability.NOFORN
    releasable_to: tuple[Identifier, ...] = ()
    """The nations (or scenario groups) of a REL marking; decide refuses a marking that
    contradicts the recipients (releasability.marking_problem)."""
    controller_notes: FreeText = ""


RESTORED_CAUSE = "restored: "
"""Prefix of the cause of the status change a restore_asset records, before the reason."""


class RestoreAsset(Frozen):
    """Return an asset to nominal (white cell): ends a reversible effect, such as a cyber seizure,
    before or without its duration. Irreversible effects and destruction cannot be restored."""

    type: Literal["restore_asset"]
    asset_id: Identifier
    reason: Annotated[str, Field(min_length=1, max_length=200 - len(RESTORED_CAUSE), pattern=r"\S")]
    """Why, in a few words (required); the owner's team reads it in the status change."""


class DiscloseStatus(Frozen):
    """Tell an asset's owner its true status (white cell), after an effect it did not notice
    (`observable_by: nobody`): a cyber seizure found by an audit, a spoofing report."""

    type: Literal["disclose_status"]
    asset_id: Identifier
    reason: Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]
    """How the owner finds out, in a few words (required); the owner's team reads it."""


class ReleaseProduct(Frozen):
    """Release one of our SSA products to partners, at a marking and a level. The marking decides
    who may receive it; `recipients` narrows that (empty: everyone the marking allows). A partner
    not covered by a standing agreement receives it after the foreign-disclosure review."""

    type: Literal["release_product"]
    product: ProductSpec
    marking: Marking
    level: SharingLevel = SharingLevel.FULL
    """full, delayed (a move old) or degraded (less precise); warnings and assessments go full."""
    recipients: tuple[NationId, ...] = ()


class WithdrawProduct(Frozen):
    """Stop releasing a product; partners keep what they already received."""

    type: Literal["withdraw_product"]
    product_id: Identifier


class ForwardInject(Frozen):
    """Forward an inject we received (or a forward of one) to partners, at a marking no wider
    than the one we received it under, with its text as is or sanitized."""

    type: Literal["forward_inject"]
    inject_id: Identifier
    marking: Marking
    recipients: tuple[NationId, ...] = ()
    text: FreeText | None = None
    """The text partners read; None forwards the original text."""
    title: ShortText | None = None
    """The title partners read; None forwards the original title (sanitize it with this)."""


class SubmitOrder(Frozen):
    type: Literal["submit_order"]
    order: Order
    reason: FreeText = ""


class CancelOrder(Frozen):
    type: Literal["cancel_order"]
    order_id: Identifier


class AnswerTasking(Frozen):
    type: Literal["answer_tasking"]
    request_id: Identifier
    accept: bool
    reason: FreeText = ""


class PostChat(Frozen):
    """Post to the team channel, the coalition channel, or a bilateral channel with `partner`."""

    type: Literal["post_chat"]
    channel: Literal["team", "coalition", "bilateral", "control"]
    partner: NationId | None = None
    text: Annotated[str, Field(min_length=1, max_length=4000)]


class RequestSharingAnalysis(Frozen):
    """Re-adjudicate the exercise played so far with the same seeds under other sharing (white
    cell, facilitators; also after the end). It runs in the background; its progress and result
    are recorded in the log for control seats."""

    type: Literal["request_sharing_analysis"]
    variants: Annotated[tuple[SharingVariant, ...], Field(max_length=32)] = ()
    """Besides as played, which always runs: all_full, none, no_review, withhold NATION, open
    NATION. Empty: all_full, none and no_review."""
    per_release: bool = True
    """Also what each release bought: each releasing nation withholding, and each recorded
    release removed alone (the first MAX_RELEASE_VARIANTS)."""


Command = Annotated[
    StartExercise
    | PauseExercise
    | ResumeExercise
    | AdvanceMove
    | EndExercise
    | ReleaseInject
    | AdHocInject
    | RestoreAsset
    | DiscloseStatus
    | ReleaseProduct
    | WithdrawProduct
    | ForwardInject
    | SubmitOrder
    | CancelOrder
    | AnswerTasking
    | PostChat
    | RecordObservation
    | RequestSharingAnalysis
    | EditObservation
    | RetractObservation
    | SetRating
    | SetStrength
    | SetAfi
    | SetImprovementItem
    | RemoveEvaluationItem
    | ForceOutcome
    | OverrideStatus
    | UndoDebris
    | UndoCollision
    | ReadjudicateMove
    | SkipInject
    | HoldInject
    | LiftHold
    | RetimeInject
    | EditInject
    | RequestCapacity
    | AnswerCapacity
    | DraftStatement
    | AmendStatement
    | AnswerStatement
    | SendRequest
    | AnswerRequest
    | SetMoveDeadline,
    Field(discriminator="type"),
]
command_adapter: TypeAdapter[Command] = TypeAdapter(Command)
"""Validates a command from its JSON-like form (tools, jobs, tests)."""


class Rejection(Frozen):
    """Why a command was refused. Nothing was recorded and the state did not change."""

    code: Literal[
        "forbidden",
        "wrong_phase",
        "stale",
        "unknown_target",
        "invalid",
        "not_owner",
        "already_done",
        "adjudication_failed",
        "time_limit",
    ]
    message: str
    current_seq: int = 0


def reject(state: ExerciseState, code: str, message: str) -> Rejection:
    """A Rejection at the state's last seq (nothing recorded, nothing changed)."""
    return Rejection(code=code, message=message, current_seq=state.last_seq)
