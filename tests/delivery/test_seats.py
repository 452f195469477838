"""Over the websocket: revocation binds at once, hello first and in time, the per-seat socket cap,
one rate limit per seat, and named members (issue 10, points 6 and 8)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async

from tests.conftest import LiveExercise
from tests.factories import share
from tests.server.wsclient import Client

pytestmark = [pytest.mark.integration]

CHAT = {"type": "post_chat", "channel": "team", "text": "after the revocation"}


@pytest.fixture
def quiet_hub(settings: Any) -> None:
    """The hub's periodic seat check out of the way: what is tested is the per-message check."""
    settings.WARGAME = {**settings.WARGAME, "POLL_SECONDS": 600}


def _revoke_silently(token: str) -> None:
    """Revoke in the database only, as if the layer lost the announcement."""
    from wargame.server.models import Seat
    from wargame.server.seats import token_hash

    assert Seat.objects.filter(token_hash=token_hash(token)).update(revoked=True) == 1


def _log_state(exercise_id: str) -> tuple[int, int]:
    from wargame.server.models import CommandRecord, Exercise

    return Exercise.objects.get(id=exercise_id).last_seq, CommandRecord.objects.count()


async def _welcomed(token: str) -> Client:
    """A connected socket that has had its welcome and has not said hello."""
    client = Client(token)
    connected, _ = await client.comm.connect()
    assert connected
    assert (await client.recv())["type"] == "welcome"
    return client


async def _live(token: str) -> Client:
    client = Client(token)
    await client.connect()
    assert (await client.recv())["type"] == "snapshot"
    return client


async def _refused(client: Client, code: str, close_code: int) -> dict[str, Any]:
    """The socket's next frames are one error with `code`, then the close with `close_code`."""
    error = json.loads(await client.comm.receive_from(3))
    while error["type"] == "presence":
        error = json.loads(await client.comm.receive_from(3))
    assert error["type"] == "error" and error["code"] == code, error
    assert await client.comm.receive_output(3) == {"type": "websocket.close", "code": close_code}
    return error


# -- revocation ------------------------------------------------------------------------------


async def test_revocation_closes_a_socket_that_never_said_hello(live_exercise: LiveExercise) -> None:
    from wargame.server.seats import revoke_seat

    silent = await _welcomed(live_exercise.tokens["team:USA"])
    assert await database_sync_to_async(revoke_seat)(live_exercise.tokens["team:USA"])
    await _refused(silent, "unauthorized", 4401)


async def test_the_hubs_poll_closes_an_idle_socket_before_hello(
    live_exercise: LiveExercise, settings: Any
) -> None:
    settings.WARGAME = {**settings.WARGAME, "POLL_SECONDS": 0.2}
    silent = await _welcomed(live_exercise.tokens["team:USA"])
    await database_sync_to_async(_revoke_silently)(live_exercise.tokens["team:USA"])
    await _refused(silent, "unauthorized", 4401)


async def test_a_command_after_revocation_is_refused_and_records_nothing(
    live_exercise: LiveExercise, quiet_hub: None
) -> None:
    usa = await _live(live_exercise.tokens["team:USA"])
    assert (await usa.command(CHAT))["type"] == "ack"
    before = await database_sync_to_async(_log_state)(live_exercise.exercise_id)
    await database_sync_to_async(_revoke_silently)(live_exercise.tokens["team:USA"])
    await usa.send({"type": "command", "command_id": "late-1", "command": CHAT})
    error = await _refused(usa, "unauthorized", 4401)
    assert error["message"] == "this seat was revoked"
    assert await database_sync_to_async(_log_state)(live_exercise.exercise_id) == before


@pytest.mark.parametrize("frame", [{"type": "hello", "protocol": 2, "last_pos": None}, {"type": "resync"}])
async def test_a_hello_or_resync_after_revocation_gets_no_snapshot(
    live_exercise: LiveExercise, quiet_hub: None, frame: dict[str, Any]
) -> None:
    token = live_exercise.tokens["team:USA"]
    client = await (_welcomed(token) if frame["type"] == "hello" else _live(token))
    await database_sync_to_async(_revoke_silently)(token)
    await client.send(frame)
    await _refused(client, "unauthorized", 4401)  # nothing before the error: no snapshot


async def test_a_revoked_command_closes_the_seats_other_sockets_too(
    live_exercise: LiveExercise, quiet_hub: None
) -> None:
    token = live_exercise.tokens["team:USA"]
    first, second = await _live(token), await _welcomed(token)
    gbr = await _live(live_exercise.tokens["team:GBR"])
    await database_sync_to_async(_revoke_silently)(token)
    await first.send({"type": "command", "command_id": "late-2", "command": CHAT})
    await _refused(first, "unauthorized", 4401)
    await _refused(second, "unauthorized", 4401)
    await gbr.send({"type": "ping"})
    assert (await gbr.recv())["type"] == "pong"
    await gbr.close()


# -- hello first, and in time ----------------------------------------------------------------


async def test_before_hello_only_hello_and_ping_are_taken(live_exercise: LiveExercise) -> None:
    before = await database_sync_to_async(_log_state)(live_exercise.exercise_id)
    client = await _welcomed(live_exercise.tokens["team:USA"])
    for frame in ({"type": "command", "command_id": "early", "command": CHAT}, {"type": "resync"}):
        await client.send(frame)
        error = await client.recv()
        assert error["type"] == "error" and error["code"] == "hello_required"
        assert error["message"].endswith(f"only hello or ping, not {frame['type']}")
    await client.send({"type": "ping"})
    assert await client.recv() == {"type": "pong", "pos": 0}
    assert await database_sync_to_async(_log_state)(live_exercise.exercise_id) == before
    await client.send({"type": "hello", "protocol": 2, "last_pos": None})
    assert (await client.recv())["type"] == "snapshot"
    assert (await client.command(CHAT, command_id="early"))["type"] == "ack"  # the id was not used
    await client.close()


async def test_a_socket_that_does_not_say_hello_in_time_is_closed(
    live_exercise: LiveExercise, settings: Any
) -> None:
    settings.WARGAME = {**settings.WARGAME, "HELLO_TIMEOUT_SECONDS": 0.3}
    silent = await _welcomed(live_exercise.tokens["team:USA"])
    prompt = await _live(live_exercise.tokens["team:GBR"])
    error = await _refused(silent, "hello_timeout", 4408)
    assert "0.3 s" in error["message"]
    await asyncio.sleep(0.3)
    await prompt.send({"type": "ping"})  # a socket that said hello stays
    assert (await prompt.recv())["type"] == "pong"
    await prompt.close()


# -- the per-seat socket cap -----------------------------------------------------------------


async def test_the_socket_over_the_seats_cap_is_refused(live_exercise: LiveExercise, settings: Any) -> None:
    settings.WARGAME = {**settings.WARGAME, "MAX_SOCKETS_PER_SEAT": 3}
    token = live_exercise.tokens["team:USA"]
    held = [await _welcomed(token) for _ in range(3)]
    extra = Client(token)
    await extra.comm.connect()
    error = await _refused(extra, "too_many_sockets", 4429)
    assert error["message"] == "this seat already has 3 open sockets, the most allowed (3); close one first"
    other_seat = await _welcomed(live_exercise.tokens["team:GBR"])  # the cap is per seat
    await held[0].close()
    again = await _welcomed(token)  # a closed socket frees its place
    for client in [*held[1:], other_seat, again]:
        await client.close()


def _leases(token: str, server: str, count: int, age_s: float) -> None:
    from django.utils import timezone

    from wargame.server.models import Seat, SocketLease
    from wargame.server.seats import token_hash

    seat = Seat.objects.get(token_hash=token_hash(token))
    at = timezone.now() - timedelta(seconds=age_s)
    leases = [SocketLease(seat=seat, server=server, renewed_at=at) for _ in range(count)]
    SocketLease.objects.bulk_create(leases)


async def test_the_cap_counts_other_processes_sockets_until_their_leases_lapse(
    live_exercise: LiveExercise, settings: Any
) -> None:
    settings.WARGAME = {**settings.WARGAME, "MAX_SOCKETS_PER_SEAT": 2, "PRESENCE_TIMEOUT_SECONDS": 30}
    token = live_exercise.tokens["team:USA"]
    await database_sync_to_async(_leases)(token, "other-host:1", 2, age_s=5)  # live elsewhere
    refused = Client(token)
    await refused.comm.connect()
    await _refused(refused, "too_many_sockets", 4429)
    gbr = live_exercise.tokens["team:GBR"]
    await database_sync_to_async(_leases)(gbr, "dead-host:1", 2, age_s=60)  # its process died
    admitted = await _welcomed(gbr)
    await admitted.close()


async def test_the_hub_renews_the_leases_of_its_sockets(live_exercise: LiveExercise, settings: Any) -> None:
    from django.utils import timezone

    from wargame.server.models import SocketLease

    settings.WARGAME = {**settings.WARGAME, "PRESENCE_INTERVAL_SECONDS": 0.1}
    client = await _welcomed(live_exercise.tokens["team:USA"])
    old = timezone.now() - timedelta(hours=1)
    await database_sync_to_async(lambda: SocketLease.objects.update(renewed_at=old))()
    await asyncio.sleep(0.5)
    renewed = await database_sync_to_async(
        lambda: list(SocketLease.objects.values_list("renewed_at", flat=True))
    )()
    assert len(renewed) == 1 and renewed[0] > old + timedelta(minutes=59)
    await client.close()
    assert await database_sync_to_async(SocketLease.objects.count)() == 0


# -- one rate limit per seat -----------------------------------------------------------------


async def test_all_sockets_of_a_seat_share_one_rate_limit(live_exercise: LiveExercise, settings: Any) -> None:
    settings.WARGAME = {**settings.WARGAME, "RATE_PER_SECOND": 0.001, "RATE_BURST": 6}
    token = live_exercise.tokens["team:USA"]
    sockets = [await _welcomed(token) for _ in range(3)]
    replies = []
    for _ in range(3):
        for client in sockets:
            await client.send({"type": "ping"})
            replies.append(await client.recv())
    assert [r["type"] for r in replies] == ["pong"] * 6 + ["error"] * 3
    assert {r["code"] for r in replies[6:]} == {"rate_limited"}
    await sockets[0].close()
    reopened = await _welcomed(token)  # reconnecting does not refill the seat's bucket
    await reopened.send({"type": "ping"})
    assert (await reopened.recv())["code"] == "rate_limited"
    other = await _welcomed(live_exercise.tokens["team:GBR"])  # another seat has its own
    await other.send({"type": "ping"})
    assert (await other.recv())["type"] == "pong"
    for client in [*sockets[1:], reopened, other]:
        await client.close()


# -- named members ---------------------------------------------------------------------------


async def test_a_members_link_is_welcomed_by_name_and_the_log_records_who_decided(
    live_exercise: LiveExercise,
) -> None:
    from wargame.eventlog.chain import verify_chain
    from wargame.server.runtime import get_service
    from wargame.server.seats import issue_member_seat

    avery = await database_sync_to_async(issue_member_seat)("live1", "player", "USA", "  Maj.  Avery ")
    white = await _live(live_exercise.tokens["white_cell"])
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"
    client = Client(avery.token)
    welcome = await client.connect()
    assert welcome["member"] == "Maj. Avery" and welcome["viewer"] == "team:USA"
    assert welcome["label"] == "United States team"
    await client.recv()
    ack = await client.command(share("GBR"))
    team = await _live(live_exercise.tokens["team:USA"])  # the unnamed team link
    assert (await team.command(CHAT))["type"] == "ack"
    await client.drain()
    # The team sees which of its members decided; other teams never see a member.
    own = [e for e in client.events if e["type"] == "product_released"]
    assert own and all(e.get("member") == "Maj. Avery" for e in own)
    log = await database_sync_to_async(get_service().store.read_after)("live1", 0)
    by_seq = {e.seq: e for e in log}
    ours = [e for e in log if e.actor == "team:USA" and e.body.type == "product_released"]
    assert ours and [e.member for e in ours] == ["Maj. Avery"] * len(ours) and ack["type"] == "ack"
    assert by_seq[log[-1].seq].member == "" and by_seq[log[-1].seq].body.type == "chat_posted"
    assert verify_chain(log) == []  # the member was stored and read back as hashed
    for c in (white, client, team):
        await c.close()


async def test_reissue_closes_the_old_links_sockets_and_the_new_link_keeps_the_member(
    live_exercise: LiveExercise,
) -> None:
    from wargame.server.seats import issue_member_seat, reissue_seat

    first = await database_sync_to_async(issue_member_seat)("live1", "white_cell", None, "Ms Okafor")
    old = await _live(first.token)
    fresh = await database_sync_to_async(reissue_seat)("live1", first.seat_id)
    await _refused(old, "unauthorized", 4401)
    assert fresh.token != first.token and fresh.seat_id != first.seat_id
    client = Client(fresh.token)
    welcome = await client.connect()
    assert (welcome["member"], welcome["role"], welcome["label"]) == ("Ms Okafor", "white_cell", "White Cell")
    await client.close()
    stale = Client(first.token)
    await stale.comm.connect()
    await _refused(stale, "unauthorized", 4401)
