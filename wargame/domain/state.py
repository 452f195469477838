"""The exercise state: the fold of the event log, never mutated in place."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field, InstanceOf, model_validator

from wargame.domain.background import EMPTY_CATALOG, BackgroundCatalog, CatalogRef
from wargame.domain.common import (
    AssetStatus,
    EmptyOmitted,
    Frozen,
    Identifier,
    Marking,
    NationId,
    NoneOmitted,
    SharingLevel,
    UtcDatetime,
)
from wargame.domain.counterspace import RadiationBelt
from wargame.domain.encounters import EncounterEstimate
from wargame.domain.evaluation import Evaluation
from wargame.domain.feed_events import FeedEntry
from wargame.domain.orders import Order
from wargame.domain.pictures import PictureRef, PictureSet
from wargame.domain.products import ReleasedProduct
from wargame.domain.request_state import RequestBook
from wargame.domain.response_state import ResponseState, is_default
from wargame.domain.ruleset_model import Ruleset, TargetKind
from wargame.domain.scenario_model import Inject, Orbit, Scenario, SpaceObject
from wargame.domain.sharing_analysis import AnalysisStatus
from wargame.domain.tempo_model import MoveClock

Phase = Literal["setup", "running", "paused", "ended"]


PICTURE_SETS_KEPT = 3
"""Moves of picture blobs the state keeps: this move's prior and delayed source, and the
previous pictures the warning history reads."""
TRACK_SOURCES: tuple[str, ...] = ("owner", "own", "shared", "fused", "catalog")
"""Track source names; a source code in a TrackTable is a position in this tuple."""
TRACK_REGIMES: tuple[str, ...] = ("LEO", "MEO", "GEO", "HEO")
"""Orbit regime names; a regime code in a TrackTable is a position in this tuple."""


class Track(Frozen):
    """What one nation believes about one object (one row of a TrackTable, as teams see it)."""

    object_id: Identifier
    sigma_km: float
    source: Literal["owner", "own", "shared", "fused"]
    contributors: tuple[NationId, ...] = ()
    """Nations whose data went into this track (the holder included when it observed)."""
    observed_at: UtcDatetime | None = None
    lat_deg: float
    lon_deg: float
    alt_km: float
    regime: str


class TrackTable(Frozen):
    """A nation's SSA picture stored by columns: one position per held object in every tuple.

    Columnar so that 12 nations x 30,000 tracks per move stay a few tuples of numbers in the
    log and the state, not hundreds of thousands of models. `rows()` expands it for viewers.
    """

    nations: tuple[NationId, ...] = ()
    """Bit order of `contributors`: bit k set = nations[k] contributed."""
    epoch: UtcDatetime | None = None
    """Reference time of `observed_min`."""
    object_ids: tuple[Identifier, ...] = ()
    sigma_km: tuple[float, ...] = ()
    source: tuple[int, ...] = ()
    """Index into TRACK_SOURCES."""
    contributors: tuple[int, ...] = ()
    observed_min: tuple[float | None, ...] = ()
    """Minutes after `epoch` of the latest observation; None if never observed."""
    lat_deg: tuple[float, ...] = ()
    lon_deg: tuple[float, ...] = ()
    alt_km: tuple[float, ...] = ()
    regime: tuple[int, ...] = ()
    """Index into TRACK_REGIMES."""
    own_part_rows: Annotated[tuple[int, ...], EmptyOmitted] = ()
    """Rows (ascending) of source shared or fused that also rest on the holder's own observations.
    The holder's own-only part of those tracks follows, so that the next move starts from it
    instead of the public catalog, and a 'delayed' release can carry it. Not sent to viewers."""
    own_part_sigma_km: Annotated[tuple[float, ...], EmptyOmitted] = ()
    """Own-only 1-sigma at the end of the move, one per own_part_rows entry."""
    own_part_observed_min: Annotated[tuple[float, ...], EmptyOmitted] = ()
    """Minutes after `epoch` of the holder's own latest observation, one per own_part_rows entry."""

    @model_validator(mode="after")
    def _same_lengths(self) -> TrackTable:
        n = len(self.object_ids)
        own_parts = (self.own_part_rows, self.own_part_sigma_km, self.own_part_observed_min)
        if any(len(c) != len(self.own_part_rows) for c in own_parts):
            raise ValueError("own_part_sigma_km and own_part_observed_min must match own_part_rows")
        if any(not 0 <= r < n for r in self.own_part_rows):
            raise ValueError("own_part_rows must index rows of the table")
        columns = (
            self.sigma_km,
            self.source,
            self.contributors,
            self.observed_min,
            self.lat_deg,
            self.lon_deg,
            self.alt_km,
            self.regime,
        )
        if any(len(c) != n for c in columns):
            raise ValueError("every TrackTable column must have one entry per object id")
        return self

    def __len__(self) -> int:
        return len(self.object_ids)

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        """Iterate over the held object ids (like the keys of a dict of tracks)."""
        return iter(self.object_ids)

    def __contains__(self, object_id: object) -> bool:
        return object_id in self.object_ids

    def contributor_names(self, mask: int) -> tuple[str, ...]:
        return tuple(n for k, n in enumerate(self.nations) if mask >> k & 1)

    def row(self, i: int) -> dict[str, Any]:
        """Row i in the Track JSON shape (object_id, sigma_km, source, contributors, ...)."""
        obs = self.observed_min[i]
        observed_at = (
            None
            if obs is None or self.epoch is None
            else (self.epoch + timedelta(minutes=obs)).isoformat().replace("+00:00", "Z")
        )
        return {
            "object_id": self.object_ids[i],
            "sigma_km": self.sigma_km[i],
            "source": TRACK_SOURCES[self.source[i]],
            "contributors": list(self.contributor_names(self.contributors[i])),
            "observed_at": observed_at,
            "lat_deg": self.lat_deg[i],
            "lon_deg": self.lon_deg[i],
            "alt_km": self.alt_km[i],
            "regime": TRACK_REGIMES[self.regime[i]],
        }

    def summary(self) -> dict[str, Any]:
        """How many objects are held, by source: what control seats get instead of the rows."""
        by_source = {name: 0 for name in TRACK_SOURCES}
        for code in self.source:
            by_source[TRACK_SOURCES[code]] += 1
        return {"held": len(self.object_ids), "by_source": by_source}

    def rows(self) -> list[dict[str, Any]]:
        """Every row in the Track JSON shape, in stored order."""
        return [self.row(i) for i in range(len(self.object_ids))]

    def track(self, object_id: str) -> Track | None:
        """One row as a Track model (slow path for tests and single lookups)."""
        try:
            i = self.object_ids.index(object_id)
        except ValueError:
            return None
        return Track.model_validate(self.row(i))

    def as_tracks(self) -> dict[str, Track]:
        """Every row as a Track model by object id (slow path for tests and small pictures)."""
        return {row["object_id"]: Track.model_validate(row) for row in self.rows()}

    @classmethod
    def from_tracks(cls, tracks: Sequence[Track], nations: Sequence[str] = ()) -> TrackTable:
        """Build a table from Track models (small pictures: fakes and tests)."""
        order = list(nations)
        for t in tracks:
            order.extend(c for c in t.contributors if c not in order)
        epoch = next((t.observed_at for t in tracks if t.observed_at is not None), None)
        return cls(
            nations=tuple(order),
            epoch=epoch,
            object_ids=tuple(t.object_id for t in tracks),
            sigma_km=tuple(t.sigma_km for t in tracks),
            source=tuple(TRACK_SOURCES.index(t.source) for t in tracks),
            contributors=tuple(sum(1 << order.index(c) for c in set(t.contributors)) for t in tracks),
            observed_min=tuple(
                None
                if t.observed_at is None or epoch is None
                else (t.observed_at - epoch) / timedelta(minutes=1)
                for t in tracks
            ),
            lat_deg=tuple(t.lat_deg for t in tracks),
            lon_deg=tuple(t.lon_deg for t in tracks),
            alt_km=tuple(t.alt_km for t in tracks),
            regime=tuple(TRACK_REGIMES.index(t.regime) for t in tracks),
        )


class OwnerBelief(Frozen):
    """The status an owner's team believes its asset has, while an effect it did not notice
    (`observable_by: nobody`) makes the truth differ."""

    status: AssetStatus
    until_move: int | None = None


class StatusState(Frozen):
    """The status of something effects can hit: a space object (AssetState) or a sensor."""

    id: Identifier
    owner: NationId | None
    status: AssetStatus = AssetStatus.NOMINAL
    status_until_move: int | None = None
    cause: str | None = None
    status_reversible: bool = True
    """Whether the white cell may restore it from its status (restore_asset); True when
    nominal. Snapshots saved before the field existed load with the default."""
    status_observers: tuple[NationId, ...] = ()
    """Nations other than the owner told of its status changes since it was last nominal:
    the audience (with the owner and control) of a white-cell restore."""
    owner_belief: OwnerBelief | None = None
    """What the owner's team believes of the status when an unnoticed change made it differ from
    the truth; None when it knows the truth. Its view shows this instead of the truth."""


class SensorState(StatusState):
    """The status of one scenario sensor: a degraded sensor observes at reduced weight, a
    disabled or destroyed one not at all (capability.service_by_status)."""


class AssetState(StatusState):
    """Ground truth of one space object."""

    orbit: Orbit
    propellant_dv_m_per_s: float = 0.0
    anti_jam: bool = False
    kind: Literal["payload", "rocket_body", "debris"] | None = None
    """Set for objects created during play (debris fragments); scenario objects carry their own."""
    parent: Identifier | None = None
    """For a fragment: the object whose breakup created it."""
    removed: bool = False
    """Taken out of play by the white cell (debris_removed): the core treats it as re-entered."""


class SubmittedOrder(Frozen):
    order_id: Identifier
    nation: NationId
    move: int
    order: Order
    reason: str = ""


class TaskingRequest(Frozen):
    request_id: Identifier
    requester: NationId
    partner: NationId
    sensor_id: Identifier
    object_id: Identifier
    move: int
    status: Literal["pending", "accepted", "declined"] = "pending"
    answer_reason: str = ""


class InjectState(Frozen):
    inject: Inject
    adhoc: bool = False
    released_move: int | None = None
    resolved: bool = False
    forced: Literal["hit", "miss"] | None = None
    """An outcome the white cell forced before the inject resolved (inject_outcome_forced)."""
    held: bool = False
    """Held by the white cell: not released when due until the hold is lifted."""
    skipped: bool = False
    """Skipped by the white cell: never released when due."""
    released_hours: Annotated[float | None, NoneOmitted] = None
    """Scenario hours into its release move when it was released at its scenario time (tempo);
    None when released as the move opened or by hand."""
    planned_move: int | None = None
    planned_offset_hours: float | None = None
    """The MSEL's move and offset before the white cell first retimed it (None: never retimed)."""
    edited: tuple[str, ...] = ()
    """The fields the white cell edited (inject_edited), sorted."""


class ChatMessage(Frozen):
    message_id: Identifier
    channel: str
    sender: str
    text: str
    at: UtcDatetime
    audience: tuple[str, ...]


class Warning(Frozen):
    """A conjunction or close-approach warning a nation received from its own picture."""

    kind: Literal["conjunction", "close_approach"]
    nation: NationId
    asset_id: Identifier
    other_id: Identifier
    move: int
    miss_km: float
    pc: float | None = None
    shared_by: NationId | None = None
    """The partner whose warnings product brought it; None for the nation's own."""
    marking: Annotated[Marking | None, NoneOmitted] = None
    """The marking of the product that brought a partner's warning (None for the nation's own;
    left out then, and in states folded before it existed)."""
    id: Annotated[Identifier | None, NoneOmitted] = None
    """The conjunction warning's id, the same in the nation's copy and its partners' (None for
    close approaches and in logs recorded before CDMs)."""
    tca: Annotated[UtcDatetime | None, NoneOmitted] = None
    """A conjunction's time of closest approach (None where the log predates it)."""


class Assessment(Frozen):
    """A nation's warning and attribution assessment of one hostile inject (from ThreatAssessed)."""

    inject_id: Identifier
    move: int
    warned: bool
    warning_time_h: float | None = None
    likelihood_pct: float
    likelihood_label: str
    confidence: Literal["low", "moderate", "high"]
    evidence: tuple[str, ...] = ()
    shared_by: NationId | None = None
    """The partner whose assessments product brought it; None for the nation's own."""
    marking: Annotated[Marking | None, NoneOmitted] = None
    """The marking of the product that brought a partner's assessment (None for the nation's own)."""


class NationState(Frozen):
    id: NationId
    sharing: dict[NationId, SharingLevel] = Field(default_factory=dict)
    orders: dict[Identifier, SubmittedOrder] = Field(default_factory=dict)
    """Orders for the current move; cleared when the move is adjudicated."""
    picture: TrackTable = Field(default_factory=TrackTable)
    """Logs recorded before custody records: the latest picture's rows (empty since)."""
    previous_picture: TrackTable = Field(default_factory=TrackTable)
    """Logs recorded before custody records: the picture one move earlier."""
    picture_ref: PictureRef | None = None
    """The latest picture: the blobs it is rendered from and what it holds."""
    products: dict[Identifier, ReleasedProduct] = Field(default_factory=dict)
    """Products the nation releases now (sharing by product), by id."""
    warnings: tuple[Warning, ...] = ()
    encounters: Annotated[dict[Identifier, EncounterEstimate], EmptyOmitted] = Field(default_factory=dict)
    """The estimated geometry of the nation's own conjunction warnings, by warning id: what
    their CDMs are written from (partners' CDMs come from the sender's entry). Kept apart from
    `warnings`, which every snapshot of the team lists."""
    assessments: tuple[Assessment, ...] = ()
    """Warning and attribution assessments of hostile injects, oldest first."""
    feed: Annotated[tuple[FeedEntry, ...], EmptyOmitted] = ()
    """What the team was told changed for it and why (team_notified), oldest first."""


class Closing(Frozen):
    """A move closed for adjudication (move_closing): by which command, at which seq, and until
    when that command holds it."""

    move: int
    command: str
    seq: int
    """The seq of its move_closing event: the state the adjudication reads is the one there."""
    lease_until: UtcDatetime


class ForwardedInject(Frozen):
    """An inject a nation forwarded to partners (InjectForwarded)."""

    forward_id: Identifier
    nation: NationId
    inject_id: Identifier
    title: str
    text: str
    marking: Marking
    recipients: tuple[NationId, ...]
    move: int


class Checkpoint(Frozen):
    """What the last move's adjudication changed, as it was before it (at its move_closing): what a
    re-adjudication puts back before the new adjudication's events (move_readjudicated)."""

    move: int
    closing_seq: int
    end_seq: int | None = None
    """The seq of the adjudication's move_adjudicated; None while it is being recorded."""
    assets: dict[Identifier, AssetState]
    sensors: dict[Identifier, SensorState]
    injects: dict[Identifier, InjectState]
    escalation_level: int
    metrics_by_move: dict[int, dict[str, object]]
    pictures: tuple[PictureSet, ...]
    nations: dict[NationId, NationState]
    weapons_used: Annotated[dict[Identifier, int], EmptyOmitted] = Field(default_factory=dict)
    radiation_belts: Annotated[tuple[RadiationBelt, ...], EmptyOmitted] = ()
    responses: Annotated[ResponseState, Field(exclude_if=is_default)] = Field(default_factory=ResponseState)
    """The response state before the move (link protections, spares, escalation score)."""


class ExerciseState(Frozen):
    exercise_id: str
    title: str
    scenario: Scenario
    ruleset: Ruleset
    seed: int
    phase: Phase = "setup"
    move: int = 0
    """0 before the start; n while move n is being played."""
    closing: Closing | None = None
    """The move being adjudicated (move_closing), until it advances, reopens or the exercise
    ends; None otherwise (and in snapshots saved before closings existed)."""
    scenario_time: UtcDatetime
    last_seq: int = 0
    last_hash: str = ""
    created_hash: str = ""
    """The hash of exercise_created (seq 1), whose scenario and ruleset a snapshot leaves out: a
    snapshot holds it, so loading one checks that event 1 is the one it was taken with."""
    assets: dict[Identifier, AssetState] = Field(default_factory=dict)
    sensors: dict[Identifier, SensorState] = Field(default_factory=dict)
    """Sensors whose status has ever changed; the others are nominal (`sensor_state`)."""
    nations: dict[NationId, NationState] = Field(default_factory=dict)
    injects: dict[Identifier, InjectState] = Field(default_factory=dict)
    taskings: dict[Identifier, TaskingRequest] = Field(default_factory=dict)
    chat: tuple[ChatMessage, ...] = ()
    forwards: tuple[ForwardedInject, ...] = ()
    attributions: tuple[dict[str, str], ...] = ()
    escalation_level: int = 0
    metrics_by_move: dict[int, dict[str, object]] = Field(default_factory=dict)
    stream_heads: dict[str, int] = Field(default_factory=dict)
    """Per viewer (the observer, each team), the position of the last event of its stream
    (domain/streams.py): a seat sees positions in its own stream, never the log's seq."""
    catalog: CatalogRef | None = None
    """The background catalog's blob (exercise_created.catalog)."""
    id_salt: str = ""
    """Keys the ids of things made in play (exercise_created.id_salt, domain/ids.py)."""
    evaluation: Evaluation = Field(default_factory=Evaluation)
    """Observations and the AAR/IP's input (domain/evaluation.py); snapshots saved before it
    existed load with none."""
    pictures: tuple[PictureSet, ...] = ()
    """The blobs of every move's pictures, oldest first (a few hundred bytes a move): the core's
    priors, 'delayed' releases and warning history come from the latest PICTURE_SETS_KEPT; seats
    fetch any move's picture rendered from them."""
    analyses: Annotated[dict[Identifier, AnalysisStatus], EmptyOmitted] = Field(default_factory=dict)
    """The value-of-sharing analyses requested, by id (domain/analysis_commands.py); results
    stay in the log, at each one's result_seq."""
    weapons_used: Annotated[dict[Identifier, int], EmptyOmitted] = Field(default_factory=dict)
    """Uses of each counterspace weapon so far (counterspace_fired), by weapon id."""
    radiation_belts: Annotated[tuple[RadiationBelt, ...], EmptyOmitted] = ()
    """Belts nuclear detonations pumped (radiation_belt_formed), oldest first."""
    requests: Annotated[RequestBook, Field(exclude_if=lambda b: b == RequestBook())] = Field(
        default_factory=RequestBook
    )
    """Requests between teams (domain/request_state.py); snapshots saved before them load with none."""

    responses: Annotated[ResponseState, Field(exclude_if=is_default)] = Field(default_factory=ResponseState)
    """What the response orders left: link protections, deterrence, spares, the escalation score
    (domain/response_state.py); snapshots saved before it existed load with none."""

    def picture_set(self, move: int) -> PictureSet | None:
        """The picture set of `move` (0: the start), or None."""
        return next((p for p in reversed(self.pictures) if p.move == move), None)
    checkpoint: Annotated[Checkpoint | None, NoneOmitted] = None
    """The state before the last adjudicated move, while it may still be re-adjudicated: kept from
    its move_closing until a status changes after it (or the next closing)."""
    move_clock: Annotated[MoveClock | None, NoneOmitted] = None
    """The clock of the move that has (or had) a deadline (domain/tempo.py), else None."""
    closed_orders: Annotated[dict[NationId, tuple[tuple[str, str], ...]], EmptyOmitted] = Field(
        default_factory=dict
    )
    """The (kind, asset or object) of each nation's orders of the move that closed last: the
    conditions on orders read them during the next move (domain/triggers.py)."""
    readjudicating: Annotated[int | None, NoneOmitted] = None
    """The move whose new adjudication is being recorded (after move_readjudicated), else None."""

    def adjudicating_move(self) -> int:
        """The move the adjudication events being applied belong to."""
        return self.move if self.readjudicating is None else self.readjudicating

    background: Annotated[InstanceOf[BackgroundCatalog], Field(exclude=True)] = EMPTY_CATALOG
    """The background catalog (exercise_created.catalog), attached when the log is loaded and never
    written into a snapshot. Its objects are ground truth like `assets`, which holds the named
    objects, the objects made in play and any background object whose state changed."""

    def move_start(self, move: int) -> datetime:
        return self.scenario.start_time + self.scenario.move_length * max(move - 1, 0)

    def played_nations(self) -> list[str]:
        return self.scenario.played_nations()

    def sensor_state(self, sensor_id: str) -> SensorState | None:
        """A scenario sensor's status (nominal unless an effect changed it); None if unknown."""
        if sensor_id in self.sensors:
            return self.sensors[sensor_id]
        sensor = self.scenario.sensor(sensor_id)
        return None if sensor is None else SensorState(id=sensor.id, owner=sensor.owner)

    def target_kind(self, target_id: str) -> TargetKind | None:
        """Whether an inject target names a space object or a sensor (None: neither)."""
        if target_id in self.assets:
            return "objects"
        return "sensors" if self.scenario.sensor(target_id) is not None else None

    def status_holder(self, target_id: str) -> StatusState | None:
        """The asset or sensor an effect, a restore or a disclosure names; None if neither."""
        return self.asset(target_id) or self.sensor_state(target_id)

    def has_object(self, object_id: str) -> bool:
        """Whether a space object of this id is in play (named, background or made in play)."""
        return object_id in self.assets or object_id in self.background

    def asset(self, object_id: str) -> AssetState | None:
        """The ground truth of any space object: its entry in `assets`, else the background
        catalog's object as it was created (nominal, on its catalog orbit); None if unknown."""
        found = self.assets.get(object_id)
        if found is not None or object_id not in self.background:
            return found
        k = self.background.index[object_id]
        return AssetState(
            id=object_id, owner=self.background.owners[k], orbit=self.background.orbit(object_id)
        )

    def object_ids(self) -> list[str]:
        """Every space object in catalog order: the background catalog's, then the others of
        `assets` in the order they entered play. The order only ever grows at its end."""
        background = self.background.index
        return [*self.background.ids, *(k for k in self.assets if k not in background)]

    def object_spec(self, object_id: str) -> SpaceObject | None:
        """A scenario object, or a spare once it entered play."""
        found = self.scenario.object(object_id)
        if found is None and object_id in self.assets:
            return self.scenario.spare(object_id)
        return found

    def object_card(self, object_id: str) -> dict[str, str | None]:
        """Name, owner, kind and mission of an object (the scenario's or the catalog's)."""
        spec = self.object_spec(object_id)
        if spec is not None:
            mission = spec.mission.value if spec.mission else None
            return {"name": spec.name, "owner": spec.owner, "kind": spec.kind, "mission": mission}
        k = self.background.index.get(object_id)
        if k is not None:
            bg = self.background
            owner, kind, mission = bg.owners[k], bg.kinds[k], bg.missions[k]
            return {"name": bg.names[k], "owner": owner, "kind": kind, "mission": mission}
        asset = self.assets.get(object_id)
        kind = asset.kind if asset is not None and asset.kind is not None else "unknown"
        return {"name": object_id, "owner": None, "kind": kind, "mission": None}
