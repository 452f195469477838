"""Who may send each command: one declaration per command type, read by decide.authorize."""

from __future__ import annotations

from dataclasses import dataclass

from wargame.domain.audience import Role


@dataclass(frozen=True)
class Senders:
    """The seats that may send a command, the refusal the others get, and whether it may still be
    sent after the exercise has ended."""

    name: str
    roles: frozenset[Role]
    refusal: str
    """The forbidden message, with `{kind}` for the command type."""
    after_end: bool = False


WHITE_CELL = Senders("white cell", frozenset({Role.WHITE_CELL}), "{kind} is a white cell command")
PLAYERS = Senders("players", frozenset({Role.PLAYER}), "{kind} is a player command")
ADDRESSEES = Senders(
    "the addressed team, or the white cell for a nation not played",
    frozenset({Role.PLAYER, Role.WHITE_CELL}),
    "{kind} is for the team a request is addressed to, or the white cell",
)
CHAT = Senders(
    "players and control",
    frozenset({Role.PLAYER, Role.WHITE_CELL, Role.FACILITATOR}),
    "{kind} is for players, the white cell and facilitators",
)
ANALYSTS = Senders(
    "control",
    frozenset({Role.WHITE_CELL, Role.FACILITATOR}),
    "{kind} is for facilitators and the white cell",
    after_end=True,
)
EVALUATORS = Senders(
    "evaluators",
    frozenset({Role.EVALUATOR, Role.FACILITATOR}),
    "{kind} is for evaluators and facilitators",
    after_end=True,
)

DECLARATIONS: tuple[tuple[Senders, frozenset[str]], ...] = (
    (
        WHITE_CELL,
        frozenset(
            {
                "start_exercise",
                "pause_exercise",
                "resume_exercise",
                "advance_move",
                "end_exercise",
                "release_inject",
                "adhoc_inject",
                "restore_asset",
                "disclose_status",
                "force_outcome",
                "override_status",
                "undo_debris",
                "undo_collision",
                "readjudicate_move",
                "skip_inject",
                "hold_inject",
                "lift_hold",
                "retime_inject",
                "edit_inject",
                "set_move_deadline",
            }
        ),
    ),
    (
        PLAYERS,
        frozenset(
            {
                "release_product",
                "withdraw_product",
                "forward_inject",
                "submit_order",
                "cancel_order",
                "answer_tasking",
                "request_capacity",
                "draft_statement",
                "amend_statement",
                "answer_statement",
                "send_request",
            }
        ),
    ),
    (ADDRESSEES, frozenset({"answer_capacity", "answer_request"})),
    (CHAT, frozenset({"post_chat"})),
    (ANALYSTS, frozenset({"request_sharing_analysis"})),
    (
        EVALUATORS,
        frozenset(
            {
                "record_observation",
                "edit_observation",
                "retract_observation",
                "set_rating",
                "set_strength",
                "set_afi",
                "set_improvement_item",
                "remove_evaluation_item",
            }
        ),
    ),
)
"""Each command type in exactly one group (tests/domain/test_permissions.py walks the Command union)."""

SENDERS: dict[str, Senders] = {kind: senders for senders, kinds in DECLARATIONS for kind in kinds}
"""Command type -> who may send it."""


def sent_by(senders: Senders) -> frozenset[str]:
    """The command types a group declares."""
    return next(kinds for group, kinds in DECLARATIONS if group is senders)
