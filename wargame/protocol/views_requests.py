"""What each seat sees of requests between teams: a team the requests it takes part in and the
joint statements issued to it, control all of them; both the providers' fallback offers."""

from __future__ import annotations

from wargame.domain.addressing import address
from wargame.domain.audience import can_see, team
from wargame.domain.common import Frozen, MissionArea, NationId
from wargame.domain.request_events import StatementIssued
from wargame.domain.request_state import Ask, CapacityRequest, JointStatement
from wargame.domain.state import ExerciseState


class ProviderOffer(Frozen):
    """A nation's fallback capacity in one mission area (scenario data): what a request may ask."""

    nation: NationId
    area: MissionArea
    capacity: int
    max_request: int
    answered_by: str
    """team, or white_cell for a provider that is not played."""


class RequestsView(Frozen):
    """Capacity requests, joint statements (drafts the seat takes part in and statements issued
    to it) and RFIs or requests for assistance, oldest first; the providers' offers."""

    capacity: list[CapacityRequest]
    statements: list[JointStatement]
    asks: list[Ask]
    providers: list[ProviderOffer]


def providers(state: ExerciseState) -> list[ProviderOffer]:
    out: list[ProviderOffer] = []
    for nation in state.scenario.nations:
        if nation.fallback is None:
            continue
        for area, capacity in nation.fallback.capacity.items():
            if capacity > 0:
                out.append(
                    ProviderOffer(
                        nation=nation.id,
                        area=area,
                        capacity=capacity,
                        max_request=nation.fallback.request_limit(area),
                        answered_by="team" if nation.played else "white_cell",
                    )
                )
    return out


def _issued_to(state: ExerciseState, statement: JointStatement, viewer: str) -> bool:
    issued = StatementIssued(
        statement_id=statement.statement_id,
        drafter=statement.drafter,
        cosigners=statement.cosigners,
        text=statement.text,
        marking=statement.marking,
        version=statement.version,
    )
    return can_see(address(issued, state), viewer)


def issued_to(state: ExerciseState, viewer: str) -> list[JointStatement]:
    """The joint statements issued that reach `viewer`, as a nation that was not party to them
    knows them: without the refusals met on the way (`refusal`), consented by every co-signer."""
    issued = [s for s in state.requests.statements.values() if s.status == "issued"]
    public = [s.model_copy(update={"refusal": None, "consents": s.cosigners}) for s in issued]
    return [s for s in public if _issued_to(state, s, viewer)]


def team_requests(state: ExerciseState, nation: str) -> RequestsView:
    mine = state.requests.visible_to(nation)
    viewer = team(nation)
    public = {s.statement_id: s for s in issued_to(state, viewer)}
    statements = [
        s if s.statement_id in mine.statements else public[s.statement_id]
        for s in state.requests.statements.values()
        if s.statement_id in mine.statements or s.statement_id in public
    ]
    return RequestsView(
        capacity=list(mine.capacity.values()),
        statements=statements,
        asks=list(mine.asks.values()),
        providers=providers(state),
    )


def control_requests(state: ExerciseState) -> RequestsView:
    book = state.requests
    return RequestsView(
        capacity=list(book.capacity.values()),
        statements=list(book.statements.values()),
        asks=list(book.asks.values()),
        providers=providers(state),
    )
