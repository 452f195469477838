"""Event bodies (immutable facts, discriminated by `type`) and the envelope every event is stored in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import Field, PrivateAttr, model_validator

from wargame.domain.background import CatalogRef
from wargame.domain.common import (
    AssetStatus,
    EmptyOmitted,
    FreeText,
    Frozen,
    Identifier,
    Marking,
    NationId,
    NoneOmitted,
    SharingLevel,
    ShortText,
    TrueOmitted,
    UtcDatetime,
    ZeroOmitted,
)
from wargame.domain.counterspace_events import CounterspaceFired, RadiationBeltFormed
from wargame.domain.encounters import EncounterEstimate
from wargame.domain.evaluation_events import (
    AfiSet,
    EvaluationItemRemoved,
    ImprovementItemSet,
    ObservationEdited,
    ObservationRecorded,
    ObservationRetracted,
    RatingSet,
    StrengthSet,
)
from wargame.domain.feed_events import TeamNotified
from wargame.domain.orders import Order
from wargame.domain.override_events import (
    CollisionUndone,
    DebrisRemoved,
    InjectEdited,
    InjectHeld,
    InjectHoldLifted,
    InjectOutcomeForced,
    InjectRetimed,
    InjectSkipped,
    MoveReadjudicated,
    StatusOverridden,
)
from wargame.domain.pictures import PictureRef
from wargame.domain.products import ProductSpec
from wargame.domain.request_events import (
    CapacityAnswered,
    CapacityRequested,
    RequestAnswered,
    RequestLapsed,
    RequestSent,
    StatementAmended,
    StatementAnswered,
    StatementDrafted,
    StatementIssued,
)
from wargame.domain.response_events import (
    DimeTaken,
    EscalationChanged,
    EvasionResolved,
    GroundSegmentActed,
    ResponseFailed,
    SpareActivated,
    SpareArrived,
)
from wargame.domain.ruleset_model import Ruleset
from wargame.domain.scenario_model import Inject, Orbit, Scenario
from wargame.domain.sharing_analysis import SharingAnalysisResult, SharingVariant
from wargame.domain.state import TrackTable
from wargame.domain.tempo_events import DeadlinePassed, DeadlineWarning, MoveClockSet


class ExerciseCreated(Frozen):
    type: Literal["exercise_created"] = "exercise_created"
    title: ShortText
    scenario: Scenario
    """The scenario as loaded, its background catalog apart (`catalog`)."""
    ruleset: Ruleset
    seed: int
    catalog: Annotated[CatalogRef | None, NoneOmitted] = None
    """The background catalog's blob, stored once per exercise; None in logs written before
    catalogs were kept apart, whose scenario lists every object."""
    id_salt: Annotated[str, EmptyOmitted] = ""
    """A random secret that keys the ids of things made in play (domain/ids.py), so that an id
    reveals nothing of others' activity; empty in logs recorded before it."""


class ExerciseStarted(Frozen):
    type: Literal["exercise_started"] = "exercise_started"
    move: int
    scenario_time: UtcDatetime


class ExercisePaused(Frozen):
    type: Literal["exercise_paused"] = "exercise_paused"
    reason: ShortText = ""


class ExerciseResumed(Frozen):
    type: Literal["exercise_resumed"] = "exercise_resumed"


class ExerciseEnded(Frozen):
    type: Literal["exercise_ended"] = "exercise_ended"
    move: int


class MoveAdvanced(Frozen):
    type: Literal["move_advanced"] = "move_advanced"
    move: int
    scenario_time: UtcDatetime


class MoveClosing(Frozen):
    """A command closed `move` for adjudication (advance_move; start_exercise closes move 0 for
    the first pictures). Until the move advances, reopens or the exercise ends, the inputs the
    core reads are refused (orders, taskings, products, restores); chat and injects go on."""

    type: Literal["move_closing"] = "move_closing"
    move: int
    command: ShortText
    """The command that closes it, as `<viewer>/<command_id>`: only its adjudication commits."""
    lease_until: UtcDatetime
    """Until when the closing is that command's; after it another advance_move may take the
    move over (the process adjudicating it died)."""


class MoveReopened(Frozen):
    """The adjudication of a closing move failed: the move is open again, teams can act, and
    the white cell may advance again."""

    type: Literal["move_reopened"] = "move_reopened"
    move: int
    reason: ShortText


class InjectReleased(Frozen):
    type: Literal["inject_released"] = "inject_released"
    inject: Inject
    adhoc: bool = False
    scenario_time: Annotated[UtcDatetime | None, NoneOmitted] = None
    """The inject's planned scenario time when it was released at it, within its move (tempo)."""


class SharingPolicySet(Frozen):
    type: Literal["sharing_policy_set"] = "sharing_policy_set"
    nation: NationId
    partner: NationId
    level: SharingLevel


class ProductReleased(Frozen):
    """A nation released one of its SSA products to partners (sharing by product)."""

    type: Literal["product_released"] = "product_released"
    nation: NationId
    product_id: Identifier
    product: ProductSpec
    marking: Marking
    level: SharingLevel
    recipients: tuple[NationId, ...]
    effective: dict[NationId, int]
    """The move from which each recipient receives it (after any disclosure review)."""


class ProductWithdrawn(Frozen):
    type: Literal["product_withdrawn"] = "product_withdrawn"
    nation: NationId
    product_id: Identifier
    recipients: tuple[NationId, ...]


class InjectForwarded(Frozen):
    """A nation forwarded an inject it received to partners (its text possibly sanitized)."""

    type: Literal["inject_forwarded"] = "inject_forwarded"
    nation: NationId
    forward_id: Identifier
    inject_id: Identifier
    title: ShortText
    text: FreeText
    marking: Marking
    recipients: tuple[NationId, ...]


class OrderSubmitted(Frozen):
    type: Literal["order_submitted"] = "order_submitted"
    order_id: Identifier
    nation: NationId
    order: Order
    reason: FreeText = ""


class OrderCancelled(Frozen):
    type: Literal["order_cancelled"] = "order_cancelled"
    order_id: Identifier
    nation: NationId


class TaskingRequested(Frozen):
    type: Literal["tasking_requested"] = "tasking_requested"
    request_id: Identifier
    requester: NationId
    partner: NationId
    sensor_id: Identifier
    object_id: Identifier


class TaskingAnswered(Frozen):
    type: Literal["tasking_answered"] = "tasking_answered"
    request_id: Identifier
    requester: NationId
    partner: NationId
    accepted: bool
    reason: FreeText = ""


class AttributionPublished(Frozen):
    type: Literal["attribution_published"] = "attribution_published"
    nation: NationId
    inject_id: Identifier
    accused: NationId
    likelihood: ShortText
    statement: FreeText = ""


class ChatPosted(Frozen):
    type: Literal["chat_posted"] = "chat_posted"
    message_id: Identifier
    channel: ShortText
    sender: ShortText
    text: FreeText


class ManoeuvreExecuted(Frozen):
    """An executed burn; its delta-v in the asset's RTN frame at the burn (see ManoeuvreOrder)."""

    type: Literal["manoeuvre_executed"] = "manoeuvre_executed"
    asset_id: Identifier
    owner: NationId
    dv_m_per_s: float
    """Along-track component, m/s."""
    dv_radial_m_per_s: ZeroOmitted = 0.0
    """Radial component, m/s."""
    dv_cross_track_m_per_s: ZeroOmitted = 0.0
    """Cross-track component, m/s."""
    orbit: Orbit
    propellant_dv_m_per_s: float


class AntiJamSet(Frozen):
    type: Literal["anti_jam_set"] = "anti_jam_set"
    asset_id: Identifier
    owner: NationId
    enabled: bool


class AssetStatusChanged(Frozen):
    """An asset's status changed: an effect landed, it recovered, or the white cell restored it."""

    type: Literal["asset_status_changed"] = "asset_status_changed"
    asset_id: Identifier
    owner: NationId | None
    status: AssetStatus
    until_move: int | None = None
    cause: ShortText
    """'inject:<id>' for an effect, 'recovered' at the end of its duration, 'restored: <reason>'
    when the white cell restored it (restore_asset). A disclosure is its own event
    (StatusDisclosed)."""
    inject_id: Identifier | None = None
    observers: tuple[NationId, ...] = ()
    """Nations other than the owner that observed the change."""
    reversible: TrueOmitted = True
    """Whether the white cell may restore the asset from this status (restore_asset). False for an
    irreversible effect (the ruleset's `reversible: false`) and for destruction. Left out of dumps
    when True, so logs written before the field existed hash the same (and read as True)."""
    noticed_by_owner: TrueOmitted = True
    """False: the owner's team is not told (an effect with `observable_by: nobody`, or the end of
    one); its view keeps the status it last knew until the white cell discloses the truth
    (disclose_status). Left out of dumps when True, like `reversible`."""
    team_cause: Annotated[ShortText | None, NoneOmitted] = None
    """The cause teams read instead of `cause` (a white-cell override reads 'corrected by exercise
    control' unless the scenario announces corrections); None: they read `cause`."""


class StatusDisclosed(Frozen):
    """The white cell told an owner the true status of its asset (disclose_status)."""

    type: Literal["status_disclosed"] = "status_disclosed"
    asset_id: Identifier
    owner: NationId
    status: AssetStatus
    until_move: int | None = None
    reason: ShortText


class InjectResolved(Frozen):
    type: Literal["inject_resolved"] = "inject_resolved"
    inject_id: Identifier
    outcome: ShortText
    p_success: float
    succeeded: bool
    details: dict[str, Any] = Field(default_factory=dict)


class PictureUpdated(Frozen):
    """A nation's new SSA picture after a move (or at the start, move 0)."""

    type: Literal["picture_updated"] = "picture_updated"
    nation: NationId
    move: int
    tracks: Annotated[TrackTable, EmptyOmitted] = Field(default_factory=TrackTable)
    """Logs recorded before custody records: the picture's rows themselves (columnar)."""
    picture: Annotated[PictureRef | None, NoneOmitted] = None
    """The blobs the picture is rendered from, and its counts by source."""
    attachments: Annotated[dict[str, bytes], Field(exclude=True, repr=False)] = Field(default_factory=dict)
    """New blobs the picture refers to, by digest, from the core to the store (never written
    into the log: the service stores them beside the event)."""


class ConjunctionWarning(Frozen):
    type: Literal["conjunction_warning"] = "conjunction_warning"
    nation: NationId
    asset_id: Identifier
    other_id: Identifier
    tca: UtcDatetime
    miss_km: float
    pc: float
    action_threshold_exceeded: bool
    shared_with: Annotated[dict[NationId, Marking], EmptyOmitted] = Field(default_factory=dict)
    """Partners that receive it through the nation's released product of this kind, with that
    product's marking (left out when none, as in logs recorded before products)."""
    id: Annotated[Identifier | None, NoneOmitted] = None
    """The warning's id (domain/ids.warning_id): what a seat names to fetch its CDM. Left out
    in logs recorded before CDMs, whose warnings have none."""
    estimate: Annotated[EncounterEstimate | None, NoneOmitted] = None
    """The nation's estimated states and sigmas at TCA, from which its CDM is written (left out
    in logs recorded before CDMs, and when sgp4 could not place an object at TCA)."""


class CloseApproachDetected(Frozen):
    """A nation saw an object close on one of the assets its picture holds (its estimate)."""

    type: Literal["close_approach_detected"] = "close_approach_detected"
    nation: NationId
    asset_id: Identifier
    other_id: Identifier
    range_km: float
    inject_id: Annotated[Identifier | None, NoneOmitted] = None
    """The close-approach inject this detection reveals (left out in logs recorded before)."""
    shared_with: Annotated[dict[NationId, Marking], EmptyOmitted] = Field(default_factory=dict)
    """Partners that receive it through the nation's released product of this kind, with that
    product's marking (left out when none, as in logs recorded before products)."""


class FragmentTable(Frozen):
    """Fragments of one breakup by columns: mean Keplerian elements at one epoch (the breakup)."""

    epoch: UtcDatetime
    ids: tuple[Identifier, ...] = ()
    a_km: tuple[float, ...] = ()
    e: tuple[float, ...] = ()
    i_deg: tuple[float, ...] = ()
    raan_deg: tuple[float, ...] = ()
    argp_deg: tuple[float, ...] = ()
    ma_deg: tuple[float, ...] = ()

    @model_validator(mode="after")
    def _same_lengths(self) -> FragmentTable:
        n = len(self.ids)
        columns = (self.a_km, self.e, self.i_deg, self.raan_deg, self.argp_deg, self.ma_deg)
        if any(len(c) != n for c in columns):
            raise ValueError("every FragmentTable column must have one entry per fragment id")
        return self


class DebrisCreated(Frozen):
    """A breakup: its cataloged fragments enter the ground truth as debris (controllers only)."""

    type: Literal["debris_created"] = "debris_created"
    parent_id: Identifier
    cause: ShortText
    """The breakup cause: the inject type (direct_ascent_asat, co_orbital) or conjunction."""
    inject_id: Identifier | None = None
    n_trackable: int = 0
    """Fragments above the tracked size the model predicts (before the catalog cap and re-entry)."""
    fragments: FragmentTable


class ThreatAssessed(Frozen):
    """One nation's warning and attribution assessment of one hostile inject (its own evidence)."""

    type: Literal["threat_assessed"] = "threat_assessed"
    nation: NationId
    inject_id: Identifier
    warned: bool
    """The nation's picture held the threatening object at the move start, before the effect."""
    warning_time_h: float | None = None
    """How long before the effect the nation had held the threatening object (None: not warned)."""
    likelihood_pct: float
    """Likelihood that the inject's actor did it, percent."""
    likelihood_label: ShortText
    """The ICD 203 word for likelihood_pct."""
    confidence: Literal["low", "moderate", "high"]
    evidence: tuple[ShortText, ...] = ()
    """Evidence items as 'kind:detail', e.g. 'custody:RED-SAT-1', 'rf_geolocation:SENSOR-ID'."""
    shared_with: Annotated[dict[NationId, Marking], EmptyOmitted] = Field(default_factory=dict)
    """Partners that receive it through the nation's released product of this kind, with that
    product's marking (left out when none, as in logs recorded before products)."""


class MoveAdjudicated(Frozen):
    """Ground truth summary of one move: metrics, escalation and outcomes (controllers only)."""

    type: Literal["move_adjudicated"] = "move_adjudicated"
    move: int
    escalation_level: int
    capability: dict[NationId, dict[str, float]]
    """Share of required service delivered, per nation and mission area (0..1)."""
    custody: dict[NationId, int]
    """Number of objects each nation holds in its fused picture."""
    shared_products: dict[NationId, dict[NationId, str]]
    """Sharing level from each nation to each partner during the move."""
    collisions: tuple[tuple[Identifier, Identifier], ...] = ()
    cohesion: float = 0.0
    """Reciprocity of sharing among played nations, 0..1 (scores.cohesion)."""
    precise_custody: Annotated[dict[NationId, int], EmptyOmitted] = Field(default_factory=dict)
    """Number of objects each nation holds at or below custody.precise_sigma_km (conjunction
    grade): where sharing and sensors show, since the public catalog alone keeps most objects
    held. Left out of dumps when empty (logs written before it existed)."""


class SharingAnalysisRequested(Frozen):
    """A control seat asked for the value-of-sharing analysis of the log up to `through_seq`
    (request_sharing_analysis); it runs in the background (controllers only)."""

    type: Literal["sharing_analysis_requested"] = "sharing_analysis_requested"
    analysis_id: Identifier
    through_seq: int
    variants: tuple[SharingVariant, ...]
    """The variants asked for, as played first."""
    per_release: bool = True
    """Also one variant per recorded product release (the log's first MAX_RELEASE_VARIANTS)."""


class SharingAnalysisProgress(Frozen):
    """How far a running analysis is: `done` of `total` moves re-adjudicated (controllers only)."""

    type: Literal["sharing_analysis_progress"] = "sharing_analysis_progress"
    analysis_id: Identifier
    done: int
    total: int
    step: ShortText = ""
    """What it is doing, e.g. 'nobody shares: move 2'."""


class SharingAnalysisCompleted(Frozen):
    """The result of an analysis: each variant's outcome per move and nation (controllers only)."""

    type: Literal["sharing_analysis_completed"] = "sharing_analysis_completed"
    analysis_id: Identifier
    result: SharingAnalysisResult


class SharingAnalysisFailed(Frozen):
    """An analysis could not finish (controllers only); the exercise is unaffected."""

    type: Literal["sharing_analysis_failed"] = "sharing_analysis_failed"
    analysis_id: Identifier
    reason: ShortText


EventBody = Annotated[
    ExerciseCreated
    | ExerciseStarted
    | ExercisePaused
    | ExerciseResumed
    | ExerciseEnded
    | MoveAdvanced
    | MoveClosing
    | MoveReopened
    | InjectReleased
    | CounterspaceFired
    | RadiationBeltFormed
    | SharingPolicySet
    | ProductReleased
    | ProductWithdrawn
    | InjectForwarded
    | OrderSubmitted
    | OrderCancelled
    | TaskingRequested
    | TaskingAnswered
    | AttributionPublished
    | ChatPosted
    | ObservationRecorded
    | ObservationEdited
    | ObservationRetracted
    | RatingSet
    | StrengthSet
    | AfiSet
    | ImprovementItemSet
    | EvaluationItemRemoved
    | ManoeuvreExecuted
    | AntiJamSet
    | AssetStatusChanged
    | StatusDisclosed
    | InjectResolved
    | PictureUpdated
    | ConjunctionWarning
    | CloseApproachDetected
    | DebrisCreated
    | ThreatAssessed
    | MoveAdjudicated
    | SharingAnalysisRequested
    | SharingAnalysisProgress
    | SharingAnalysisCompleted
    | SharingAnalysisFailed
    | InjectOutcomeForced
    | StatusOverridden
    | DebrisRemoved
    | CollisionUndone
    | MoveReadjudicated
    | InjectSkipped
    | InjectHeld
    | InjectHoldLifted
    | InjectRetimed
    | InjectEdited
    | TeamNotified
    | CapacityRequested
    | CapacityAnswered
    | StatementDrafted
    | StatementAmended
    | StatementAnswered
    | StatementIssued
    | RequestSent
    | RequestAnswered
    | RequestLapsed
    | MoveClockSet
    | DeadlineWarning
    | DeadlinePassed
    | GroundSegmentActed
    | SpareActivated
    | SpareArrived
    | DimeTaken
    | EvasionResolved
    | ResponseFailed
    | EscalationChanged,
    Field(discriminator="type"),
]


class PendingEvent(Frozen):
    """An event decided but not yet numbered: its body, who may see it, and who caused it."""

    body: EventBody
    audience: tuple[str, ...]
    actor: str
    member: str = ""
    """The named member of the seat whose command caused the event ("" when unnamed)."""


class EventEnvelope(Frozen):
    """A stored event: numbered, timed, addressed and chained to its predecessor."""

    exercise_id: str
    seq: Annotated[int, Field(ge=1)]
    at: UtcDatetime
    scenario_time: UtcDatetime
    move: int
    actor: str
    member: Annotated[str, EmptyOmitted] = ""
    """The named member of the actor's seat who issued the command (for control and the AAR;
    views do not send it). Left out of dumps when empty, so older logs hash the same."""
    audience: tuple[str, ...]
    prev_hash: str
    hash: str
    body: EventBody
    hash_recipe: Annotated[str, EmptyOmitted] = ""
    """How `hash` was computed from the envelope's other fields ("rfc8785-sha256": SHA-256 of
    their RFC 8785 text); empty in events sealed before recipes were named, hashed as Python's
    json printed them (docs/log-format.md). Left out of dumps when empty, so they hash the same."""
    snapshot_digest: Annotated[str, EmptyOmitted] = ""
    """The SHA-256 of the snapshot saved of the state right after this event, when one was: the
    log's word for that snapshot, checked when it is loaded and by `wargame exercise verify`."""

    _positions: dict[str, int] = PrivateAttr(default_factory=dict)
    """Its position in each stream it belongs to (the observer's, teams'), when known: set as it
    is appended and when read from a store; not part of the event's value (domain/streams.py)."""
    _stored_text: str | None = PrivateAttr(default=None)
    """The canonical JSON (without `hash`) this envelope was sealed as or read from; the store
    writes and the chain check hashes exactly it (`eventlog.chain`). Not part of the event's value."""

    @property
    def stored_text(self) -> str | None:
        return self._stored_text

    @property
    def positions(self) -> dict[str, int]:
        return self._positions

    def set_positions(self, positions: dict[str, int]) -> None:
        self._positions = positions

    def set_stored_text(self, text: str | None) -> None:
        """Remember the text this envelope was sealed as or parsed from, or forget it once it is
        stored (the event log calls it)."""
        self._stored_text = text

    def __eq__(self, other: object) -> bool:
        """Equal fields make equal events, whether or not one of them carries its stored text."""
        if not isinstance(other, EventEnvelope):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy; one with changed fields is no longer the text it was stored as, and drops it."""
        copy = super().model_copy(update=update, deep=deep)
        if update:
            copy._stored_text = None
        return copy
