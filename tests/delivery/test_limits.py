"""Token bucket, websocket framing, presence timeout and projection."""

from __future__ import annotations

from wargame.server.limits import TokenBucket, text_frame
from wargame.server.presence import PresenceBoard, presence_view


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_bursts_then_the_rate() -> None:
    clock = Clock()
    bucket = TokenBucket(rate=2, burst=5, clock=clock)
    assert [bucket.take() for _ in range(6)] == [True] * 5 + [False]
    clock.now = 1.0
    assert [bucket.take() for _ in range(3)] == [True, True, False]


def test_text_frames_have_the_right_length_header() -> None:
    assert text_frame(b"hi") == b"\x81\x02hi"
    medium = text_frame(b"x" * 300)
    assert medium[:4] == b"\x81\x7e\x01\x2c" and len(medium) == 304
    large = text_frame(b"x" * 70000)
    assert large[:2] == b"\x81\x7f" and int.from_bytes(large[2:10], "big") == 70000


def test_presence_times_out_without_heartbeats() -> None:
    clock = Clock()
    board = PresenceBoard(timeout_s=45, clock=clock)
    board.beat("a", ["team:USA"])
    clock.now = 30
    board.beat("b", ["white_cell"])
    assert board.online() == {"team:USA", "white_cell"}
    clock.now = 50
    assert board.online() == {"white_cell"}
    clock.now = 100
    assert board.online() == frozenset()


def test_presence_projection_denies_by_default() -> None:
    online = ["team:USA", "team:GBR", "white_cell", "facilitator", "observer"]
    assert presence_view("facilitator", online) == sorted(online)
    assert presence_view("team:USA", online) == ["facilitator", "team:USA", "white_cell"]
    assert presence_view("observer", online) == ["facilitator", "white_cell"]
    assert presence_view("team:JPN", online) == ["facilitator", "white_cell"]


def test_a_seats_sockets_share_one_bucket_that_outlives_them_until_it_refills() -> None:
    from wargame.server.limits import SeatBuckets

    clock = Clock()
    buckets = SeatBuckets(clock=clock)
    first, second = buckets.acquire("usa", 1, 4), buckets.acquire("usa", 1, 4)
    assert first is second and buckets.acquire("gbr", 1, 4) is not first
    assert [first.take() for _ in range(5)] == [True] * 4 + [False]
    for _ in range(3):
        buckets.release("usa")
    assert buckets.acquire("usa", 1, 4) is first and not first.take()  # reconnecting refills nothing
    buckets.release("usa")
    buckets.release("gbr")
    clock.now = 3.9
    buckets.acquire("jpn", 1, 4)
    assert len(buckets) == 2  # gbr was full: gone; usa is still refilling
    clock.now = 4.1
    buckets.release("jpn")
    assert len(buckets) == 0  # usa refilled at t=4 and jpn, never used, was full
    assert buckets.acquire("usa", 1, 4) is not first
