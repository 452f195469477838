"""decide's table of the request commands (fallback capacity, joint statements, RFIs, assistance)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wargame.domain.request_decide import (
    decide_answer_capacity,
    decide_answer_request,
    decide_request_capacity,
    decide_send_request,
)
from wargame.domain.statement_decide import decide_amend, decide_answer_statement, decide_draft

REQUEST_HANDLERS: dict[str, Callable[..., Any]] = {
    "request_capacity": decide_request_capacity,
    "answer_capacity": decide_answer_capacity,
    "draft_statement": decide_draft,
    "amend_statement": decide_amend,
    "answer_statement": decide_answer_statement,
    "send_request": decide_send_request,
    "answer_request": decide_answer_request,
}
"""Command type -> handler(state, seat, command) returning event bodies or a Rejection."""
