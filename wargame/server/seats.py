"""Join links: issuing secret seat tokens (stored hashed), looking them up, and revoking them."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db.models import QuerySet

from wargame.domain.audience import Role, Seat
from wargame.domain.scenario_model import Scenario
from wargame.server.models import Exercise
from wargame.server.models import Seat as SeatRow


@dataclass(frozen=True)
class IssuedSeat:
    label: str
    role: Role
    nation: str | None
    token: str

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/play/#seat={self.token}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_seat(exercise: Exercise, role: Role, nation: str | None, label: str) -> IssuedSeat:
    token = secrets.token_urlsafe(24)
    SeatRow.objects.create(
        exercise=exercise, role=role.value, nation=nation, label=label, token_hash=token_hash(token)
    )
    return IssuedSeat(label=label, role=role, nation=nation, token=token)


def issue_default_seats(exercise: Exercise, scenario: Scenario) -> list[IssuedSeat]:
    """One seat per played nation, plus the white cell, a facilitator and an observer."""
    seats = [
        issue_seat(exercise, Role.PLAYER, n.id, f"{n.name} team")
        for n in scenario.nations
        if n.played
    ]
    seats.append(issue_seat(exercise, Role.WHITE_CELL, None, "White Cell"))
    seats.append(issue_seat(exercise, Role.FACILITATOR, None, "Facilitator"))
    seats.append(issue_seat(exercise, Role.OBSERVER, None, "Observer"))
    return seats


def find_seat(token: str) -> tuple[str, Seat] | None:
    """The exercise id and seat of a valid, unrevoked token."""
    if not token or len(token) > 128:
        return None
    row = SeatRow.objects.filter(token_hash=token_hash(token), revoked=False).first()
    if row is None:
        return None
    return row.exercise_id, Seat(role=Role(row.role), nation=row.nation, label=row.label)


def revoke_seat(token: str) -> bool:
    """Revoke one join link and close its open sockets in every server process."""
    return bool(revoke_rows(SeatRow.objects.filter(token_hash=token_hash(token))))


def revoke_viewer(exercise_id: str, viewer: str) -> int:
    """Revoke every seat of one audience (e.g. team:USA or observer) in an exercise."""
    rows = SeatRow.objects.filter(exercise_id=exercise_id)
    if viewer.startswith("team:"):
        rows = rows.filter(role=Role.PLAYER.value, nation=viewer.removeprefix("team:"))
    else:
        rows = rows.filter(role=viewer)
    return revoke_rows(rows)


def revoke_rows(rows: QuerySet[SeatRow]) -> int:
    """Mark seats revoked and announce it; hubs also find revocations when they poll."""
    from wargame.server.runtime import notify_revoked

    found = list(rows.filter(revoked=False).values_list("exercise_id", "token_hash"))
    rows.update(revoked=True)
    by_exercise: dict[str, list[str]] = {}
    for exercise_id, hashed in found:
        by_exercise.setdefault(exercise_id, []).append(hashed)
    for exercise_id, hashes in by_exercise.items():
        notify_revoked(exercise_id, hashes)
    return len(found)
