"""Structured logs: one line per lifecycle event naming its exercise; JSON and key=value formats."""

from __future__ import annotations

import json
import logging
import sys

import pytest

from tests.conftest import LiveExercise
from tests.server.wsclient import Client
from wargame.server.logs import (
    ExerciseFilter,
    JsonFormatter,
    KeyValueFormatter,
    exercise_context,
    logging_config,
)

pytestmark = [pytest.mark.integration]


def lines(caplog: pytest.LogCaptureFixture, message: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == message]


async def test_an_advance_logs_its_line_with_the_exercise(
    live_exercise: LiveExercise, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    white = Client(live_exercise.tokens["white_cell"])
    await white.connect()
    await white.recv()
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"
    assert (await white.command({"type": "advance_move", "from_move": 1}))["type"] == "ack"
    assert (await white.command({"type": "pause_exercise", "reason": "lunch"}))["type"] == "ack"
    await white.close()
    [advanced] = lines(caplog, "move advanced")
    assert advanced.levelname == "INFO" and advanced.name == "wargame.exercise"
    assert advanced.__dict__["exercise"] == "live1" and advanced.__dict__["move"] == 2
    assert advanced.__dict__["adjudication_s"] >= 0
    [started] = lines(caplog, "exercise started")
    assert started.__dict__["exercise"] == "live1" and "adjudication_s" in started.__dict__
    [paused] = lines(caplog, "exercise paused")
    assert paused.__dict__["reason"] == "lunch"
    connected = lines(caplog, "socket connected")
    closed = lines(caplog, "socket closed")
    assert connected and connected[0].__dict__["viewer"] == "white_cell"
    assert closed and closed[0].__dict__["code"] == 1000
    # The socket's lines name the exercise from its task's context (they pass no `extra`): the
    # configured handler's filter ran in that context before the capture saw the record.
    assert connected[0].__dict__["exercise"] == "live1" and closed[0].__dict__["exercise"] == "live1"


def test_seat_revocation_is_logged(live_exercise: LiveExercise, caplog: pytest.LogCaptureFixture) -> None:
    from wargame.server.seats import revoke_viewer

    caplog.set_level(logging.INFO)
    assert revoke_viewer("live1", "team:GBR") == 1
    [revoked] = lines(caplog, "seat revoked")
    assert revoked.__dict__["exercise"] == "live1" and revoked.__dict__["seat"] > 0


def record(**extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("wargame.exercise", logging.INFO, __file__, 1, "move advanced", None, None)
    rec.__dict__.update(extra)
    return rec


def test_json_lines_carry_utc_time_level_logger_and_exercise() -> None:
    rec = record(exercise="ex1", move=3, adjudication_s=1.25)
    rec.created = 1_800_000_000.5
    data = json.loads(JsonFormatter().format(rec))
    assert data == {
        "time": "2027-01-15T08:00:00.500Z",
        "level": "INFO",
        "logger": "wargame.exercise",
        "exercise": "ex1",
        "message": "move advanced",
        "move": 3,
        "adjudication_s": 1.25,
    }


def test_key_value_lines_quote_what_needs_it() -> None:
    rec = record(exercise="ex1", reason='said "stop" now', move=3)
    rec.created = 1_800_000_000.0
    line = KeyValueFormatter().format(rec)
    assert line == (
        'time=2027-01-15T08:00:00.000Z level=INFO logger=wargame.exercise exercise=ex1 '
        'message="move advanced" reason="said \\"stop\\" now" move=3'
    )
    try:
        raise ValueError("boom")
    except ValueError:
        failing = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    assert KeyValueFormatter().format(failing).splitlines()[-1] == "ValueError: boom"


def test_the_context_names_the_exercise_when_the_call_does_not() -> None:
    token = exercise_context("ctx-ex")
    try:
        rec = record()
        assert ExerciseFilter().filter(rec) and rec.__dict__["exercise"] == "ctx-ex"
        explicit = record(exercise="given")
        ExerciseFilter().filter(explicit)
        assert explicit.__dict__["exercise"] == "given"
    finally:
        from wargame.server.logs import current_exercise

        current_exercise.reset(token)


def test_format_and_level_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARGAME_LOG_FORMAT", "json")
    monkeypatch.setenv("WARGAME_LOG_LEVEL", "info")
    config = logging_config()
    assert config["formatters"]["wargame"]["()"].endswith("JsonFormatter")
    assert config["root"]["level"] == "INFO" and config["loggers"]["daphne"]["level"] == "WARNING"
    monkeypatch.setenv("WARGAME_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="WARGAME_LOG_FORMAT='xml': must be one of text, json"):
        logging_config()
    monkeypatch.setenv("WARGAME_LOG_FORMAT", "text")
    monkeypatch.setenv("WARGAME_LOG_LEVEL", "LOUD")
    with pytest.raises(ValueError, match="WARGAME_LOG_LEVEL='LOUD'"):
        logging_config()
