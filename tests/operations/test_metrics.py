"""`/metrics`: the Prometheus series move with a command, an advance and a connected seat."""

from __future__ import annotations

import pytest
from django.test import AsyncClient
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import LiveExercise
from tests.server.wsclient import Client

pytestmark = [pytest.mark.integration]


async def scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of `/metrics`, by (name, sorted labels)."""
    # As Prometheus scrapes a target: by its address, not a host name of WARGAME_ALLOWED_HOSTS.
    response = await AsyncClient().get("/metrics", headers={"Host": "10.1.2.3:8000"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_move_after_a_command_and_an_advance(live_exercise: LiveExercise) -> None:
    before = await scrape()
    white = Client(live_exercise.tokens["white_cell"])
    await white.connect()
    await white.recv()
    usa = Client(live_exercise.tokens["team:USA"])
    await usa.connect()
    await usa.recv()
    during = await scrape()
    assert value(during, "wargame_connected_seats", role="white_cell") == 1
    assert value(during, "wargame_connected_seats", role="player") == 1
    assert value(during, "wargame_open_sockets", role="player") == 1
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"
    chat = {"type": "post_chat", "channel": "team", "text": "ready"}
    assert (await usa.command(chat))["type"] == "ack"
    assert (await usa.command({"type": "start_exercise"}))["type"] == "rejected"
    assert (await white.command({"type": "advance_move", "from_move": 1}))["type"] == "ack"
    await usa.drain()
    after = await scrape()

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("wargame_commands_total", type="post_chat", outcome="accepted") == 1
    assert moved("wargame_commands_total", type="start_exercise", outcome="accepted") == 1
    assert moved("wargame_commands_total", type="start_exercise", outcome="rejected") == 1
    assert moved("wargame_commands_total", type="advance_move", outcome="accepted") == 1
    assert moved("wargame_adjudication_seconds_count", phase="first_pictures") == 1
    assert moved("wargame_adjudication_seconds_count", phase="move") == 1
    assert moved("wargame_events_appended_total", type="move_advanced") == 1
    assert moved("wargame_events_appended_total", type="chat_posted") == 1
    assert moved("wargame_delivery_lag_seconds_count") >= 4  # closing, start, chat, advance...
    assert value(after, "wargame_job_queue_depth", state="due") == 0
    await usa.close()
    await white.close()
    closed = await scrape()
    assert value(closed, "wargame_connected_seats", role="player") == 0
    assert value(closed, "wargame_socket_closes_total", code="1000") - value(
        before, "wargame_socket_closes_total", code="1000"
    ) == 2
