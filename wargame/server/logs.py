"""One logging configuration for every process: JSON or key=value lines with UTC time, level,
logger and the exercise, chosen by WARGAME_LOG_FORMAT and WARGAME_LOG_LEVEL.

A line's fields are the record's standard ones plus whatever the call passed in `extra`
(`logger.info("move advanced", extra={"exercise": ex, "move": 2})`). Code that serves one
exercise for a while (a websocket) sets `exercise_context`, and every line logged in that
context, in its task or in the threads it hands work to, names the exercise.
"""

from __future__ import annotations

import contextvars
import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

current_exercise: contextvars.ContextVar[str] = contextvars.ContextVar("wargame_exercise", default="")
"""The exercise the code running now serves ("" when none)."""

_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "exercise", "taskName"}
)
FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def exercise_context(exercise_id: str) -> contextvars.Token[str]:
    """Name `exercise_id` on the lines logged from here on in this context (task or thread)."""
    return current_exercise.set(exercise_id)


class ExerciseFilter(logging.Filter):
    """Gives every record an `exercise` attribute: its own `extra`, else the context's."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "exercise", ""):
            record.exercise = current_exercise.get()
        return True


def _time(record: logging.LogRecord) -> str:
    stamp = datetime.fromtimestamp(record.created, tz=UTC)
    return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def fields_of(record: logging.LogRecord) -> dict[str, Any]:
    """The record as ordered fields: time, level, logger, exercise, message, then its extras."""
    fields: dict[str, Any] = {
        "time": _time(record),
        "level": record.levelname,
        "logger": record.name,
    }
    exercise = getattr(record, "exercise", "")
    if exercise:
        fields["exercise"] = exercise
    fields["message"] = record.getMessage()
    for key, value in record.__dict__.items():
        if key not in _STANDARD and not key.startswith("_"):
            fields[key] = value
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        fields = fields_of(record)
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            fields["stack"] = self.formatStack(record.stack_info)
        return json.dumps(fields, default=str, ensure_ascii=False)


def _logfmt(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    if text and not any(c in text for c in ' ="\\\n\t'):
        return text
    return json.dumps(text, ensure_ascii=False)


class KeyValueFormatter(logging.Formatter):
    """`key=value` pairs (logfmt): `time=... level=INFO logger=... exercise=... message="..."`;
    a traceback follows on its own lines."""

    def format(self, record: logging.LogRecord) -> str:
        fields = fields_of(record)
        line = " ".join(f"{key}={_logfmt(value)}" for key, value in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


def _choice(name: str, allowed: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, "").strip() or default
    normalized = value.upper() if allowed is LEVELS else value.lower()
    if normalized not in allowed:
        raise ValueError(f"{name}={value!r}: must be one of {', '.join(allowed)}")
    return normalized


def logging_config(default_level: str = "WARNING") -> dict[str, Any]:
    """The `LOGGING` dictConfig of the settings: one handler on stderr for every logger."""
    fmt = _choice("WARGAME_LOG_FORMAT", FORMATS, "text")
    level = _choice("WARGAME_LOG_LEVEL", LEVELS, default_level)
    formatter = "JsonFormatter" if fmt == "json" else "KeyValueFormatter"
    quieter = "WARNING" if level == "INFO" else level
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"exercise": {"()": "wargame.server.logs.ExerciseFilter"}},
        "formatters": {"wargame": {"()": f"wargame.server.logs.{formatter}"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "wargame",
                "filters": ["exercise"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        # Django's and daphne's info lines repeat the access and listening lines of the server's
        # own (server/serving.py); their warnings and errors pass.
        "loggers": {name: {"level": quieter} for name in ("django", "daphne")},
    }
