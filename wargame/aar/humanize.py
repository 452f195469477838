"""Numbers and durations for people: the one formatter every human export (Markdown, HTML, charts) uses."""

from __future__ import annotations

import math
from typing import Any

SIGNIFICANT = 3
"""Significant digits of a number shown to people (109.45227744249483 -> 109)."""
SMALL = 1e-3
"""Below this magnitude a number is shown in scientific form (a probability of collision: 2.0e-04)."""
LARGE = 1e3
"""From this magnitude on a number is shown whole, with thousands separators (47,381)."""


def number(value: Any, unit: str = "", *, decimals: int | None = None) -> str:
    """A number as people read it: `SIGNIFICANT` significant digits, trailing zeros dropped,
    thousands separated, tiny magnitudes in scientific form; `decimals` fixes the decimals
    instead (for aligned table columns). None is a dash, booleans yes/no, other values their
    text; `unit` follows with a space."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, float):
        text = _float(value, decimals)
    else:
        return str(value)
    return f"{text} {unit}" if unit else text


def _float(value: float, decimals: int | None) -> str:
    if not math.isfinite(value):
        return "n/a" if math.isnan(value) else ("-inf" if value < 0 else "inf")
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    magnitude = abs(value)
    if magnitude == 0.0:
        return "0"
    if magnitude < SMALL:
        return f"{value:.1e}"
    if magnitude >= LARGE or value.is_integer():
        return f"{round(value):,}"
    digits = max(0, SIGNIFICANT - 1 - math.floor(math.log10(magnitude)))
    text = f"{round(value, digits):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def scientific(value: float | None) -> str:
    """A probability people compare by its exponent (a Pc: '1.2e-03'); None is a dash."""
    return "-" if value is None else f"{value:.1e}"


def percent(share: float | None) -> str:
    """A share in 0..1 as a whole percentage ('90 %'); None is a dash."""
    return "-" if share is None else f"{round(share * 100):d} %"


def duration(seconds: float | None) -> str:
    """A wall-clock span for people: '45 s', '4 min 12 s', '2 h 05 min', '3 d 4 h'."""
    if seconds is None:
        return "-"
    total = round(seconds)
    if total < 0:
        return "-" + duration(-seconds)
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


def hours(value: float | None) -> str:
    """Hours of scenario time ('1.5 h'); None is a dash."""
    return number(value, "h")


def timestamp(iso: str | None) -> str:
    """An ISO UTC timestamp shown to the minute ('2031-03-01 06:00Z'), seconds dropped."""
    if not iso:
        return "-"
    date, _, rest = iso.partition("T")
    return f"{date} {rest[:5]}Z" if rest else date
