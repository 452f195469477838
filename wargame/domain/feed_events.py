"""The team feed's event and entry: one line telling a team what changed for it and why."""

from __future__ import annotations

from typing import Literal

from wargame.domain.common import Frozen, Identifier, NationId, ShortText

FeedTopic = Literal[
    "status", "manoeuvre", "conjunction", "disclosure", "exercise", "request", "response", "escalation"
]


class FeedEntry(Frozen):
    """What one team reads in its feed: the move, what it is about and the explanation."""

    move: int
    topic: FeedTopic
    subject: Identifier | None = None
    """The asset, inject or request it is about (None: the exercise)."""
    text: ShortText


class TeamNotified(Frozen):
    """A team is told what changed for it and why (domain/team_feed.py writes the text from what
    that team is entitled to know). Addressed to that team only."""

    type: Literal["team_notified"] = "team_notified"
    nation: NationId
    topic: FeedTopic
    subject: Identifier | None = None
    text: ShortText
