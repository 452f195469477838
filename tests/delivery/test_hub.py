"""The per-process hub: once-per-audience serialization, gap-free attach, slow clients, revocation."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from tests.factories import FakeAdjudicator, make_created, share
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import EventEnvelope
from wargame.eventlog.store import MemoryEventStore
from wargame.protocol.projection import view_for
from wargame.server.hub import CLOSE_SLOW, ExerciseHub, HubConfig
from wargame.server.limits import LATER, SENT, SLOW
from wargame.services.commands import ExerciseService

WHITE = Seat(role=Role.WHITE_CELL, label="White Cell")


class FakeSocket:
    def __init__(self, viewer: str, token_hash: str = "t", backlog: int = 0, direct: bool = True) -> None:
        self.viewer, self.token_hash = viewer, token_hash
        self.cursor, self.visible_pos = -1, 0
        self.last_heard = time.monotonic()
        self.frames: list[dict[str, Any]] = []
        self._backlog = backlog
        self.cut_with: int | None = None
        self.direct, self.written = direct, 0

    async def push(self, text: str) -> None:
        self.frames.append(json.loads(text))

    def write(self, frame: bytes, limit: int) -> int:
        if self._backlog > limit:
            return SLOW
        if not self.direct:
            return LATER
        assert frame[0] == 0x81
        size = frame[1]
        header = 2 if size < 126 else 4 if size == 126 else 10
        self.frames.append(json.loads(frame[header:]))
        self.written += 1
        return SENT

    async def push_frame(self, frame: bytes, text: str) -> None:
        assert frame.endswith(text.encode()) and frame[0] == 0x81
        self.frames.append(json.loads(text))

    async def cut(self, code: int, message: str) -> None:
        self.cut_with = code

    def events(self) -> list[dict[str, Any]]:
        return [f for f in self.frames if f["type"] == "event"]


class Reader:
    def __init__(self, store: MemoryEventStore, revoked: set[str] | None = None) -> None:
        self.store, self.revoked_hashes = store, revoked or set()

    reads = 0

    def read_after(self, after_seq: int, limit: int | None = None) -> list[EventEnvelope]:
        self.reads += 1
        return self.store.read_after("x1", after_seq, limit)

    def read_last_seq(self) -> int:
        return self.store.read_last_seq("x1")

    def revoked(self, token_hashes: list[str]) -> list[str]:
        return [h for h in token_hashes if h in self.revoked_hashes]


async def inline(fn: Any, *args: Any) -> Any:
    return fn(*args)


def game() -> tuple[ExerciseService, MemoryEventStore]:
    store = MemoryEventStore()
    service = ExerciseService(store, FakeAdjudicator())
    service.create("x1", make_created())
    return service, store


def command(service: ExerciseService, seat: Seat, data: dict[str, Any], cid: str) -> None:
    result = service.handle("x1", seat, cid, command_adapter.validate_python(data))
    assert result["status"] == "accepted", result


def play_some(service: ExerciseService, tag: str) -> None:
    usa = Seat(role=Role.PLAYER, nation="USA")
    command(service, WHITE, {"type": "start_exercise"}, f"{tag}-start")
    command(service, usa, {"type": "post_chat", "channel": "team", "text": "usa only"}, f"{tag}-c")
    command(service, usa, share("GBR"), f"{tag}-s")
    command(service, WHITE, {"type": "advance_move", "from_move": 1}, f"{tag}-adv")


def expected(store: MemoryEventStore, viewer: str, after: int) -> list[dict[str, Any]]:
    out = []
    for event in store.read_after("x1", after):
        projected = view_for(viewer, event)
        if projected is not None:
            out.append(projected)
    return out


def caught_up(sock: FakeSocket) -> FakeSocket:
    """As if the socket had read the log up to seq 1 (exercise_created: in control streams only)."""
    sock.cursor = 1
    sock.visible_pos = 1 if sock.viewer in ("white_cell", "facilitator") else 0
    return sock


def assert_contiguous(sock: FakeSocket) -> None:
    previous = caught_up(FakeSocket(sock.viewer)).visible_pos
    for frame in sock.events():
        assert frame["pos"] == previous + 1, (sock.viewer, frame["pos"], previous)
        previous = frame["pos"]


def new_hub(store: MemoryEventStore, **config: Any) -> ExerciseHub:
    return ExerciseHub("x1", Reader(store, config.pop("revoked", None)), inline, HubConfig(**config))


async def test_each_event_is_serialized_once_per_audience_and_reaches_every_socket() -> None:
    service, store = game()
    hub = new_hub(store)
    viewers = ["team:USA", "team:GBR", "white_cell", "observer"]
    socks = [FakeSocket(viewers[i % 4]) for i in range(40)]
    for sock in socks:
        caught_up(sock)
        await hub.attach(sock)
    play_some(service, "a")
    await hub.pull()
    visible_pairs = sum(1 for e in store.read_after("x1", 1) for v in viewers if view_for(v, e) is not None)
    assert hub.stats.serializations == visible_pairs
    assert hub.stats.pushes == sum(len(s.events()) for s in socks)
    for sock in socks:
        assert [f["event"] for f in sock.events()] == expected(store, sock.viewer, 1)
        assert_contiguous(sock)
    usa_chat = [f for f in socks[1].events() if f["event"]["type"] == "chat_posted"]
    assert usa_chat == []  # GBR never sees USA's team chat


async def test_attach_fills_the_gap_between_catch_up_and_live_without_duplicates() -> None:
    service, store = game()
    hub = new_hub(store, recent_events=3)
    early = FakeSocket("team:USA")
    caught_up(early)
    await hub.attach(early)
    play_some(service, "b")  # committed, not yet pulled by the hub
    late = FakeSocket("team:USA")
    caught_up(late)  # as if it had caught up to seq 1 from the log
    await hub.attach(late)  # the hub pulls first, then fills late's gap from the log
    play_some_more = {"type": "post_chat", "channel": "coalition", "text": "after"}
    command(service, Seat(role=Role.PLAYER, nation="JPN"), play_some_more, "b-more")
    await hub.pull()
    for sock in (early, late):
        seqs = [f["pos"] for f in sock.events()]
        assert len(seqs) == len(set(seqs)) and seqs == sorted(seqs)
        assert [f["event"] for f in sock.events()] == expected(store, "team:USA", 1)
        assert_contiguous(sock)


async def test_a_slow_socket_is_cut_off_and_the_others_get_everything() -> None:
    service, store = game()
    hub = new_hub(store, slow_client_bytes=1000)
    fast = [FakeSocket("white_cell") for _ in range(3)]
    slow = FakeSocket("white_cell", backlog=5000)
    for sock in [*fast, slow]:
        caught_up(sock)
        await hub.attach(sock)
    play_some(service, "c")
    await hub.pull()
    await asyncio.sleep(0)
    assert slow.cut_with == CLOSE_SLOW and slow.events() == []
    assert slow not in hub.subscribers() and hub.stats.cut == 1
    for sock in fast:
        assert [f["event"] for f in sock.events()] == expected(store, "white_cell", 1)


async def test_revoked_seats_lose_their_sockets_and_only_theirs() -> None:
    _, store = game()
    hub = new_hub(store, revoked={"bad"})
    doomed, kept = FakeSocket("team:USA", "bad"), FakeSocket("team:USA", "good")
    for sock in (doomed, kept):
        caught_up(sock)
        await hub.attach(sock)
    assert await hub.check_revoked(4401, "revoked") == 1
    await asyncio.sleep(0)
    assert doomed.cut_with == 4401 and kept.cut_with is None
    assert hub.subscribers() == [kept]


async def test_presence_reaches_each_audience_projected() -> None:
    _, store = game()
    hub = new_hub(store)
    usa, gbr, white, observer = (FakeSocket(v) for v in ("team:USA", "team:GBR", "white_cell", "observer"))
    for sock in (usa, gbr, white, observer):
        caught_up(sock)
        await hub.attach(sock)

    def last_presence(sock: FakeSocket) -> list[str]:
        return [f for f in sock.frames if f["type"] == "presence"][-1]["online"]

    assert last_presence(white) == ["observer", "team:GBR", "team:USA", "white_cell"]
    assert last_presence(usa) == ["team:USA", "white_cell"]
    assert last_presence(gbr) == ["team:GBR", "white_cell"]
    assert last_presence(observer) == ["white_cell"]


async def test_committed_events_go_out_without_a_read_back_and_a_gap_is_read_from_the_log() -> None:
    service, store = game()
    reader = Reader(store)
    hub = ExerciseHub("x1", reader, inline, HubConfig())
    socks = [FakeSocket("team:USA"), FakeSocket("white_cell"), FakeSocket("white_cell", direct=False)]
    for sock in socks:
        caught_up(sock)
        await hub.attach(sock)
    usa = Seat(role=Role.PLAYER, nation="USA")
    reads = reader.reads
    for cid, seat, data in (
        ("h-start", WHITE, {"type": "start_exercise"}),
        ("h-chat", usa, {"type": "post_chat", "channel": "coalition", "text": "handed over"}),
    ):
        closed: list[EventEnvelope] = []  # a move_closing is handed over as soon as it commits
        command_ = command_adapter.validate_python(data)
        result, events = service.handle_events("x1", seat, cid, command_, committed=closed.extend)
        assert result["status"] == "accepted" and [e.seq for e in closed + events] == result["seqs"]
        await hub.offer(closed + events)
    assert reader.reads == reads  # nothing read back
    command(service, usa, {"type": "post_chat", "channel": "team", "text": "from elsewhere"}, "h-else")
    mine = command_adapter.validate_python({"type": "post_chat", "channel": "team", "text": "mine"})
    result, events = service.handle_events("x1", usa, "h-mine", mine)
    await hub.offer(events)  # does not follow the hub's cursor: the log fills the gap first
    assert reader.reads > reads
    repeat, none = service.handle_events("x1", usa, "h-mine", mine)
    assert repeat["repeat"] and none == []
    for sock in socks:
        assert [f["event"] for f in sock.events()] == expected(store, sock.viewer, 1)
        assert_contiguous(sock)
    assert socks[2].written == 0 and socks[1].written == len(socks[1].events())  # ASGI path vs direct


async def test_revocation_reaches_a_socket_that_never_said_hello() -> None:
    """The hole of issue 10: a socket that never attached kept its revoked seat."""
    _, store = game()
    hub = new_hub(store, revoked={"bad"})
    silent, other = FakeSocket("team:USA", "bad"), FakeSocket("team:GBR", "good")
    for sock in (silent, other):
        hub.join(sock)
    assert hub.subscribers() == []  # neither is live
    assert await hub.check_revoked(4401, "revoked") == 1
    await asyncio.sleep(0)
    assert silent.cut_with == 4401 and other.cut_with is None
    assert hub.cut_tokens(["good"], 4401, "revoked") == 1
    hub.leave(other)
    assert hub.cut_tokens(["good"], 4401, "revoked") == 0


async def test_stopping_ends_a_task_that_swallowed_its_cancellation() -> None:
    """As a Redis read whose own timeout fired with the cancellation does (redis-py retries)."""
    from wargame.server.bus import cancel_until_done

    async def stubborn() -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            pass
        await asyncio.sleep(10)

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    await asyncio.wait_for(cancel_until_done([task], every_s=0.05), 2)
    assert task.cancelled()
