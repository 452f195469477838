"""Who the events of requests between teams are addressed to: the requester, the addressee (the
provider, the co-signers, the nation asked) and control; an issued statement per its marking."""

from __future__ import annotations

from wargame.domain.audience import everyone, teams
from wargame.domain.events import EventBody
from wargame.domain.releasability import delivered_to
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
from wargame.domain.state import ExerciseState


def issued_audience(
    state: ExerciseState, drafter: str, cosigners: tuple[str, ...], body: StatementIssued
) -> tuple[str, ...]:
    """The seats an issued statement reaches: its parties and every nation its marking releases
    to; every seat, observers included, when PUBLIC."""
    reached = delivered_to(body.marking, drafter, (), state.scenario)
    if reached is None:
        return everyone()
    played = state.played_nations()
    return teams(drafter, *cosigners, *(n for n in played if n in reached))


def request_audience(body: EventBody, state: ExerciseState) -> tuple[str, ...] | None:
    """The audience of a request event; None for any other event."""
    played = set(state.played_nations())

    def parties(*nations: str | None) -> tuple[str, ...]:
        return teams(*(n for n in nations if n in played))

    match body:
        case CapacityRequested(requester=a, provider=b) | CapacityAnswered(requester=a, provider=b):
            return parties(a, b)
        case (
            RequestSent(requester=a, to=b)
            | RequestAnswered(requester=a, to=b)
            | RequestLapsed(requester=a, to=b)
        ):
            return parties(a, b)
        case StatementDrafted(drafter=a, cosigners=named) | StatementAnswered(drafter=a, cosigners=named):
            return parties(a, *named)
        case StatementAmended(drafter=a, cosigners=named, previous_cosigners=before):
            return parties(a, *named, *before)
        case StatementIssued(drafter=a, cosigners=named):
            return issued_audience(state, a, named, body)
    return None
