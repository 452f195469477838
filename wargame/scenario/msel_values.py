"""Planners' cell values: scenario times in every usual form, and tolerant names of enums and ids."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

from wargame.domain.common import InjectType, Releasability
from wargame.domain.scenario_model import Scenario

CellValue = str | int | float | bool | datetime | date | time | timedelta | None
"""A cell as a reader returns it: text from CSV; typed values from XLSX."""

EXCEL_EPOCH = datetime(1899, 12, 30, tzinfo=UTC)
"""Day 0 of Excel's 1900 date system (as every current Excel writes it)."""
EXCEL_SERIALS = (20_000, 80_000)
"""Excel serial day numbers read as dates (1954-10-03 to 2119-01-10); other numbers are refused."""
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_ZONES = {**{c: h for h, c in enumerate("ABCDEFGHIKLM", start=1)},
          **{c: -h for h, c in enumerate("NOPQRSTUVWXY", start=1)}, "Z": 0}
"""Military time-zone letters and their offsets from UTC in hours (J is local time: refused)."""

_OFFSET = re.compile(
    r"^\s*(?:D\+(?P<d>\d+))?\s*(?:H\+(?P<h>\d+(?:\.\d+)?))?\s*"
    r"(?:M\+(?P<m>\d+(?:\.\d+)?))?\s*(?:S\+(?P<s>\d+(?:\.\d+)?))?\s*$",
    re.I,
)
_DAY_CLOCK = re.compile(r"^D\s*([+-])\s*(\d+)[\s,T]+(\d{1,2}):?(\d{2})(?::(\d{2}))?\s*(?:Z|UTC)?$", re.I)
_HOUR_CLOCK = re.compile(r"^[HT]\s*\+\s*(\d+):(\d{2})(?::(\d{2}(?:\.\d+)?))?$", re.I)
_ELAPSED = re.compile(
    r"^\+\s*(?:(?P<d>\d+(?:\.\d+)?)\s*d(?:ays?)?)?\s*(?:(?P<h>\d+(?:\.\d+)?)\s*h(?:(?:ou)?rs?)?)?"
    r"\s*(?:(?P<m>\d+(?:\.\d+)?)\s*m(?:in(?:utes?)?)?)?\s*$", re.I
)
_PLUS_CLOCK = re.compile(r"^\+\s*(\d+):(\d{2})$")
_DTG = re.compile(r"^(\d{2})(\d{2})(\d{2})\s*([A-IK-Z])\s*([A-Z]{3})\s*(\d{4}|\d{2})$", re.I)
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")
TIME_FORMS = (
    "'D+1 H+3 M+45', 'D+1 08:00', 'H+2:30', '+2h30', an ISO time such as 2027-03-01T08:00Z, "
    "an Excel date, or a date-time group such as 071200ZMAR27"
)


def elapsed_hours(value: CellValue, scenario: Scenario) -> tuple[Fraction, str | None]:
    """Hours after the scenario start of a time cell, and a note when a zone was assumed.

    ValueError names the value and the forms understood."""
    if isinstance(value, datetime | date) or (isinstance(value, int | float) and not isinstance(value, bool)):
        zoned = isinstance(value, datetime) and value.tzinfo is not None
        return _since_start(_cell_moment(value), value, scenario), None if zoned else "UTC"
    text = str(value).strip()
    if isinstance(value, time | timedelta):
        raise ValueError(f"time {text!r} has no day: write 'D+0 {text}' or a full date")
    match = _OFFSET.match(text) if text else None
    if match and any(match.groupdict().values()):
        p = {k: Fraction(v) if v else Fraction(0) for k, v in match.groupdict().items()}
        return p["d"] * 24 + p["h"] + p["m"] / 60 + p["s"] / 3600, None
    if found := _DAY_CLOCK.match(text):
        sign, day, hour, minute, second = found.groups()
        if sign == "-" and int(day) > 0:
            raise ValueError(f"time {text!r} is before the scenario start (day D+0)")
        start_day = datetime.combine(scenario.start_time.date(), time(), UTC)
        clock = timedelta(
            hours=_clock(hour, 24, text), minutes=_clock(minute, 60, text), seconds=int(second or 0)
        )
        moment = start_day + timedelta(days=int(day)) + clock
        return _since_start(moment, text, scenario), None
    if found := _HOUR_CLOCK.match(text) or _PLUS_CLOCK.match(text):
        hours, minutes, *rest = found.groups()
        seconds = Fraction(rest[0]) if rest and rest[0] else Fraction(0)
        return Fraction(int(hours)) + Fraction(_clock(minutes, 60, text), 60) + seconds / 3600, None
    match = _ELAPSED.match(re.sub(r"(?i)h\s*(\d{1,2})$", r"h \1m", text))  # +2h30: minutes
    if match and any(match.groupdict().values()):
        p = {k: Fraction(v) if v else Fraction(0) for k, v in match.groupdict().items()}
        return p["d"] * 24 + p["h"] + p["m"] / 60, None
    if found := _DTG.match(text):
        return _since_start(_dtg(found, text), text, scenario), None
    if _SERIAL.match(text):
        return _since_start(_cell_moment(float(text)), text, scenario), "UTC"
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"time {text!r} is not understood; write {TIME_FORMS}") from None
    note = None if moment.tzinfo else "UTC"
    return _since_start(moment if moment.tzinfo else moment.replace(tzinfo=UTC), text, scenario), note


def _clock(text: str, limit: int, whole: str) -> int:
    value = int(text)
    if value >= limit:
        raise ValueError(f"time {whole!r}: {value} is not a valid {'hour' if limit == 24 else 'minute'}")
    return value


def _cell_moment(value: datetime | date | int | float) -> datetime:
    """A typed cell as a UTC moment: Excel dates carry no zone, so they are read as UTC (the
    scenario's clock); a number is an Excel serial day (rounded to the millisecond)."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    elif isinstance(value, date):
        moment = datetime.combine(value, time(), UTC)
    else:
        if not EXCEL_SERIALS[0] <= value <= EXCEL_SERIALS[1]:
            raise ValueError(
                f"time {value!r} is a bare number; write 'H+{value}' for hours after the start, or a date"
            )
        moment = EXCEL_EPOCH + timedelta(days=float(value))
    millis = round(moment.microsecond / 1000) * 1000
    return moment.replace(microsecond=0) + timedelta(microseconds=millis)


def _dtg(found: re.Match[str], text: str) -> datetime:
    """A military date-time group DDHHMM<zone>MONYY (071200ZDEC26: 7 Dec 2026 12:00 UTC)."""
    day, hour, minute, zone, month, year = found.groups()
    if month.upper() not in _MONTHS:
        raise ValueError(f"time {text!r}: {month!r} is not a month (JAN ... DEC)")
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        local = datetime(full_year, _MONTHS.index(month.upper()) + 1, int(day), _clock(hour, 24, text),
                         _clock(minute, 60, text), tzinfo=UTC)
    except ValueError as exc:
        raise ValueError(f"time {text!r}: {exc}") from None
    return local - timedelta(hours=_ZONES[zone.upper()])


def _since_start(moment: datetime, shown: object, scenario: Scenario) -> Fraction:
    delta = moment - scenario.start_time
    total = Fraction(delta // timedelta(microseconds=1), 3_600_000_000)
    if total < 0:
        raise ValueError(f"time {shown!s} is before the scenario start {scenario.start_time:%Y-%m-%d %H:%MZ}")
    return total


def move_and_offset(hours: Fraction, scenario: Scenario) -> tuple[int, float]:
    """The (move, offset_hours) of a time `hours` after the scenario start."""
    length = Fraction(scenario.move_length_hours)
    move = int(hours // length) + 1
    return move, float(hours - (move - 1) * length)


def words(text: str) -> str:
    """Lower case, every run of non-alphanumerics as one underscore: 'Uplink Jamming' -> 'uplink_jamming'."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


TYPE_SYNONYMS = {
    "asat": "direct_ascent_asat", "da_asat": "direct_ascent_asat", "kinetic_asat": "direct_ascent_asat",
    "rpo": "close_approach", "proximity_operations": "close_approach", "inspection": "close_approach",
    "dazzle": "laser_dazzle", "dazzling": "laser_dazzle", "hpm": "high_power_microwave",
    "jamming": "uplink_jamming", "gnss_jamming": "downlink_jamming", "gps_jamming": "downlink_jamming",
    "cyber": "cyber_intercept", "solar_storm": "space_weather", "geomagnetic_storm": "space_weather",
    "cdm": "conjunction", "collision_warning": "conjunction", "msg": "message", "information": "message",
    "news": "message", "scenario_update": "message", "nudet": "nuclear_detonation",
}
"""Planner words for inject types (the types' own names work in any case and spacing)."""
TRIGGERS = {
    "time": "time", "timed": "time", "scheduled": "time", "at_time": "time",
    "manual": "manual", "controller": "manual", "on_call": "manual", "ad_hoc": "manual", "adhoc": "manual",
    "condition": "condition", "conditional": "condition", "triggered": "condition",
    "on_condition": "condition",
}
TRUE_WORDS = {"yes", "y", "true", "1", "x", "contingency", "ja", "oui"}
FALSE_WORDS = {"no", "n", "false", "0", "", "non", "nein"}


def inject_type(text: str) -> str:
    key = words(text)
    if key in {t.value for t in InjectType}:
        return key
    if key in TYPE_SYNONYMS:
        return TYPE_SYNONYMS[key]
    names = ", ".join(t.value for t in InjectType)
    raise ValueError(f"{text!r} is not an inject type (types: {names})")


def trigger(text: str) -> str:
    key = words(text)
    if key not in TRIGGERS:
        raise ValueError(f"{text!r} is not a trigger (time, manual or condition)")
    return TRIGGERS[key]


def yes_no(text: str) -> bool:
    word = text.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError(f"{text!r} is not yes or no")
    return word in TRUE_WORDS


def releasability(text: str) -> tuple[str, list[str]]:
    """(marking, named nations) of 'REL FVEY', 'rel to USA, GBR', 'Rel All', 'noforn'..."""
    upper = re.sub(r"\s+", " ", text.strip().upper())
    named = re.match(r"^REL(?:EASABLE)?(?: TO)? ([A-Z][A-Z0-9_]*(?:\s*[,/;]\s*[A-Z][A-Z0-9_]*)*)$", upper)
    plain = upper.replace("_", " ").replace("-", " ")
    aliases = {"REL ALL": "REL ALL-PARTICIPANTS", "REL ALL PARTICIPANTS": "REL ALL-PARTICIPANTS",
               "REL TO FVEY": "REL FVEY", "REL TO CSPO": "REL CSPO", "NOT RELEASABLE": "NOFORN"}
    value = aliases.get(plain, plain)
    known = {r.value.replace("-", " "): r.value for r in Releasability}
    if value.replace("-", " ") in known:
        return known[value.replace("-", " ")], []
    if named:
        return Releasability.REL.value, [p for p in re.split(r"\s*[,/;]\s*", named.group(1)) if p]
    markings = ", ".join(r.value for r in Releasability)
    raise ValueError(f"{text!r} is not a marking ({markings}, or 'REL TO USA, GBR')")
