"""Event bodies of requests between teams: fallback capacity, joint statements by consent, RFIs
and requests for assistance. Each goes to the requester, the addressee and control only."""

from __future__ import annotations

from typing import Literal

from wargame.domain.common import FreeText, Frozen, Identifier, Marking, MissionArea, NationId

Answerer = Literal["team", "white_cell"]
AskKind = Literal["rfi", "assistance"]


class CapacityRequested(Frozen):
    """A team asked a provider for fallback capacity; `answered_by` says who will answer (the
    white cell for a provider that is not played)."""

    type: Literal["capacity_requested"] = "capacity_requested"
    request_id: Identifier
    requester: NationId
    provider: NationId
    area: MissionArea
    units: int
    moves: int
    reason: FreeText = ""
    answered_by: Answerer


class CapacityAnswered(Frozen):
    """A capacity request was answered: `units` lent (0: declined) for moves `from_move` to
    `until_move`, with the reason the requester reads."""

    type: Literal["capacity_answered"] = "capacity_answered"
    request_id: Identifier
    requester: NationId
    provider: NationId
    area: MissionArea
    requested: int
    units: int
    from_move: int
    until_move: int
    reason: FreeText = ""
    answered_by: Answerer


class StatementDrafted(Frozen):
    """A nation drafted a joint statement (version 1) and asks its co-signers to consent."""

    type: Literal["statement_drafted"] = "statement_drafted"
    statement_id: Identifier
    drafter: NationId
    cosigners: tuple[NationId, ...]
    text: FreeText
    marking: Marking


class StatementAmended(Frozen):
    """The drafter amended its draft; consents given so far are reset."""

    type: Literal["statement_amended"] = "statement_amended"
    statement_id: Identifier
    drafter: NationId
    cosigners: tuple[NationId, ...]
    previous_cosigners: tuple[NationId, ...]
    text: FreeText
    version: int


class StatementAnswered(Frozen):
    """A co-signer consented to a version of a draft, or refused it (it returns to the drafter)."""

    type: Literal["statement_answered"] = "statement_answered"
    statement_id: Identifier
    drafter: NationId
    cosigners: tuple[NationId, ...]
    nation: NationId
    version: int
    consent: bool
    reason: FreeText = ""


class StatementIssued(Frozen):
    """Every named nation consented: the joint statement is issued to those its marking reaches."""

    type: Literal["statement_issued"] = "statement_issued"
    statement_id: Identifier
    drafter: NationId
    cosigners: tuple[NationId, ...]
    text: FreeText
    marking: Marking
    version: int


class RequestSent(Frozen):
    """An RFI or a request for assistance, to a nation or (`to` None) to the white cell."""

    type: Literal["request_sent"] = "request_sent"
    request_id: Identifier
    kind: AskKind
    requester: NationId
    to: NationId | None = None
    text: FreeText


class RequestAnswered(Frozen):
    """An RFI or a request for assistance was approved or denied, with its answer."""

    type: Literal["request_answered"] = "request_answered"
    request_id: Identifier
    kind: AskKind
    requester: NationId
    to: NationId | None = None
    approved: bool
    answer: FreeText
    answered_by: Answerer


class RequestLapsed(Frozen):
    """A request not answered within its move lapsed when the move closed."""

    type: Literal["request_lapsed"] = "request_lapsed"
    request_id: Identifier
    kind: Literal["rfi", "assistance", "capacity"]
    requester: NationId
    to: NationId | None = None
    move: int


REQUEST_EVENTS = frozenset(
    {
        "capacity_requested",
        "capacity_answered",
        "statement_drafted",
        "statement_amended",
        "statement_answered",
        "statement_issued",
        "request_sent",
        "request_answered",
        "request_lapsed",
    }
)
"""Event types of this module: teams may receive them when addressed to them."""
