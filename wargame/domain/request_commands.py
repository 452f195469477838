"""Commands of requests between teams, acted on when sent: fallback capacity, joint statements
by consent, RFIs and requests for assistance, and their answers."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import (
    FreeText,
    Frozen,
    Identifier,
    Marking,
    MissionArea,
    NationId,
    Releasability,
    ShortText,
)

StatementText = Annotated[str, Field(min_length=1, max_length=4000, pattern=r"\S")]
AskText = Annotated[str, Field(min_length=1, max_length=4000, pattern=r"\S")]
PUBLIC = Marking(releasability=Releasability.PUBLIC)


class RequestCapacity(Frozen):
    """Ask a provider nation (allied or commercial) for `units` of fallback capacity in a mission
    area for `moves` moves. Its team answers; the white cell answers for a provider not played."""

    type: Literal["request_capacity"]
    provider: NationId
    area: MissionArea
    units: Annotated[int, Field(ge=1, le=10_000)]
    moves: Annotated[int, Field(ge=1, le=50)]
    reason: FreeText = ""


class AnswerCapacity(Frozen):
    """Accept a capacity request, all of it or `units` of it, or decline it with a reason."""

    type: Literal["answer_capacity"]
    request_id: Identifier
    accept: bool
    units: Annotated[int, Field(ge=1, le=10_000)] | None = None
    """How many units to lend (None: all requested); only with accept."""
    reason: ShortText = ""
    """Why (required to decline); the requester reads it."""


class DraftStatement(Frozen):
    """Draft a joint statement for the named co-signers to consent to; issued when all consent."""

    type: Literal["draft_statement"]
    text: StatementText
    cosigners: Annotated[tuple[NationId, ...], Field(min_length=1, max_length=16)]
    marking: Marking = PUBLIC


class AmendStatement(Frozen):
    """The drafter amends a draft (every consent given so far is reset) and asks again."""

    type: Literal["amend_statement"]
    statement_id: Identifier
    text: StatementText
    cosigners: Annotated[tuple[NationId, ...], Field(min_length=1, max_length=16)] | None = None
    """The co-signers of the amended draft (None: the same)."""


class AnswerStatement(Frozen):
    """A named co-signer consents to a draft, or refuses it with a reason (the draft returns to
    its drafter)."""

    type: Literal["answer_statement"]
    statement_id: Identifier
    consent: bool
    reason: ShortText = ""


class SendRequest(Frozen):
    """An RFI (request for information, to the white cell) or a request for assistance (to a
    named nation, or to the white cell when `to` is None). Lapses if unanswered at move close."""

    type: Literal["send_request"]
    kind: Literal["rfi", "assistance"]
    to: NationId | None = None
    text: AskText


class AnswerRequest(Frozen):
    """Approve or deny an RFI or a request for assistance, with an answer its sender reads."""

    type: Literal["answer_request"]
    request_id: Identifier
    approve: bool
    answer: AskText
