"""Who may send each command: one declaration per command type (walked from the Command union),
and authorize refuses exactly the seats the declaration leaves out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, get_args

import pytest

from tests.factories import make_created
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import Command, Rejection
from wargame.domain.decide import CONTROL_COMMANDS, CommandTerms, authorize, decide
from wargame.domain.permissions import DECLARATIONS, SENDERS, WHITE_CELL

COMMAND_MODELS: list[Any] = list(get_args(get_args(Command)[0]))
COMMAND_TYPES = [model.model_fields["type"].annotation.__args__[0] for model in COMMAND_MODELS]
SEATS = [
    Seat(role=Role.PLAYER, nation="USA"),
    Seat(role=Role.WHITE_CELL),
    Seat(role=Role.FACILITATOR),
    Seat(role=Role.EVALUATOR),
    Seat(role=Role.OBSERVER),
]


def test_every_command_of_the_union_is_declared_exactly_once() -> None:
    counts = {kind: sum(kind in kinds for _, kinds in DECLARATIONS) for kind in COMMAND_TYPES}
    assert {k: n for k, n in counts.items() if n != 1} == {}
    declared = {kind for _, kinds in DECLARATIONS for kind in kinds}
    assert declared == set(COMMAND_TYPES)  # nothing declared that the union lacks
    assert len(COMMAND_TYPES) == len(set(COMMAND_TYPES)) == len(SENDERS)


def test_the_white_cell_commands_are_the_declared_ones() -> None:
    assert CONTROL_COMMANDS == {k for k, s in SENDERS.items() if s is WHITE_CELL}
    assert "start_exercise" in CONTROL_COMMANDS and "submit_order" not in CONTROL_COMMANDS
    assert "answer_request" not in CONTROL_COMMANDS  # the addressed team, or the white cell


@pytest.fixture(scope="module")
def running_state() -> Any:
    from wargame.domain.evolve import initial_state

    return initial_state("perm", make_created()).model_copy(update={"phase": "running", "move": 1})


@pytest.mark.parametrize("model", COMMAND_MODELS, ids=COMMAND_TYPES)
def test_every_command_from_every_seat_is_refused_as_declared(model: Any, running_state: Any) -> None:
    kind = model.model_fields["type"].annotation.__args__[0]
    senders = SENDERS[kind]
    cmd = model.model_construct(type=kind)  # authorize reads the type alone
    terms = CommandTerms(key="perm/1", at=datetime(2027, 3, 1, tzinfo=UTC), lease_s=60.0)
    for seat in SEATS:
        if seat.role in senders.roles:
            assert authorize(running_state, seat, cmd) is None, (kind, seat.role)
            continue
        refused = decide(running_state, seat, cmd, terms)  # sent: refused before any handler runs
        assert isinstance(refused, Rejection) and refused.code == "forbidden", (kind, seat.role)
        if seat.role not in (Role.OBSERVER, Role.EVALUATOR):
            assert refused.message == senders.refusal.format(kind=kind)


@pytest.mark.parametrize("model", COMMAND_MODELS, ids=COMMAND_TYPES)
def test_after_the_end_only_declared_commands_go_on(model: Any, running_state: Any) -> None:
    kind = model.model_fields["type"].annotation.__args__[0]
    senders = SENDERS[kind]
    ended = running_state.model_copy(update={"phase": "ended"})
    seat = next(s for s in SEATS if s.role in senders.roles)
    refused = authorize(ended, seat, model.model_construct(type=kind))
    assert (refused is None) == senders.after_end
    if refused is not None:
        assert refused.code == "wrong_phase"
