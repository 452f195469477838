"""`wargame seat issue|list|reissue|revoke`: join links for named members, and taking them back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from wargame.cli.common import (
    INVALID,
    NOT_FOUND,
    USAGE,
    CliError,
    django_setup,
    examples,
    exercise_argument,
    fail,
    group,
    json_option,
    option,
    print_json,
    print_table,
)


@contextmanager
def seat_errors() -> Iterator[None]:
    """SeatNotFound exits 3, any other SeatError 4."""
    from wargame.server.seats import SeatError, SeatNotFound

    try:
        yield
    except SeatNotFound as exc:
        raise CliError(str(exc), NOT_FOUND) from exc
    except SeatError as exc:
        raise CliError(str(exc), INVALID) from exc


def _print_issued(issued: Any, exercise_id: str, as_json: bool) -> None:
    from django.conf import settings

    link = issued.link(settings.WARGAME["PUBLIC_URL"])
    if as_json:
        print_json(
            {
                "exercise_id": exercise_id,
                "seat_id": issued.seat_id,
                "role": issued.role.value,
                "nation": issued.nation,
                "member": issued.member,
                "label": issued.label,
                "token": issued.token,
                "link": link,
            }
        )
        return
    click.echo(f"seat {issued.seat_id}: {issued.label}, {issued.member} (keep the link secret)")
    click.echo(link)


@group(
    epilog=examples(
        "wargame seat list EX", "wargame seat issue EX --role player --nation USA --member 'Maj. Avery'"
    )
)
def seat() -> None:
    """Manage seats (join links) of an exercise."""


@seat.command(
    epilog=examples(
        "wargame seat issue EX --role player --nation JPN --member 'Capt. Sato'",
        "wargame seat issue EX --role observer --member 'Dr Lee' --json",
    )
)
@exercise_argument()
@option(
    "--role",
    required=True,
    envvar="WARGAME_SEAT_ROLE",
    help="player, white_cell, facilitator, evaluator or observer",
)
@option("--nation", default=None, envvar="WARGAME_SEAT_NATION", help="the team's nation (player seats)")
@option(
    "--member", required=True, envvar="WARGAME_SEAT_MEMBER", help="the member's name, as the log records it"
)
@json_option
def issue(exercise: str, role: str, nation: str | None, member: str, as_json: bool) -> int:
    """Issue a join link to a named member of a team or cell."""
    django_setup()
    from wargame.server.seats import issue_member_seat

    with seat_errors():
        issued = issue_member_seat(exercise, role, nation, member)
    _print_issued(issued, exercise, as_json)
    return 0


@seat.command("list", epilog=examples("wargame seat list EX", "wargame seat list EX --json"))
@exercise_argument()
@json_option
def list_command(exercise: str, as_json: bool) -> int:
    """List an exercise's seats: id, role, nation, member, label, revoked, created (no tokens)."""
    django_setup()
    from wargame.server.seats import list_seats

    with seat_errors():
        seats = list_seats(exercise)
    if as_json:
        print_json(
            [
                {
                    "id": s.seat_id,
                    "role": s.role,
                    "nation": s.nation,
                    "member": s.member,
                    "label": s.label,
                    "revoked": s.revoked,
                    "created": s.created.isoformat(),
                }
                for s in seats
            ]
        )
        return 0
    header = ["id", "role", "nation", "member", "label", "revoked", "created (UTC)"]
    print_table(
        header,
        [
            [
                str(s.seat_id),
                s.role,
                s.nation or "-",
                s.member or "-",
                s.label,
                "yes" if s.revoked else "no",
                s.created.strftime("%Y-%m-%d %H:%M:%S"),
            ]
            for s in seats
        ],
    )
    return 0


@seat.command(epilog=examples("wargame seat reissue EX 12", "wargame seat reissue EX 12 --json"))
@exercise_argument()
@click.argument("seat_id", type=int)
@json_option
def reissue(exercise: str, seat_id: int, as_json: bool) -> int:
    """Revoke a link (closing its sockets) and issue a new one for the same member."""
    django_setup()
    from wargame.server.seats import reissue_seat

    with seat_errors():
        issued = reissue_seat(exercise, seat_id)
    click.echo(f"revoked seat {seat_id}; its open sockets are being closed", err=True)
    _print_issued(issued, exercise, as_json)
    return 0


@seat.command(
    epilog=examples(
        "wargame seat revoke EX team:USA",
        "wargame seat revoke EX --seat 12",
        "wargame seat revoke --token TOKEN",
    )
)
@exercise_argument(required=False)
@click.argument("viewer", required=False)
@option(
    "--seat",
    "seat_id",
    type=int,
    default=None,
    envvar="WARGAME_SEAT_ID",
    help="revoke only this seat (id from `seat list`)",
)
@option("--token", default=None, envvar="WARGAME_SEAT_TOKEN", help="revoke the one seat of this join token")
@json_option
def revoke(
    exercise: str | None, viewer: str | None, seat_id: int | None, token: str | None, as_json: bool
) -> int:
    """Revoke seats (VIEWER: team:USA, white_cell, facilitator...) and close their open sockets."""
    django_setup()
    from wargame.server.seats import revoke_seat, revoke_seat_id, revoke_viewer

    if token:
        count = 1 if revoke_seat(token) else 0
    elif exercise and seat_id is not None and not viewer:
        with seat_errors():
            count = revoke_seat_id(exercise, seat_id)
    elif exercise and viewer and seat_id is None:
        count = revoke_viewer(exercise, viewer)
    else:
        fail("give EXERCISE VIEWER, EXERCISE --seat SEAT_ID or --token TOKEN", USAGE)
    if as_json:
        print_json({"revoked": count})
    else:
        click.echo(f"revoked {count} seat(s); their open sockets are being closed")
    if not count:
        fail("no valid seat matched", NOT_FOUND)
    return 0
