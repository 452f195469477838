"""Who each event is addressed to: the one place audiences are decided."""

from __future__ import annotations

from wargame.domain.audience import control_only, everyone, teams
from wargame.domain.counterspace_events import CounterspaceFired, RadiationBeltFormed
from wargame.domain.evaluation_events import EVALUATION_EVENTS
from wargame.domain.events import (
    AntiJamSet,
    AssetStatusChanged,
    AttributionPublished,
    ChatPosted,
    CloseApproachDetected,
    ConjunctionWarning,
    DebrisCreated,
    EventBody,
    ExerciseCreated,
    ExerciseEnded,
    ExercisePaused,
    ExerciseResumed,
    ExerciseStarted,
    InjectForwarded,
    InjectReleased,
    InjectResolved,
    ManoeuvreExecuted,
    MoveAdjudicated,
    MoveAdvanced,
    MoveClosing,
    MoveReopened,
    OrderCancelled,
    OrderSubmitted,
    PictureUpdated,
    ProductReleased,
    ProductWithdrawn,
    SharingAnalysisCompleted,
    SharingAnalysisFailed,
    SharingAnalysisProgress,
    SharingAnalysisRequested,
    SharingPolicySet,
    StatusDisclosed,
    TaskingAnswered,
    TaskingRequested,
    ThreatAssessed,
)
from wargame.domain.feed_events import TeamNotified
from wargame.domain.releasability import delivered_to
from wargame.domain.request_addressing import request_audience
from wargame.domain.response_events import (
    DimeTaken,
    EscalationChanged,
    EvasionResolved,
    GroundSegmentActed,
    ResponseFailed,
    SpareActivated,
    SpareArrived,
)
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState
from wargame.domain.tempo_events import DeadlinePassed, DeadlineWarning, MoveClockSet


def coalition_nations(state: ExerciseState) -> list[str]:
    """Played nations that are not on the red side: the members of the coalition channel."""
    return [n.id for n in state.scenario.nations if n.played and n.side != "red"]


def chat_channel_audience(channel: str, state: ExerciseState) -> tuple[str, ...]:
    if channel == "coalition":
        return teams(*coalition_nations(state))
    if channel.startswith("team:"):
        return teams(channel.removeprefix("team:"))
    if channel.startswith("bilateral:"):
        return teams(*channel.removeprefix("bilateral:").split("+"))
    return control_only()


def inject_audience(inject: Inject, state: ExerciseState) -> tuple[str, ...]:
    """Who an inject reaches: its recipients within what its marking releases to, or everyone
    the marking allows (releasability.delivered_to); a PUBLIC inject reaches every seat."""
    scenario = state.scenario
    nations = delivered_to(inject.marking, scenario.originator(inject), inject.recipients, scenario)
    if nations is None:
        return everyone()
    played = state.played_nations()
    return teams(*(n for n in played if n in nations))


def address(body: EventBody, state: ExerciseState) -> tuple[str, ...]:
    """The audience of an event body; unknown kinds go to control only (deny by default)."""
    match body:
        case ExerciseStarted() | ExercisePaused() | ExerciseResumed() | ExerciseEnded():
            return everyone()
        case MoveAdvanced() | MoveClosing() | MoveReopened() | AttributionPublished():
            return everyone()
        case MoveClockSet() | DeadlineWarning():
            return everyone()
        case DeadlinePassed(on_deadline=on_deadline):
            return everyone() if on_deadline == "advance" else control_only()
        case InjectReleased(inject=inject):
            return inject_audience(inject, state)
        case SharingPolicySet(nation=nation, partner=partner):
            return teams(nation, partner)
        case ProductReleased(nation=nation, recipients=recipients):
            return teams(nation, *recipients)
        case ProductWithdrawn(nation=nation, recipients=recipients):
            return teams(nation, *recipients)
        case InjectForwarded(nation=nation, recipients=recipients):
            return teams(nation, *recipients)
        case OrderSubmitted(nation=nation) | OrderCancelled(nation=nation):
            return teams(nation)
        case CounterspaceFired(nation=nation):
            return teams(nation)
        case RadiationBeltFormed():
            return everyone()
        case TaskingRequested(requester=a, partner=b) | TaskingAnswered(requester=a, partner=b):
            return teams(a, b)
        case ChatPosted(channel=channel):
            return chat_channel_audience(channel, state)
        case ManoeuvreExecuted(owner=owner) | AntiJamSet(owner=owner) | StatusDisclosed(owner=owner):
            return teams(owner)
        case GroundSegmentActed(owner=owner) | SpareActivated(owner=owner) | SpareArrived(owner=owner):
            return teams(owner)
        case EvasionResolved(owner=owner) | ResponseFailed(nation=owner):
            return teams(owner)
        case DimeTaken() | EscalationChanged():
            return everyone()
        case AssetStatusChanged(owner=owner, observers=observers, noticed_by_owner=noticed):
            return teams(*((owner,) if noticed else ()), *observers)
        case PictureUpdated(nation=nation):
            return teams(nation)
        case ConjunctionWarning(nation=nation, shared_with=shared) | CloseApproachDetected(
            nation=nation, shared_with=shared
        ):
            return teams(nation, *shared)
        case ThreatAssessed(nation=nation, shared_with=shared):
            return teams(nation, *shared)
        case DebrisCreated():
            return control_only()
        case ExerciseCreated() | InjectResolved() | MoveAdjudicated():
            return control_only()
        case _ if body.type in EVALUATION_EVENTS:  # evaluators' work: control seats only
            return control_only()
        case SharingAnalysisRequested() | SharingAnalysisProgress() | SharingAnalysisCompleted():
            return control_only()  # counterfactual ground truth: controllers only
        case SharingAnalysisFailed():
            return control_only()
        case TeamNotified(nation=nation):
            return teams(nation)
    if (requested := request_audience(body, state)) is not None:
        return requested
    return control_only()
