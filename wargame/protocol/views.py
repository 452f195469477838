"""What each seat receives, as typed models: snapshot views (team, control, observer) and the
projected event bodies that differ from the log's (the rest travel as the log holds them)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from wargame.domain.common import AssetStatus, EmptyOmitted, Frozen, Marking, NationId, NoneOmitted
from wargame.domain.evaluation import Evaluation
from wargame.domain.events import CloseApproachDetected, ConjunctionWarning, ThreatAssessed
from wargame.domain.feed_events import FeedEntry
from wargame.domain.products import ProductSpec, SharingAgreement
from wargame.domain.request_state import JointStatement
from wargame.domain.state import (
    Assessment,
    OwnerBelief,
    Phase,
    SubmittedOrder,
    TaskingRequest,
    Warning,
)
from wargame.domain.tempo_model import MoveClock
from wargame.protocol.views_arsenal import WeaponCard
from wargame.protocol.views_requests import RequestsView
from wargame.protocol.views_responses import ResponsesCard

JsonDict = dict[str, Any]


class NationCard(Frozen):
    id: str
    name: str
    side: Literal["blue", "red", "commercial"]
    played: bool
    groups: list[str]


class ObjectiveCard(Frozen):
    id: str
    text: str
    capability: str | None = None


class PlayerInject(Frozen):
    """The player-facing part of an inject: no controller notes, parameters or expectations."""

    id: str
    serial: int
    title: str
    type: str
    sender: str
    channel: str
    text: str
    releasability: str
    releasable_to: list[str]
    marking: str
    """The marking as printed: 'NOFORN', 'REL USA, GBR', 'REL FVEY', ..."""
    released_move: int | None = None


class ForwardCard(Frozen):
    """An inject a team forwarded, or received from a partner."""

    forward_id: str
    nation: NationId
    inject_id: str
    title: str
    text: str
    marking: Marking
    marking_label: str
    recipients: list[str]
    move: int


class ProductCard(Frozen):
    """A product a nation releases (sharing by product), as its releaser and receivers see it."""

    product_id: str
    nation: NationId
    product: ProductSpec
    label: str
    marking: Marking
    marking_label: str
    level: str
    recipients: list[str]
    effective: dict[str, int]
    """The move from which each recipient receives it."""
    released_move: int


class PictureNotice(Frozen):
    """A nation's picture after a move: its counts; the rows are the binary resource `url`."""

    nation: NationId
    move: int
    held: int
    by_source: dict[str, int]
    precise: int | None = None
    url: str
    """GET it with the seat token: `wargame.picture/1` (docs/protocol.md)."""


class StatusFields(Frozen):
    status: AssetStatus
    status_until_move: int | None = None


class OwnAsset(StatusFields):
    id: str
    name: str
    owner: str | None
    kind: str
    mission: str | None
    propellant_dv_m_per_s: float
    anti_jam: bool


class SensorCard(Frozen):
    id: str
    name: str
    owner: str
    model: str
    lat_deg: float
    lon_deg: float
    status: Annotated[AssetStatus | None, NoneOmitted] = None
    """Our own sensors only (left out for partners')."""
    status_until_move: Annotated[int | None, NoneOmitted] = None


class TruthStatus(StatusFields):
    """What control sees of the status of an asset or a sensor (the ground truth)."""

    cause: str | None = None
    status_reversible: bool = True
    status_observers: list[str] = []
    owner_belief: OwnerBelief | None = None
    """What the owner believes while an effect it did not notice hides the truth (None: it knows)."""


class ControlAsset(TruthStatus):
    """A space object's ground truth as control sees it (its orbit is in the truth resource)."""

    id: str
    name: str | None
    owner: str | None
    kind: str | None
    mission: str | None
    propellant_dv_m_per_s: float
    anti_jam: bool
    parent: str | None = None
    """For a debris fragment: the object whose breakup made it."""


class ControlSensor(TruthStatus):
    id: str
    name: str
    owner: str
    model: str
    lat_deg: float
    lon_deg: float


class ControlChat(Frozen):
    message_id: str
    channel: str
    sender: str
    text: str
    at: str
    audience: list[str]


class PictureCounts(Frozen):
    held: int
    by_source: dict[str, int]


class NationControlCard(Frozen):
    """One nation as control sees it: its releases, orders, picture and warnings."""

    sharing: dict[str, str]
    """Sharing levels of logs recorded before products (set_sharing)."""
    products: list[ProductCard]
    orders: list[SubmittedOrder]
    picture: PictureNotice | None
    """Its latest picture; `url` names the nation (`&nation=`)."""
    picture_summary: PictureCounts | None
    warnings: list[Warning]
    """Its warnings of the latest moves (RECENT_WARNING_MOVES)."""
    warnings_total: int
    assessments: list[Assessment]
    groups: list[str]


class MoveMetrics(Frozen):
    """What move_adjudicated recorded of one move (fields a log predates are left out)."""

    capability: dict[str, dict[str, float]]
    custody: dict[str, int]
    precise_custody: Annotated[dict[str, int] | None, NoneOmitted] = None
    shared_products: dict[str, dict[str, str]]
    escalation_level: int
    collisions: list[list[str]] = []


class ChatLine(Frozen):
    message_id: str
    channel: str
    sender: str
    text: str
    at: str


class TeamRules(Frozen):
    attribution_levels: list[str]
    max_manoeuvre_dv_m_per_s: float
    release_levels: list[str]
    product_kinds: list[str]
    review_moves: int
    default_marking: Marking


class AttributionCard(Frozen):
    """A public attribution (attribution_published), in the move it was made."""

    nation: str
    inject_id: str
    accused: str
    likelihood: str
    statement: str
    move: str


class CommonView(Frozen):
    exercise_id: str
    title: str
    marking: str
    """The exercise's banner, e.g. 'EXERCISE EXERCISE EXERCISE - UNCLASSIFIED'."""
    phase: Phase
    move: int
    closing_move: int | None = None
    """The move being adjudicated (move_closing; 0: the first pictures), None otherwise: orders,
    taskings and products wait until the next move opens."""
    moves: int
    scenario_time: str
    start_time: str
    move_length_hours: float
    clock: Annotated[MoveClock | None, NoneOmitted] = None
    """The open move's clock when it has (or had) a deadline: the countdown is
    `deadline_s - (elapsed_s + (running ? now - at : 0))` seconds (domain/tempo_model.py)."""
    pos: int
    """This seat's stream position the view is at: the next event it gets is pos + 1."""
    viewer: str
    nations: list[NationCard]
    attributions: list[AttributionCard]
    objectives: list[ObjectiveCard]


class TeamView(CommonView):
    kind: Literal["team"] = "team"
    nation: NationId
    assets: list[OwnAsset]
    sensors: list[SensorCard]
    picture: PictureNotice | None
    picture_move: int | None
    """The move of `picture` (None before the first), for the client to fetch."""
    products: list[ProductCard]
    """Products we release now."""
    received: list[ProductCard]
    """Partners' products that reach us (now or after their review)."""
    orders: list[SubmittedOrder]
    taskings: list[TaskingRequest]
    warnings: list[Warning]
    assessments: list[Assessment]
    injects: list[PlayerInject]
    forwards: list[ForwardCard]
    chat: list[ChatLine]
    rules: TeamRules
    agreements: list[SharingAgreement]
    """Standing sharing agreements this nation is party to."""
    feed: list[FeedEntry]
    """What changed for this team and why (team_notified), oldest first."""
    requests: RequestsView
    """Capacity requests, joint statements and RFIs this nation takes part in (views_requests.py)."""
    responses: ResponsesCard | None = None
    """Escalation, spares, protections and deterrence (protocol/views_responses.py); None when
    the ruleset defines no responses."""
    arsenal: Annotated[list[WeaponCard], EmptyOmitted] = Field(default_factory=list)
    """A played red cell's own counterspace inventory (protocol/views_arsenal.py); none for others."""


class ObserverView(CommonView):
    kind: Literal["observer"] = "observer"
    injects: list[PlayerInject]
    statements: list[JointStatement]
    """Joint statements issued PUBLIC."""


class ControlView(CommonView):
    kind: Literal["control"] = "control"
    seq: int
    last_hash: str
    scenario_id: str
    escalation_level: int
    assets: list[ControlAsset]
    """Named objects and every object whose state changed in play (the background catalog's
    other objects are nominal on their published orbits: the truth resource lists them)."""
    objects_total: int
    sensors: list[ControlSensor]
    sensor_inject_types: list[str]
    msel: list[JsonDict]
    """The MSEL's injects (scenario `Inject`s) with `released_move`, `resolved`, `adhoc`,
    `marking` (its label), `held`, `skipped`, `forced` (an outcome the white cell forced),
    `planned_move` and `planned_offset_hours` (its time before the white cell retimed it, else
    null) and `edited` (the fields the white cell edited)."""
    nations_state: dict[str, NationControlCard]
    taskings: list[TaskingRequest]
    chat: list[ControlChat]
    forwards: list[ForwardCard]
    metrics_by_move: dict[str, MoveMetrics]
    inject_types: list[str]
    truth_url: str | None
    """GET the ground truth picture of the latest move (`wargame.picture/1`, kind truth)."""
    evaluation: Evaluation
    """Observations (retracted ones marked) and the AAR/IP's ratings, strengths, AFIs and
    improvement items as evaluators and facilitators recorded them (domain/evaluation.py)."""
    requests: RequestsView
    """Every capacity request, joint statement, RFI and request for assistance."""


View = TeamView | ControlView | ObserverView


class SharedWarning(ConjunctionWarning):
    """A conjunction warning as a team sees it: its own, or a partner's shared to it (`shared_by`,
    under `marking`); the partners it went to (`shared_with`) only to its own nation."""

    shared_by: NationId | None = None
    marking: Marking | None = None


class SharedCloseApproach(CloseApproachDetected):
    shared_by: NationId | None = None
    marking: Marking | None = None


class SharedAssessment(ThreatAssessed):
    shared_by: NationId | None = None
    marking: Marking | None = None


class SeenStatusChange(Frozen):
    """Another nation's asset or sensor changed status, as a nation that observed it knows it."""

    asset_id: str
    owner: str | None
    status: AssetStatus


class PlayerInjectBody(Frozen):
    inject: PlayerInject
    adhoc: bool
    scenario_time: Annotated[str | None, NoneOmitted] = None
    """The inject's planned scenario time, when it was released at it within its move (tempo)."""


class ProjectedEvent(Frozen):
    """One event as a seat sees it. Control seats also get `seq`, `audience`, `hash` and `member`."""

    at: str
    scenario_time: str
    move: int
    actor: str
    type: str
    body: JsonDict
    member: str | None = None
    """The named member of the seat that decided (own team's events and control)."""
    seq: int | None = None
    audience: list[str] | None = None
    hash: str | None = None


VIEW_MODELS: dict[str, type[CommonView]] = {
    "team": TeamView,
    "control": ControlView,
    "observer": ObserverView,
}
class ClosingNotice(Frozen):
    """move_closing as a team or the observer gets it: the move, not which command closed it or
    until when."""

    move: int


TEAM_BODY_MODELS: dict[str, type[Frozen]] = {
    "move_closing": ClosingNotice,
    "inject_released": PlayerInjectBody,
    "picture_updated": PictureNotice,
    "conjunction_warning": SharedWarning,
    "close_approach_detected": SharedCloseApproach,
    "threat_assessed": SharedAssessment,
}
"""Team event bodies that differ from the log's (asset_status_changed: the owner gets the log's
body, an observer a SeenStatusChange)."""

RELEASE_LEVELS = ["full", "delayed", "degraded"]
PICTURE_URL = "/api/picture?move={move}"
TRUTH_URL = "/api/picture?move={move}&truth=1"
