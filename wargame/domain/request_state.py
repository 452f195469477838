"""The state of requests between teams: capacity requests and grants, joint statements and their
consents, RFIs and requests for assistance (folded by domain/request_evolve.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from wargame.domain.common import Frozen, Identifier, Marking, MissionArea, NationId
from wargame.domain.request_events import Answerer


class CapacityRequest(Frozen):
    request_id: Identifier
    requester: NationId
    provider: NationId
    area: MissionArea
    units: int
    moves: int
    reason: str = ""
    move: int
    """The move it was sent in: unanswered, it lapses when that move closes."""
    answered_by: Answerer
    status: Literal["pending", "accepted", "declined", "lapsed"] = "pending"
    granted: int = 0
    """Units lent (accepted), 0 otherwise."""
    from_move: int | None = None
    until_move: int | None = None
    """The moves whose adjudication counts the lent units (accepted), both included."""
    answer_reason: str = ""

    def active_in(self, move: int) -> bool:
        """Whether the lent units count in `move`'s adjudication and use the provider's capacity."""
        return (
            self.status == "accepted"
            and self.from_move is not None
            and self.until_move is not None
            and self.from_move <= move <= self.until_move
        )


class StatementRefusal(Frozen):
    nation: NationId
    reason: str
    version: int


class JointStatement(Frozen):
    statement_id: Identifier
    drafter: NationId
    cosigners: tuple[NationId, ...]
    text: str
    marking: Marking
    version: int = 1
    consents: tuple[NationId, ...] = ()
    """Co-signers that consented to the current version."""
    status: Literal["draft", "returned", "issued"] = "draft"
    """draft: asking for consents; returned: a co-signer refused, the drafter may amend."""
    refusal: StatementRefusal | None = None
    """The latest refusal (kept after an amendment, for the record)."""
    issued_move: int | None = None

    def parties(self) -> tuple[NationId, ...]:
        return (self.drafter, *self.cosigners)


class Ask(Frozen):
    """An RFI or a request for assistance."""

    request_id: Identifier
    kind: Literal["rfi", "assistance"]
    requester: NationId
    to: NationId | None = None
    """The nation asked; None: the white cell."""
    text: str
    move: int
    status: Literal["pending", "approved", "denied", "lapsed"] = "pending"
    answer: str = ""
    answered_by: Answerer | None = None


class RequestBook(Frozen):
    """Every request of the exercise, by id (ids are unique across the three kinds)."""

    capacity: dict[Identifier, CapacityRequest] = Field(default_factory=dict)
    statements: dict[Identifier, JointStatement] = Field(default_factory=dict)
    asks: dict[Identifier, Ask] = Field(default_factory=dict)

    def capacity_in_use(self, provider: str, area: MissionArea, move: int) -> int:
        """Units of `provider`'s capacity in `area` lent out and counting in `move`."""
        return sum(
            r.granted
            for r in self.capacity.values()
            if r.provider == provider and r.area == area and r.active_in(move)
        )

    def lent_to(self, nation: str, move: int) -> dict[MissionArea, int]:
        """Units lent to `nation` that count in `move`'s adjudication, by mission area."""
        lent: dict[MissionArea, int] = {}
        for r in self.capacity.values():
            if r.requester == nation and r.active_in(move):
                lent[r.area] = lent.get(r.area, 0) + r.granted
        return lent

    def pending_at_close(self, move: int) -> list[CapacityRequest | Ask]:
        """Requests sent in `move` and not answered: they lapse when it closes."""
        out: list[CapacityRequest | Ask] = [
            r for r in self.capacity.values() if r.status == "pending" and r.move <= move
        ]
        out += [a for a in self.asks.values() if a.status == "pending" and a.move <= move]
        return out

    def visible_to(self, nation: str) -> RequestBook:
        """The requests a team takes part in (requester, addressee, drafter or co-signer)."""
        return RequestBook(
            capacity={k: r for k, r in self.capacity.items() if nation in (r.requester, r.provider)},
            statements={k: s for k, s in self.statements.items() if nation in s.parties()},
            asks={k: a for k, a in self.asks.items() if nation in (a.requester, a.to)},
        )
