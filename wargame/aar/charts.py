"""Chart data of the AAR (docs/aar-charts.md): one contract the HTML/DOCX renderers and the
facilitator page's ECharts draw alike, built only from what the viewer was sent."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Any

import numpy as np

from wargame.aar.summaries import marking_label

JsonDict = dict[str, Any]

KINDS = ("line", "bar", "histogram", "network")
SHARING_TYPES = frozenset({"sharing_policy_set", "product_released", "product_withdrawn", "inject_forwarded"})
HISTOGRAM_BINS = 10
"""Bins of a histogram whose values have no natural bins (warning times)."""


def chart(chart_id: str, title: str, kind: str, x_label: str, y_label: str,
          series: list[JsonDict], moves: list[Any] | None = None) -> JsonDict:
    """One chart of the contract: id, title, kind, axis labels, series and moves."""
    if kind not in KINDS:
        raise ValueError(f"chart kind must be one of {KINDS}, not {kind!r}")
    return {"id": chart_id, "title": title, "kind": kind, "x_label": x_label, "y_label": y_label,
            "series": series, "moves": moves or []}


def _line(chart_id: str, title: str, y_label: str, moves: list[int],
          values: dict[str, dict[int, float | None]]) -> JsonDict | None:
    """A line chart over moves, one series per name; None when no value is known."""
    series = [{"name": name, "x": list(moves), "y": [by_move.get(m) for m in moves]}
              for name, by_move in values.items()]
    series = [s for s in series if any(v is not None for v in s["y"])]
    return chart(chart_id, title, "line", "Move", y_label, series, list(moves)) if series else None


def _histogram(chart_id: str, title: str, x_label: str, groups: dict[str, list[float]],
               edges: Sequence[float] | None = None) -> JsonDict | None:
    """A histogram, one series per group over the same bin edges; None when there is no value."""
    values = [v for vs in groups.values() for v in vs]
    if not values:
        return None
    bins = list(edges) if edges is not None else _edges(values)
    series = [{"name": name, "bins": bins,
               "counts": [int(c) for c in np.histogram(vs, bins=bins)[0]]}
              for name, vs in groups.items()]
    return chart(chart_id, title, "histogram", x_label, "Count", series)


def _edges(values: Sequence[float]) -> list[float]:
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 0.5, high + 0.5
    return [float(e) for e in np.linspace(low, high, HISTOGRAM_BINS + 1)]


def _capability(rows: Sequence[JsonDict], moves: list[int]) -> list[JsonDict]:
    """Capability per nation (mean over its mission areas) and per mission area (mean over the
    nations that have it), over moves; each nation's share per area is in the metrics tables."""
    by_area: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    overall: dict[str, dict[int, float | None]] = defaultdict(dict)
    for row in rows:
        for nation, areas in sorted(row["capability"].items()):
            for area, share in areas.items():
                by_area[area][row["move"]].append(share)
            if areas:
                overall[nation][row["move"]] = sum(areas.values()) / len(areas)
    area_means: dict[str, dict[int, float | None]] = {
        area: {move: sum(v) / len(v) for move, v in by_move.items()}
        for area, by_move in sorted(by_area.items())
    }
    charts = [_line("capability-nation", "Capability per nation (mean over its mission areas)",
                    "Share of required service", moves, overall),
              _line("capability-area", "Capability per mission area (mean over the nations with it)",
                    "Share of required service", moves, area_means)]
    return [c for c in charts if c is not None]


def _custody(rows: Sequence[JsonDict], visible: Sequence[JsonDict], moves: list[int],
             own: str | None) -> list[JsonDict]:
    """Custody per nation from move_adjudicated (control); a team's own from its pictures."""
    held: dict[str, dict[int, float | None]] = defaultdict(dict)
    precise: dict[str, dict[int, float | None]] = defaultdict(dict)
    for row in rows:
        for nation, count in sorted(row["custody"].items()):
            held[nation][row["move"]] = count
        for nation, count in sorted(row["precise_custody"].items()):
            precise[nation][row["move"]] = count
    if not held and own is not None:
        for e in visible:
            body = e["body"]
            if e["type"] == "picture_updated" and body.get("nation") == own and "held" in body:
                held[own][int(body["move"])] = body["held"]
                if body.get("precise") is not None:
                    precise[own][int(body["move"])] = body["precise"]
    charts = [_line("custody", "Custody: objects held in each nation's picture", "Objects", moves, held),
              _line("precise-custody", "Precise custody: objects held within the precise sigma",
                    "Objects", moves, precise)]
    return [c for c in charts if c is not None]


def _warning(rows: Sequence[JsonDict], visible: Sequence[JsonDict], moves: list[int]) -> list[JsonDict]:
    mean: dict[str, dict[int, float | None]] = defaultdict(dict)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        for nation, w in sorted(row["warning"].items()):
            mean[nation][row["move"]] = w["mean_warning_time_h"]
            for i, key in enumerate(("assessed", "warned", "timely")):
                totals[nation][i] += int(w[key])
    charts: list[JsonDict | None] = [
        _line("warning-time", "Mean warning time of hostile injects", "Hours", moves, mean)
    ]
    if totals:
        nations = sorted(totals)
        charts.append(chart("warned-injects", "Hostile injects assessed, warned and warned in time",
                            "bar", "Nation", "Injects",
                            [{"name": name, "x": nations, "y": [totals[n][i] for n in nations]}
                             for i, name in enumerate(("assessed", "warned", "timely"))]))
    times = [float(e["body"]["warning_time_h"]) for e in visible
             if e["type"] == "threat_assessed" and e["body"].get("warned")
             and e["body"].get("warning_time_h") is not None]
    charts.append(_histogram("warning-time-distribution", "Warning times of warned hostile injects",
                             "Hours of warning", {"warned assessments": times}))
    return [c for c in charts if c is not None]


def _escalation(rows: Sequence[JsonDict], moves: list[int]) -> list[JsonDict]:
    levels = {row["move"]: row["escalation_level"] for row in rows}
    found = _line("escalation", "Escalation level", "Level", moves, {"escalation": levels})
    return [found] if found else []


def _distributions(visible: Sequence[JsonDict]) -> list[JsonDict]:
    """What the log holds of outcome distributions: each resolved inject's probability of
    success by outcome, and conjunction warnings' probability of collision (log10). The log
    records no Monte Carlo preview (previews change nothing and are not logged)."""
    resolved: dict[str, list[float]] = {"succeeded": [], "failed": []}
    log_pc: list[float] = []
    for e in visible:
        if e["type"] == "inject_resolved":
            resolved["succeeded" if e["body"].get("succeeded") else "failed"].append(
                float(e["body"].get("p_success", 0.0)))
        elif e["type"] == "conjunction_warning" and float(e["body"].get("pc", 0.0)) > 0.0:
            log_pc.append(math.log10(float(e["body"]["pc"])))
    pc_edges = None
    if log_pc:
        low, high = math.floor(min(log_pc)), math.ceil(max(log_pc))
        pc_edges = [float(v) for v in range(low, max(high, low + 1) + 1)]
    charts = [
        _histogram("inject-success", "Resolved injects by probability of success", "Probability of success",
                   resolved, [i / HISTOGRAM_BINS for i in range(HISTOGRAM_BINS + 1)]),
        _histogram("conjunction-pc", "Conjunction warnings by probability of collision",
                   "log10 Pc", {"conjunction warnings": log_pc}, pc_edges),
    ]
    return [c for c in charts if c is not None]


def _product_label(body: JsonDict) -> str:
    product = body.get("product") or {}
    scope = [*product.get("regimes", []), *([f"{len(product['objects'])} objects"]
                                           if product.get("objects") else [])]
    return str(product.get("kind", "product")) + (f" ({', '.join(scope)})" if scope else "")


def sharing_edges(visible: Sequence[JsonDict], move: int) -> list[JsonDict]:
    """Who released what to whom in `move`: products in force (or in disclosure review, level
    'review'), track policies of older logs, and forwards made in the move."""
    edges: list[JsonDict] = []
    withdrawn: dict[str, int] = {}
    for e in visible:
        if e["type"] == "product_withdrawn":
            withdrawn.setdefault(str(e["body"]["product_id"]), int(e["move"]))
    policy: dict[tuple[str, str], str] = {}
    for e in visible:
        body = e["body"]
        if e["type"] == "sharing_policy_set" and e["move"] <= move:
            policy[(body["nation"], body["partner"])] = body["level"]
        elif e["type"] == "product_released" and e["move"] <= move < withdrawn.get(
                str(body["product_id"]), move + 1):
            for partner in body["recipients"]:
                effective = int((body.get("effective") or {}).get(partner) or e["move"])
                level = body["level"] if effective <= move else "review"
                edges.append({"source": body["nation"], "target": partner, "label": _product_label(body),
                              "level": level, "marking": marking_label(body.get("marking"))})
        elif e["type"] == "inject_forwarded" and e["move"] == move:
            for partner in body["recipients"]:
                edges.append({"source": body["nation"], "target": partner,
                              "label": f"forward {body['inject_id']}", "level": "forward",
                              "marking": marking_label(body.get("marking"))})
    edges += [{"source": a, "target": b, "label": "tracks (policy)", "level": level, "marking": ""}
              for (a, b), level in sorted(policy.items()) if level != "withhold"]
    return _joined(edges)


def _joined(edges: list[JsonDict]) -> list[JsonDict]:
    """One edge per (source, target, level, marking), its label naming every product it carries
    ('tracks, warnings'): 25 nations releasing three products to all would draw 1,800 edges."""
    joined: dict[tuple[str, str, str, str], list[str]] = {}
    for edge in edges:
        key = (edge["source"], edge["target"], edge["level"], edge["marking"])
        labels = joined.setdefault(key, [])
        if edge["label"] not in labels:
            labels.append(edge["label"])
    return [{"source": a, "target": b, "label": ", ".join(labels), "level": level, "marking": marking}
            for (a, b, level, marking), labels in joined.items()]


def _network(visible: Sequence[JsonDict], moves: list[int], nations: Sequence[JsonDict],
             agreements: Iterable[JsonDict], own: str | None) -> JsonDict:
    names = {str(n["id"]): str(n.get("name") or n["id"]) for n in nations}
    pacts = [{"source": a, "target": b, "label": str(pact.get("title") or pact.get("id")),
              "level": "agreement", "marking": ""}
             for pact in agreements for a, b in combinations(sorted(pact.get("nations", [])), 2)]
    sharing = [e for e in visible if e["type"] in SHARING_TYPES]
    per_move = []
    for move in moves:
        edges = sharing_edges(sharing, move) + pacts
        ids = {n for edge in edges for n in (edge["source"], edge["target"])}
        if own is None:
            ids |= {str(n["id"]) for n in nations if n.get("played")}
        else:
            ids.add(own)
        per_move.append({"move": move, "nodes": [{"id": i, "label": names.get(i, i)} for i in sorted(ids)],
                         "edges": edges})
    return chart("sharing-network", "Sharing network: who released what to whom, by move", "network",
                 "", "", [], per_move)


def build_charts(
    visible: Sequence[JsonDict],
    rows: Sequence[JsonDict],
    moves: list[int],
    *,
    nations: Sequence[JsonDict],
    agreements: Iterable[JsonDict],
    viewer_nation: str | None,
) -> list[JsonDict]:
    """Every chart of the report, from the viewer's projected events and metrics rows; a chart
    with nothing this viewer was sent is left out (the sharing network is always there)."""
    return [
        *_capability(rows, moves),
        *_custody(rows, visible, moves, viewer_nation),
        *_warning(rows, visible, moves),
        *_escalation(rows, moves),
        _network(visible, moves, nations, agreements, viewer_nation),
        *_distributions(visible),
    ]
