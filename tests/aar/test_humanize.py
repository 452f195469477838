"""Numbers for people: one formatter for every human export, and no raw floats in Markdown or HTML."""

from __future__ import annotations

import re

import pytest

from wargame.aar import build_report, export_html, export_markdown
from wargame.aar.humanize import duration, number, percent, timestamp
from wargame.domain.events import EventEnvelope

RAW_FLOAT = re.compile(r"\d\.\d{4,}")
"""A number printed with four or more decimals (109.45227744249483)."""


@pytest.mark.parametrize(("value", "unit", "text"), [
    (109.45227744249483, "m/s", "109 m/s"),
    (0.5, "", "0.5"),
    (2.2913, "m/s", "2.29 m/s"),
    (12.345, "", "12.3"),
    (1.0, "", "1"),
    (47381, "objects", "47,381 objects"),
    (12345.6, "", "12,346"),
    (1234.5, "km", "1,234 km"),
    (0.000213456, "", "2.1e-04"),
    (-1.0, "", "-1"),
    (0.0, "km", "0 km"),
    (None, "h", "-"),
    (True, "", "yes"),
    ("ended", "", "ended"),
    (float("nan"), "", "n/a"),
])
def test_number(value: object, unit: str, text: str) -> None:
    assert number(value, unit) == text


def test_fixed_decimals_percent_duration_timestamp() -> None:
    assert number(0.9, decimals=2) == "0.90"
    assert number(1234.5, decimals=1) == "1,234.5"
    assert percent(0.666) == "67 %" and percent(None) == "-"
    assert [duration(s) for s in (None, 0.4, 45, 252, 3600, 7500, 90000)] == [
        "-", "0 s", "45 s", "4 min 12 s", "1 h", "2 h 05 min", "1 d 1 h"]
    assert timestamp("2027-03-01T02:00:00.123456+00:00") == "2027-03-01 02:00Z"
    assert timestamp(None) == "-"


def test_no_raw_floats_in_human_exports(tutorial_events: list[EventEnvelope]) -> None:
    report = build_report(tutorial_events)
    markdown = export_markdown(report)
    page = export_html(report)
    text_only = re.sub(r"<svg.*?</svg>", "", page, flags=re.DOTALL)  # drawing coordinates are not text
    for where, text in (("md", markdown), ("html", text_only)):
        assert not RAW_FLOAT.findall(text), (where, RAW_FLOAT.findall(text)[:5])
