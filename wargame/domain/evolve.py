"""evolve(state, event) -> state: the one place the exercise state changes."""

from __future__ import annotations

from typing import Any

from wargame.domain.addressing import chat_channel_audience
from wargame.domain.analysis_commands import evolve_analysis
from wargame.domain.background import EMPTY_CATALOG, BackgroundCatalog
from wargame.domain.common import AssetStatus, SharingLevel
from wargame.domain.counterspace_events import evolve_counterspace
from wargame.domain.evaluation import apply_evaluation
from wargame.domain.events import (
    AfiSet,
    AntiJamSet,
    AssetStatusChanged,
    AttributionPublished,
    ChatPosted,
    CloseApproachDetected,
    ConjunctionWarning,
    DebrisCreated,
    EvaluationItemRemoved,
    EventBody,
    EventEnvelope,
    ExerciseCreated,
    ExerciseEnded,
    ExercisePaused,
    ExerciseResumed,
    ExerciseStarted,
    ImprovementItemSet,
    InjectForwarded,
    InjectReleased,
    InjectResolved,
    ManoeuvreExecuted,
    MoveAdjudicated,
    MoveAdvanced,
    MoveClosing,
    MoveReopened,
    ObservationEdited,
    ObservationRecorded,
    ObservationRetracted,
    OrderCancelled,
    OrderSubmitted,
    PictureUpdated,
    ProductReleased,
    ProductWithdrawn,
    RatingSet,
    SharingAnalysisCompleted,
    SharingAnalysisFailed,
    SharingAnalysisProgress,
    SharingAnalysisRequested,
    SharingPolicySet,
    StatusDisclosed,
    StrengthSet,
    TaskingAnswered,
    TaskingRequested,
    ThreatAssessed,
)
from wargame.domain.feed_events import FeedEntry, TeamNotified
from wargame.domain.override_evolve import (
    after_adjudication,
    checkpoint_at_closing,
    evolve_control,
    released_entry,
)
from wargame.domain.products import ReleasedProduct
from wargame.domain.request_evolve import evolve_requests
from wargame.domain.response_evolve import evolve_response
from wargame.domain.scenario_model import KeplerianOrbit
from wargame.domain.state import (
    Assessment,
    AssetState,
    ChatMessage,
    Closing,
    ExerciseState,
    ForwardedInject,
    InjectState,
    NationState,
    OwnerBelief,
    StatusState,
    SubmittedOrder,
    TaskingRequest,
    Warning,
)
from wargame.domain.streams import advance_heads, stream_viewers
from wargame.domain.tempo_evolve import closed_orders, evolve_tempo


def initial_state(
    exercise_id: str, created: ExerciseCreated, background: BackgroundCatalog = EMPTY_CATALOG
) -> ExerciseState:
    """The state right after an exercise is created from its scenario, ruleset and background
    catalog (the decoded blob `created.catalog` names)."""
    expected = created.catalog.digest if created.catalog is not None else ""
    if background.digest != expected:
        raise ValueError(
            f"exercise_created names background catalog {expected[:12] or '(none)'}, "
            f"not {background.digest[:12] or '(none)'}"
        )
    scenario = created.scenario
    played = scenario.played_nations()
    return ExerciseState(
        catalog=created.catalog,
        id_salt=created.id_salt,
        background=background,
        exercise_id=exercise_id,
        title=created.title,
        scenario=scenario,
        ruleset=created.ruleset,
        seed=created.seed,
        scenario_time=scenario.start_time,
        assets={
            o.id: AssetState(
                id=o.id, owner=o.owner, orbit=o.orbit, propellant_dv_m_per_s=o.propellant_dv_m_per_s
            )
            for o in scenario.objects
        },
        nations={
            n.id: NationState(
                id=n.id,
                sharing={p: SharingLevel.WITHHOLD for p in played if p != n.id} if n.played else {},
            )
            for n in scenario.nations
        },
        injects={i.id: InjectState(inject=i) for i in scenario.msel},
    )


def evolve(
    state: ExerciseState | None, event: EventEnvelope, background: BackgroundCatalog = EMPTY_CATALOG
) -> ExerciseState:
    """Apply one stored event, including its sequence number and hash. The first event,
    exercise_created, needs the background catalog it names."""
    if state is None:
        if not isinstance(event.body, ExerciseCreated):
            raise ValueError(f"the first event must be exercise_created, not {event.body.type}")
        state = initial_state(event.exercise_id, event.body, background)
    else:
        state = evolve_body(state, event.body)
    return recorded(state, event)


def recorded(state: ExerciseState, event: EventEnvelope) -> ExerciseState:
    """The state after `event`'s body was applied (`evolve_body`, `initial_state`), with the
    event's place in the log: its seq and hash (the first event's hash kept as `created_hash`)
    and the stream heads it moves."""
    if isinstance(event.body, MoveAdjudicated) and state.checkpoint is not None:
        point = state.checkpoint.model_copy(update={"end_seq": event.seq})
        state = state.model_copy(update={"checkpoint": point, "readjudicating": None})
    viewers = stream_viewers(state.played_nations())
    heads = advance_heads(state.stream_heads, viewers, event.body.type, event.audience)
    update: dict[str, Any] = {"last_seq": event.seq, "last_hash": event.hash, "stream_heads": heads}
    if event.seq == 1:
        update["created_hash"] = event.hash
    return state.model_copy(update=update)


def _with_nation(state: ExerciseState, nation: str, **changes: Any) -> ExerciseState:
    nations = dict(state.nations)
    nations[nation] = nations[nation].model_copy(update=changes)
    return state.model_copy(update={"nations": nations})


def _with_asset(state: ExerciseState, asset_id: str, **changes: Any) -> ExerciseState:
    """Change an object's ground truth; a background object enters `assets` at its first change."""
    asset = state.asset(asset_id)
    if asset is None:
        raise ValueError(f"no space object {asset_id!r}")
    return state.model_copy(update={"assets": {**state.assets, asset_id: asset.model_copy(update=changes)}})


def _with_status_of(state: ExerciseState, target_id: str, **changes: Any) -> ExerciseState:
    """Change the status fields of an asset or of a sensor (kept once its status changed)."""
    if state.has_object(target_id):
        return _with_asset(state, target_id, **changes)
    holder = state.sensor_state(target_id)
    if holder is None:
        raise ValueError(f"no asset or sensor {target_id!r}")
    sensors = {**state.sensors, target_id: holder.model_copy(update=changes)}
    return state.model_copy(update={"sensors": sensors})


def _with_status(state: ExerciseState, body: AssetStatusChanged) -> ExerciseState:
    """A status change; nominal clears the end move, cause, irreversibility and observers.

    A destroyed asset is never restorable, even from a log written before events carried
    `reversible` (which reads as True). A change the owner did not notice keeps what it believed
    before (owner_belief); one it noticed tells it the truth."""
    asset = state.status_holder(body.asset_id)
    if asset is None:
        raise ValueError(f"no asset or sensor {body.asset_id!r}")
    belief = _owner_belief(asset, body)
    if body.status is AssetStatus.NOMINAL:
        return _with_status_of(
            state,
            body.asset_id,
            status=body.status,
            status_until_move=None,
            cause=None,
            status_reversible=True,
            status_observers=(),
            owner_belief=belief,
        )
    seen = asset.status_observers
    return _with_status_of(
        state,
        body.asset_id,
        status=body.status,
        status_until_move=body.until_move,
        cause=body.cause,
        status_reversible=body.reversible and body.status is not AssetStatus.DESTROYED,
        status_observers=(*seen, *(n for n in body.observers if n not in seen)),
        owner_belief=belief,
    )


def _owner_belief(asset: StatusState, body: AssetStatusChanged) -> OwnerBelief | None:
    """What the owner believes after `body`: the truth when noticed, else its former belief
    (None again once the truth comes back to it)."""
    if body.noticed_by_owner:
        return None
    before = asset.owner_belief or OwnerBelief(status=asset.status, until_move=asset.status_until_move)
    until = None if body.status is AssetStatus.NOMINAL else body.until_move
    if (before.status, before.until_move) == (body.status, until):
        return None
    return before


def _with_tasking(state: ExerciseState, request: TaskingRequest) -> ExerciseState:
    return state.model_copy(update={"taskings": {**state.taskings, request.request_id: request}})


def _with_fragments(state: ExerciseState, body: DebrisCreated) -> ExerciseState:
    """Add each fragment of a breakup to the ground truth as an ownerless debris object."""
    table = body.fragments
    assets = dict(state.assets)
    columns = zip(
        table.ids, table.a_km, table.e, table.i_deg, table.raan_deg, table.argp_deg, table.ma_deg,
        strict=True,
    )
    for frag_id, a_km, ecc, inc, raan, argp, ma in columns:
        orbit = KeplerianOrbit(
            kind="keplerian",
            epoch=table.epoch,
            semi_major_axis_km=a_km,
            eccentricity=ecc,
            inclination_deg=inc,
            raan_deg=raan,
            arg_perigee_deg=argp,
            mean_anomaly_deg=ma,
        )
        assets[frag_id] = AssetState(
            id=frag_id, owner=None, orbit=orbit, kind="debris", parent=body.parent_id
        )
    return state.model_copy(update={"assets": assets})


def evolve_body(state: ExerciseState, body: EventBody) -> ExerciseState:
    """Apply an event body to the state and return the new state (the old one is untouched)."""
    controlled = evolve_control(state, body)
    if controlled is not None:
        return after_adjudication(controlled, body)
    counterspace = evolve_counterspace(state, body)
    if counterspace is not None:
        return after_adjudication(counterspace, body)
    requested = evolve_requests(state, body)
    if requested is not None:
        return requested
    timed = evolve_tempo(state, body)
    if timed is not None:
        return timed
    responded = evolve_response(state, body)
    if responded is not None:
        return responded
    return after_adjudication(_evolve_play(state, body), body)


def _evolve_play(state: ExerciseState, body: EventBody) -> ExerciseState:
    """evolve_body for the events of play (not the white cell's control events)."""
    match body:
        case ExerciseCreated():
            raise ValueError("exercise_created can only be the first event")
        case ExerciseStarted(move=move, scenario_time=t):
            update = {"phase": "running", "move": move, "scenario_time": t, "closing": None}
            return state.model_copy(update=update)
        case ExercisePaused():
            return state.model_copy(update={"phase": "paused"})
        case ExerciseResumed():
            return state.model_copy(update={"phase": "running"})
        case ExerciseEnded():
            return state.model_copy(update={"phase": "ended", "closing": None})
        case MoveAdvanced(move=move, scenario_time=t):
            nations = {k: v.model_copy(update={"orders": {}}) for k, v in state.nations.items()}
            update = {"move": move, "scenario_time": t, "nations": nations, "closing": None}
            update["closed_orders"] = closed_orders(state)
            return state.model_copy(update=update)
        case MoveClosing(move=move, command=command, lease_until=lease_until):
            # A closing is recorded alone, as the next event: its seq is the one after the state's.
            closing = Closing(move=move, command=command, seq=state.last_seq + 1, lease_until=lease_until)
            point = checkpoint_at_closing(state, move) if move >= 1 else None
            return state.model_copy(update={"closing": closing, "checkpoint": point})
        case MoveReopened():
            return state.model_copy(update={"closing": None, "checkpoint": None})
        case InjectReleased(inject=inject, adhoc=adhoc, scenario_time=at):
            hours = None if at is None else (at - state.move_start(state.move)).total_seconds() / 3600.0
            entry = released_entry(state, inject, adhoc, hours)
            return state.model_copy(update={"injects": {**state.injects, inject.id: entry}})
        case InjectResolved(inject_id=inject_id):
            entry = state.injects[inject_id].model_copy(update={"resolved": True})
            return state.model_copy(update={"injects": {**state.injects, inject_id: entry}})
        case SharingPolicySet(nation=nation, partner=partner, level=level):
            return _with_nation(
                state, nation, sharing={**state.nations[nation].sharing, partner: level}
            )
        case ProductReleased(nation=nation, product_id=product_id):
            released = ReleasedProduct(
                product_id=product_id,
                product=body.product,
                marking=body.marking,
                level=body.level,
                recipients=body.recipients,
                effective=body.effective,
                released_move=state.move,
            )
            products = {**state.nations[nation].products, product_id: released}
            return _with_nation(state, nation, products=products)
        case ProductWithdrawn(nation=nation, product_id=product_id):
            products = {k: v for k, v in state.nations[nation].products.items() if k != product_id}
            return _with_nation(state, nation, products=products)
        case InjectForwarded():
            forward = ForwardedInject(
                forward_id=body.forward_id,
                nation=body.nation,
                inject_id=body.inject_id,
                title=body.title,
                text=body.text,
                marking=body.marking,
                recipients=body.recipients,
                move=state.move,
            )
            return state.model_copy(update={"forwards": (*state.forwards, forward)})
        case OrderSubmitted(order_id=order_id, nation=nation, order=order, reason=reason):
            submitted = SubmittedOrder(
                order_id=order_id, nation=nation, move=state.move, order=order, reason=reason
            )
            return _with_nation(
                state, nation, orders={**state.nations[nation].orders, order_id: submitted}
            )
        case OrderCancelled(order_id=order_id, nation=nation):
            orders = {k: v for k, v in state.nations[nation].orders.items() if k != order_id}
            return _with_nation(state, nation, orders=orders)
        case TaskingRequested():
            return _with_tasking(
                state,
                TaskingRequest(
                    request_id=body.request_id,
                    requester=body.requester,
                    partner=body.partner,
                    sensor_id=body.sensor_id,
                    object_id=body.object_id,
                    move=state.move,
                ),
            )
        case TaskingAnswered(request_id=request_id, accepted=accepted, reason=reason):
            answered = state.taskings[request_id].model_copy(
                update={"status": "accepted" if accepted else "declined", "answer_reason": reason}
            )
            return _with_tasking(state, answered)
        case AttributionPublished():
            record = {
                "nation": body.nation,
                "inject_id": body.inject_id,
                "accused": body.accused,
                "likelihood": body.likelihood,
                "statement": body.statement,
                "move": str(state.move),
            }
            return state.model_copy(update={"attributions": (*state.attributions, record)})
        case ChatPosted():
            message = ChatMessage(
                message_id=body.message_id,
                channel=body.channel,
                sender=body.sender,
                text=body.text,
                at=state.scenario_time,
                audience=chat_channel_audience(body.channel, state),
            )
            return state.model_copy(update={"chat": (*state.chat, message)})
        case (
            ObservationRecorded() | ObservationEdited() | ObservationRetracted() | RatingSet()
            | StrengthSet() | AfiSet() | ImprovementItemSet() | EvaluationItemRemoved()
        ):
            evaluation = apply_evaluation(state.evaluation, body, state.move, state.last_seq + 1)
            return state.model_copy(update={"evaluation": evaluation})
        case ManoeuvreExecuted(asset_id=asset_id, orbit=orbit, propellant_dv_m_per_s=left):
            return _with_asset(state, asset_id, orbit=orbit, propellant_dv_m_per_s=left)
        case AntiJamSet(asset_id=asset_id, enabled=enabled):
            return _with_asset(state, asset_id, anti_jam=enabled)
        case AssetStatusChanged():
            return _with_status(state, body)
        case StatusDisclosed(asset_id=asset_id):
            return _with_status_of(state, asset_id, owner_belief=None)
        case PictureUpdated(nation=nation, picture=None, tracks=tracks):
            previous = state.nations[nation].picture
            return _with_nation(state, nation, picture=tracks, previous_picture=previous)
        case PictureUpdated(nation=nation, picture=ref) if ref is not None:
            state = _with_nation(state, nation, picture_ref=ref)
            if state.pictures and state.pictures[-1] == ref.pictures:
                return state
            return state.model_copy(update={"pictures": (*state.pictures, ref.pictures)})
        case ConjunctionWarning() | CloseApproachDetected():
            warning = Warning(
                kind="conjunction" if isinstance(body, ConjunctionWarning) else "close_approach",
                nation=body.nation,
                asset_id=body.asset_id,
                other_id=body.other_id,
                move=state.adjudicating_move(),
                miss_km=body.miss_km if isinstance(body, ConjunctionWarning) else body.range_km,
                pc=body.pc if isinstance(body, ConjunctionWarning) else None,
                id=body.id if isinstance(body, ConjunctionWarning) else None,
                tca=body.tca if isinstance(body, ConjunctionWarning) else None,
            )
            own = state.nations[body.nation]
            changes: dict[str, Any] = {"warnings": (*own.warnings, warning)}
            if isinstance(body, ConjunctionWarning) and body.id is not None and body.estimate is not None:
                changes["encounters"] = {**own.encounters, body.id: body.estimate}
            state = _with_nation(state, body.nation, **changes)
            for partner, marking in body.shared_with.items():  # received through its warnings product
                shared = warning.model_copy(update={"shared_by": body.nation, "marking": marking})
                state = _with_nation(state, partner, warnings=(*state.nations[partner].warnings, shared))
            return state
        case DebrisCreated():
            return _with_fragments(state, body)
        case ThreatAssessed(nation=nation):
            assessment = Assessment(
                inject_id=body.inject_id,
                move=state.adjudicating_move(),
                warned=body.warned,
                warning_time_h=body.warning_time_h,
                likelihood_pct=body.likelihood_pct,
                likelihood_label=body.likelihood_label,
                confidence=body.confidence,
                evidence=body.evidence,
            )
            state = _with_nation(state, nation, assessments=(*state.nations[nation].assessments, assessment))
            for partner, marking in body.shared_with.items():  # received through its assessments product
                received = assessment.model_copy(update={"shared_by": nation, "marking": marking})
                assessments = (*state.nations[partner].assessments, received)
                state = _with_nation(state, partner, assessments=assessments)
            return state
        case MoveAdjudicated():
            metrics = {
                "capability": body.capability,
                "custody": body.custody,
                "precise_custody": body.precise_custody,
                "shared_products": body.shared_products,
                "escalation_level": body.escalation_level,
                "collisions": [list(c) for c in body.collisions],
            }
            return state.model_copy(
                update={
                    "escalation_level": body.escalation_level,
                    "metrics_by_move": {**state.metrics_by_move, body.move: metrics},
                }
            )
        case SharingAnalysisRequested() | SharingAnalysisProgress() | SharingAnalysisCompleted():
            return evolve_analysis(state, body)
        case SharingAnalysisFailed():
            return evolve_analysis(state, body)
        case TeamNotified(nation=nation):
            line = FeedEntry(
                move=state.adjudicating_move(), topic=body.topic, subject=body.subject, text=body.text
            )
            return _with_nation(state, nation, feed=(*state.nations[nation].feed, line))
    raise ValueError(f"no evolve rule for event type {body.type!r}")
