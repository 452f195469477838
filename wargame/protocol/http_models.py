"""The JSON bodies of the HTTP API (requests and answers) as pydantic models, for the operator
endpoints and the OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

FileId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
"""A scenario's or ruleset's id (never a path: the API loads only the server's own files)."""
CommandId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class Request(BaseModel):
    """A request body: unknown fields are refused, and so are values of the wrong type."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class ErrorBody(Answer):
    """Every refusal of the HTTP API: what is wrong, in `message`, for a person."""

    type: Literal["error"] = "error"
    code: str
    message: str
    current_seq: int | None = Field(default=None, description="A rejected command: the log's last seq")


class CreateExercise(Request):
    """`POST /api/exercises`: a new exercise of a shipped scenario."""

    scenario: FileId
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] | None = None
    ruleset: FileId | None = Field(default=None, description="Default: the scenario's own")
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None


Action = Literal["start", "pause", "resume", "advance", "end"]


class ControlExercise(Request):
    """`POST /api/exercises/{id}/control`: a white-cell command, recorded as this operator's."""

    action: Action
    from_move: Annotated[int, Field(ge=1)] | None = Field(
        default=None, description="advance: the move to close (default: the open one)"
    )
    reason: Annotated[str, Field(max_length=500)] = Field(default="", description="pause: why")
    command_id: CommandId | None = Field(
        default=None, description="Send the same id again to get the first result, not a second command"
    )


class IssueSeat(Request):
    """`POST /api/exercises/{id}/seats`: a join link for a named member of a team or cell."""

    role: Literal["player", "white_cell", "facilitator", "observer", "evaluator"]
    nation: Annotated[str, Field(min_length=1, max_length=16)] | None = None
    member: Annotated[str, Field(min_length=1, max_length=100)]


class ExerciseSummary(Answer):
    id: str
    title: str
    scenario: str
    phase: Literal["setup", "running", "paused", "ended", "unreadable"]
    move: int
    moves: int
    created: datetime
    last_seq: int
    seats: int = Field(description="Join links not revoked")


class ExerciseList(Answer):
    exercises: list[ExerciseSummary]


class SeatLink(Answer):
    """A join link, shown once: only the token's hash is stored."""

    seat_id: int
    label: str
    role: str
    nation: str | None
    member: str
    token: str
    link: str


class CreatedExercise(Answer):
    exercise: ExerciseSummary
    seats: list[SeatLink]
    text: str = Field(description="The links as `wargame exercise create` prints them")


class SeatEntry(Answer):
    seat_id: int
    label: str
    role: str
    nation: str | None
    member: str
    revoked: bool
    created: datetime


class SeatList(Answer):
    seats: list[SeatEntry]


class SeatRevoked(Answer):
    seat_id: int
    revoked: bool = Field(description="false: it was revoked already")


class ControlResult(Answer):
    status: Literal["accepted"]
    command_id: str
    seqs: list[int]
    seq: int
    repeat: bool = False
    exercise: ExerciseSummary


class LogEntry(Answer):
    pos: int
    event: dict[str, Any] = Field(description="A projected event, as on the websocket (SeatEvents)")


class LogPage(Answer):
    """`GET /api/log`: one page of this seat's stream."""

    events: list[LogEntry]
    next_after: int
    last_pos: int


class Live(Answer):
    status: Literal["ok"]
    draining: bool


class Check(Answer):
    ok: bool
    seconds: float | None = None
    error: str | None = None


class Ready(Answer):
    status: Literal["ok", "unavailable", "draining"]
    failed: list[str]
    checks: dict[str, Check]
