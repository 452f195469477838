"""Join links: issuing secret seat tokens (stored hashed) to named members, listing, admitting
sockets under the per-seat cap, checking and revoking them."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from wargame.domain.audience import Role, Seat
from wargame.domain.scenario_model import Scenario
from wargame.server.models import Exercise, SocketLease
from wargame.server.models import Seat as SeatRow

logger = logging.getLogger(__name__)
MAX_MEMBER_CHARS = 100
ROLE_LABELS = {
    Role.WHITE_CELL: "White Cell",
    Role.FACILITATOR: "Facilitator",
    Role.EVALUATOR: "Evaluator",
    Role.OBSERVER: "Observer",
}


class SeatError(ValueError):
    """A seat cannot be issued or found as asked; the message says what is wrong."""


class SeatNotFound(SeatError):
    """The exercise, seat or played nation asked for does not exist."""


@dataclass(frozen=True)
class IssuedSeat:
    label: str
    role: Role
    nation: str | None
    token: str
    member: str = ""
    seat_id: int = 0

    def link(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}/play/#seat={self.token}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_seat(
    exercise: Exercise, role: Role, nation: str | None, label: str, member: str = ""
) -> IssuedSeat:
    token = secrets.token_urlsafe(24)
    row = SeatRow.objects.create(
        exercise=exercise,
        role=role.value,
        nation=nation,
        member=member,
        label=label,
        token_hash=token_hash(token),
    )
    fields = {"exercise": exercise.id, "seat": row.pk, "role": role.value, "nation": nation, "member": member}
    logger.info("seat issued", extra=fields)
    return IssuedSeat(label=label, role=role, nation=nation, token=token, member=member, seat_id=row.pk)


def issue_default_seats(exercise: Exercise, scenario: Scenario) -> list[IssuedSeat]:
    """One seat per played nation, plus the white cell, a facilitator, an evaluator and an observer."""
    seats = [
        issue_seat(exercise, Role.PLAYER, n.id, f"{n.name} team")
        for n in scenario.nations
        if n.played
    ]
    seats += [issue_seat(exercise, role, None, label) for role, label in ROLE_LABELS.items()]
    return seats


def issue_member_seat(exercise_id: str, role: str, nation: str | None, member: str) -> IssuedSeat:
    """A new join link for a named member of a team (role player and its nation) or of a cell.

    Refused (SeatError) for an unknown exercise, role or nation, a nation on a non-player role,
    a blank or over-long name, and a member who already holds a valid link of the same seat
    (`reissue_seat` replaces it)."""
    exercise = Exercise.objects.filter(id=exercise_id).first()
    if exercise is None:
        raise SeatNotFound(f"no exercise {exercise_id!r}")
    try:
        seat_role = Role(role)
    except ValueError:
        raise SeatError(f"unknown role {role!r}; one of {', '.join(r.value for r in Role)}") from None
    name = " ".join(member.split())
    if not name or len(name) > MAX_MEMBER_CHARS or not name.isprintable():
        raise SeatError(f"the member name must be 1-{MAX_MEMBER_CHARS} printable characters, not blank")
    label = _seat_label(exercise_id, seat_role, nation)
    held = _valid_seat_of(exercise_id, seat_role.value, nation, name)
    if held is not None:
        raise SeatError(
            f"{name!r} already holds seat {held} ({label}); `wargame seat reissue` gives a new link"
        )
    return issue_seat(exercise, seat_role, nation, label, name)


def _valid_seat_of(exercise_id: str, role: str, nation: str | None, member: str) -> int | None:
    """The id of the member's unrevoked seat of this role and nation, if any."""
    rows = SeatRow.objects.filter(
        exercise_id=exercise_id, role=role, nation=nation, member=member, revoked=False
    )
    found = rows.values_list("id", flat=True).first()
    return int(found) if found is not None else None


def _seat_label(exercise_id: str, role: Role, nation: str | None) -> str:
    if role is not Role.PLAYER:
        if nation:
            raise SeatError(f"--nation is for player seats; a {role.value} seat has none")
        return ROLE_LABELS[role]
    if not nation:
        raise SeatError("a player seat needs --nation (a played nation of the scenario)")
    from wargame.server.runtime import get_service

    first = get_service().store.read_after(exercise_id, 0, 1)
    scenario: Scenario | None = getattr(first[0].body, "scenario", None) if first else None
    if scenario is None:
        raise SeatNotFound(f"exercise {exercise_id!r} has no exercise_created event")
    played = {n.id: n.name for n in scenario.nations if n.played}
    if nation not in played:
        one_of = ", ".join(sorted(played))
        raise SeatNotFound(f"no played nation {nation!r} in this exercise; one of {one_of}")
    return f"{played[nation]} team"


def reissue_seat(exercise_id: str, seat_id: int) -> IssuedSeat:
    """Revoke one link (closing its open sockets) and issue a new one for the same member.

    A link already revoked may be reissued (to give its member access again) unless the member
    holds another valid link of that seat, which is the one to reissue."""
    with transaction.atomic():
        old = SeatRow.objects.select_for_update().filter(exercise_id=exercise_id, id=seat_id).first()
        if old is None:
            raise SeatNotFound(f"no seat {seat_id} in exercise {exercise_id!r}")
        held = _valid_seat_of(exercise_id, old.role, old.nation, old.member) if old.revoked else None
        if held is not None:
            raise SeatError(f"seat {seat_id} is revoked and its member holds seat {held}; reissue that one")
        revoke_rows(SeatRow.objects.filter(id=old.pk))
        return issue_seat(old.exercise, Role(old.role), old.nation, old.label, old.member)


@dataclass(frozen=True)
class SeatListing:
    seat_id: int
    role: str
    nation: str | None
    member: str
    label: str
    revoked: bool
    created: datetime


def list_seats(exercise_id: str) -> list[SeatListing]:
    """Every seat of an exercise, oldest first (tokens are stored only as hashes: none here)."""
    if not Exercise.objects.filter(id=exercise_id).exists():
        raise SeatNotFound(f"no exercise {exercise_id!r}")
    rows = SeatRow.objects.filter(exercise_id=exercise_id).order_by("created_at", "id")
    return [
        SeatListing(r.pk, r.role, r.nation, r.member, r.label, r.revoked, r.created_at) for r in rows
    ]


def _domain_seat(row: SeatRow) -> Seat:
    return Seat(role=Role(row.role), nation=row.nation, label=row.label, member=row.member)


def find_seat(token: str) -> tuple[str, Seat] | None:
    """The exercise id and seat of a valid, unrevoked token."""
    row = _valid_row(token)
    return (row.exercise_id, _domain_seat(row)) if row is not None else None


def _valid_row(token: str) -> SeatRow | None:
    if not token or len(token) > 128:
        return None
    return SeatRow.objects.filter(token_hash=token_hash(token), revoked=False).first()


@dataclass(frozen=True)
class Admission:
    """The outcome of a websocket handshake: a seat and its socket lease, or a refusal."""

    refused: str = ""
    """"" when admitted; else "unauthorized" or "too_many_sockets"."""
    exercise_id: str = ""
    seat: Seat | None = None
    seat_id: int = 0
    lease_id: int = 0
    open_sockets: int = 0


def admit_socket(token: str, server: str, cap: int, lease_s: float) -> Admission:
    """Admit one more socket of a valid seat unless the seat already has `cap` open sockets in
    any server process. The seat row's lock serializes the count; leases not renewed within
    `lease_s` seconds (their process died) no longer count."""
    if _valid_row(token) is None:  # unknown tokens never take the write lock
        return Admission(refused="unauthorized")
    with transaction.atomic():
        row = (
            SeatRow.objects.select_for_update(no_key=True)
            .filter(token_hash=token_hash(token), revoked=False)
            .first()
        )
        if row is None:
            return Admission(refused="unauthorized")
        now = timezone.now()
        SocketLease.objects.filter(seat=row, renewed_at__lt=now - timedelta(seconds=lease_s)).delete()
        open_sockets = SocketLease.objects.filter(seat=row).count()
        if open_sockets >= cap:
            return Admission(refused="too_many_sockets", open_sockets=open_sockets)
        lease = SocketLease.objects.create(seat=row, server=server, renewed_at=now)
    return Admission(
        exercise_id=row.exercise_id,
        seat=_domain_seat(row),
        seat_id=row.pk,
        lease_id=lease.pk,
        open_sockets=open_sockets + 1,
    )


def release_socket(lease_id: int) -> None:
    SocketLease.objects.filter(id=lease_id).delete()


def renew_sockets(lease_ids: list[int]) -> int:
    """Mark these sockets as still open; how many leases were renewed."""
    if not lease_ids:
        return 0
    return SocketLease.objects.filter(id__in=lease_ids).update(renewed_at=timezone.now())


def seat_is_valid(seat_id: int) -> bool:
    """Whether a seat still exists unrevoked (checked before each command, hello and resync)."""
    return SeatRow.objects.filter(id=seat_id, revoked=False).exists()


def revoke_seat(token: str) -> bool:
    """Revoke one join link and close its open sockets in every server process."""
    return bool(revoke_rows(SeatRow.objects.filter(token_hash=token_hash(token))))


def revoke_seat_id(exercise_id: str, seat_id: int) -> int:
    """Revoke one seat by its id (as `wargame seat list` shows it)."""
    rows = SeatRow.objects.filter(exercise_id=exercise_id, id=seat_id)
    if not rows.exists():
        raise SeatNotFound(f"no seat {seat_id} in exercise {exercise_id!r}")
    return revoke_rows(rows)


def revoke_viewer(exercise_id: str, viewer: str) -> int:
    """Revoke every seat of one audience (e.g. team:USA or observer) in an exercise."""
    rows = SeatRow.objects.filter(exercise_id=exercise_id)
    if viewer.startswith("team:"):
        rows = rows.filter(role=Role.PLAYER.value, nation=viewer.removeprefix("team:"))
    else:
        rows = rows.filter(role=viewer)
    return revoke_rows(rows)


def revoke_rows(rows: QuerySet[SeatRow]) -> int:
    """Mark seats revoked and, once that is committed, announce it to every server process
    (their hubs close the seats' sockets; they also find revocations when they poll)."""
    from wargame.server.runtime import notify_revoked

    found = list(rows.filter(revoked=False).values_list("exercise_id", "token_hash", "id"))
    rows.update(revoked=True)
    by_exercise: dict[str, list[str]] = {}
    for exercise_id, hashed, seat_id in found:
        by_exercise.setdefault(exercise_id, []).append(hashed)
        logger.info("seat revoked", extra={"exercise": exercise_id, "seat": seat_id})
    for exercise_id, hashes in by_exercise.items():
        transaction.on_commit(lambda e=exercise_id, h=hashes: notify_revoked(e, h))
    return len(found)
