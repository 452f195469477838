"""The standalone HTML AAR: one file that opens offline (inline CSS and SVG charts, no scripts),
the exercise marking at the top and bottom of the page and of every printed page."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from wargame.aar import humanize, progress
from wargame.aar.planned import EXPECTED_STATUS, recipients_text
from wargame.aar.summaries import marking_label
from wargame.aar.timeline import group_timeline

JsonDict = dict[str, Any]

TEMPLATES = Path(__file__).parent / "templates"
METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
ID_ATTRIBUTE = re.compile(r'\b(id)="([^"]+)"')
ID_REFERENCE = re.compile(r'(url\(|href=")#([^)"]+)')


def timeline_rows(entries: list[JsonDict]) -> list[JsonDict]:
    """The timeline as the page lists it: wargame.aar.timeline's groups, a group of one as its
    entry (group False), a larger one as a row that expands to its entries (group True)."""
    rows: list[JsonDict] = []
    for group in group_timeline(entries):
        members = group["members"]
        if group["count"] == 1:
            rows.append({**members[0], "group": False})
            continue
        rows.append({
            "group": True, "first_seq": group["seq_first"], "last_seq": group["seq_last"],
            "move": group["move_first"], "scenario_time": members[0]["scenario_time"],
            "actor": members[0]["actor"], "summary": group["summary"], "entries": members,
        })
    return rows


def css_string(text: str) -> Markup:
    """A CSS string literal of `text` (for @page margin boxes): every character but letters,
    digits and spaces hex-escaped, so nothing in it can end the string or the style sheet."""
    escaped = "".join(c if (c.isalnum() and c.isascii()) or c == " " else f"\\{ord(c):06x}" for c in text)
    return Markup(f'"{escaped}"')


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update(
        number=humanize.number, percent=humanize.percent, duration=humanize.duration,
        hours=humanize.hours, timestamp=humanize.timestamp, marking=marking_label,
        css_string=css_string,
    )
    env.globals["expected_status"] = EXPECTED_STATUS
    return env


def inline_svg(chart: JsonDict, move: int | None = None) -> Markup:
    """A chart's SVG (rendered from the report's own data, its text escaped by matplotlib),
    without the RDF metadata block and with its ids scoped to the chart (matplotlib numbers
    every figure's groups alike), ready to sit inside the page."""
    from wargame.aar.chart_render import svg

    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", f"{chart['id']}" + ("" if move is None else f"-m{move}"))
    text = METADATA.sub("", svg(chart, move))
    text = ID_ATTRIBUTE.sub(lambda m: f'{m.group(1)}="{prefix}-{m.group(2)}"', text)
    text = ID_REFERENCE.sub(lambda m: f"{m.group(1)}#{prefix}-{m.group(2)}", text)
    return Markup(text)


def _figures(charts: list[JsonDict]) -> list[JsonDict]:
    """Each chart with its SVG (a network: one SVG and edge table per move)."""
    figures: list[JsonDict] = []
    for index, chart in enumerate(charts, 1):
        progress.note(f"chart {index} of {len(charts)}: {chart['id']}")
        if chart["kind"] == "network":
            moves = [{"move": m["move"], "svg": inline_svg(chart, m["move"]), "edges": m["edges"],
                      "nodes": m["nodes"]} for m in chart["moves"]]
            figures.append({"chart": chart, "svg": None, "moves": moves})
        else:
            figures.append({"chart": chart, "svg": inline_svg(chart), "moves": []})
    return figures


def _metrics_tables(report: JsonDict) -> list[JsonDict]:
    tables = []
    for row in report["metrics_by_move"]:
        capability: dict[str, dict[str, float]] = row["capability"]
        areas = sorted({area for by_area in capability.values() for area in by_area})
        nations = sorted(capability) or sorted(row["custody"])
        tables.append({
            "move": row["move"], "areas": areas, "row": row,
            "nations": [{"id": n, "shares": [capability.get(n, {}).get(a) for a in areas],
                         "custody": row["custody"].get(n), "precise": row["precise_custody"].get(n)}
                        for n in nations],
            "warning": sorted(row["warning"].items()),
        })
    return tables


def export_html(report: JsonDict) -> str:
    """The report as one standalone HTML page (progress.note hears of each chart rendered)."""
    exercise = report["exercise"]
    context = {
        "report": report,
        "exercise": exercise,
        "title": exercise["title"] or exercise["id"],
        "marking": exercise["marking"],
        "figures": _figures(report.get("charts", [])),
        "metrics": _metrics_tables(report),
        "timeline": timeline_rows(report["timeline"]),
        "planned": report.get("planned_vs_actual", []),
        "head_hash": exercise.get("head_hash"),
        "head_seq": exercise.get("head_seq"),
    }
    played = sum(1 for n in exercise["nations"] if n.get("played"))
    context["recipients"] = lambda row: recipients_text(row, played)
    return _environment().get_template("report.html.j2").render(context)
