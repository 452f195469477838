"""Chart data of the AAR (docs/aar-charts.md): the contract's shape, values equal to the metrics,
the sharing network, projection for a team, and rendering to SVG and PNG."""

from __future__ import annotations

from typing import Any

import pytest

from tests.aar.game import CUSTODY, ESCALATION, PRECISE
from wargame.aar import build_report
from wargame.aar.chart_render import png, svg
from wargame.domain.events import EventEnvelope

KEYS = {"id", "title", "kind", "x_label", "y_label", "series", "moves"}


def _charts(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in report["charts"]}


def _series(chart: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in chart["series"]}


def check_contract(chart: dict[str, Any]) -> None:
    assert set(chart) == KEYS, chart["id"]
    assert chart["kind"] in ("line", "bar", "histogram", "network")
    assert isinstance(chart["title"], str) and chart["title"]
    if chart["kind"] == "histogram":
        for s in chart["series"]:
            assert set(s) == {"name", "bins", "counts"}
            assert len(s["bins"]) == len(s["counts"]) + 1 and s["bins"] == sorted(s["bins"])
    elif chart["kind"] == "network":
        assert chart["series"] == []
        for move in chart["moves"]:
            assert set(move) == {"move", "nodes", "edges"}
            ids = {n["id"] for n in move["nodes"]}
            for edge in move["edges"]:
                assert set(edge) == {"source", "target", "label", "level", "marking"}
                assert {edge["source"], edge["target"]} <= ids
    else:
        assert chart["series"]
        for s in chart["series"]:
            assert set(s) == {"name", "x", "y"} and len(s["x"]) == len(s["y"])


def test_every_chart_keeps_the_contract(events: list[EventEnvelope],
                                        tutorial_events: list[EventEnvelope]) -> None:
    for log in (events, tutorial_events):
        for viewer in ("facilitator", "team:USA", "team:JPN", "observer"):
            for chart in build_report(log, viewer)["charts"]:
                check_contract(chart)


def test_custody_and_escalation_per_move_equal_the_metrics(events: list[EventEnvelope]) -> None:
    report = build_report(events)
    charts = _charts(report)
    custody = _series(charts["custody"])
    for nation in ("USA", "GBR", "FRA"):
        assert custody[nation]["x"] == [1, 2]
        assert custody[nation]["y"] == [CUSTODY[1][nation], CUSTODY[2][nation]]
        assert custody[nation]["y"] == [row["custody"][nation] for row in report["metrics_by_move"]]
    precise = _series(charts["precise-custody"])
    assert precise["GBR"]["y"] == [None, PRECISE[2]["GBR"]]  # move 1 logged no precise counts
    assert _series(charts["escalation"])["escalation"]["y"] == [ESCALATION[1], ESCALATION[2]]


def test_capability_charts_are_means_of_the_metrics(events: list[EventEnvelope]) -> None:
    charts = _charts(build_report(events))
    by_nation = _series(charts["capability-nation"])
    assert by_nation["GBR"]["y"] == [pytest.approx(0.625), pytest.approx(1.0)]
    by_area = _series(charts["capability-area"])
    assert by_area["SATCOM"]["y"] == [pytest.approx((1.0 + 0.25 + 0.8) / 3),
                                      pytest.approx((0.75 + 1.0 + 0.6) / 3)]


def test_tutorial_charts_agree_with_its_metrics_and_log(tutorial_events: list[EventEnvelope]) -> None:
    report = build_report(tutorial_events)
    charts = _charts(report)
    rows = report["metrics_by_move"]
    precise = _series(charts["precise-custody"])
    for nation in ("USA", "GBR", "JPN"):
        assert precise[nation]["y"] == [row["precise_custody"][nation] for row in rows]
    warned = _series(charts["warned-injects"])
    for i, nation in enumerate(warned["assessed"]["x"]):
        assessed = sum(r["warning"].get(nation, {}).get("assessed", 0) for r in rows)
        assert warned["assessed"]["y"][i] == assessed
    resolved = [e for e in tutorial_events if e.body.type == "inject_resolved"]
    success = _series(charts["inject-success"])
    assert sum(success["succeeded"]["counts"]) == sum(1 for e in resolved if e.body.succeeded)
    assert sum(success["failed"]["counts"]) == sum(1 for e in resolved if not e.body.succeeded)
    assert success["failed"]["bins"][0] == 0.0 and success["failed"]["bins"][-1] == 1.0


def test_sharing_network_per_move(tutorial_events: list[EventEnvelope]) -> None:
    network = _charts(build_report(tutorial_events))["sharing-network"]
    moves = {m["move"]: m for m in network["moves"]}
    assert sorted(moves) == [1, 2, 3, 4]
    assert {n["id"] for n in moves[1]["nodes"]} == {"USA", "GBR", "JPN"}
    edges = {(e["source"], e["target"], e["label"]): e for e in moves[1]["edges"]}
    assert edges[("USA", "GBR", "tracks")]["level"] == "full"
    assert edges[("USA", "GBR", "tracks")]["marking"] == "REL GBR"
    assert edges[("JPN", "GBR", "forward inj-002")]["level"] == "forward"
    pacts = [e for e in moves[1]["edges"] if e["level"] == "agreement"]
    assert [(e["source"], e["target"], e["label"]) for e in pacts] == [
        ("GBR", "USA", "Five Eyes SSA data sharing arrangement (USA-GBR)")]
    assert ("JPN", "GBR", "forward inj-002") not in {(e["source"], e["target"], e["label"])
                                                      for e in moves[2]["edges"]}  # a forward is of its move
    # Releases of one level and marking to one partner join into one edge.
    assert ("GBR", "USA", "tracks, assessments") in {(e["source"], e["target"], e["label"])
                                                     for e in moves[2]["edges"]}
    # USA's warnings to JPN (no agreement) wait in disclosure review through move 4.
    late = {(e["source"], e["target"], e["label"]): e["level"] for e in moves[4]["edges"]}
    assert late[("USA", "JPN", "warnings")] == "review"


def test_a_team_charts_only_what_it_was_sent(tutorial_events: list[EventEnvelope]) -> None:
    control = _charts(build_report(tutorial_events))
    team = _charts(build_report(tutorial_events, "team:JPN"))
    assert not [c for c in team if c.startswith("capability") or c == "escalation"]
    assert "inject-success" not in team  # resolutions are ground truth
    assert list(_series(team["custody"])) == ["JPN"]
    assert _series(team["custody"])["JPN"]["y"] == _series(control["custody"])["JPN"]["y"]
    assert _series(team["precise-custody"])["JPN"]["y"] == _series(control["precise-custody"])["JPN"]["y"]
    for move in team["sharing-network"]["moves"]:
        assert all("JPN" in (e["source"], e["target"]) for e in move["edges"])
        assert "USA-GBR" not in str(move["edges"])


def test_rendering_to_svg_and_png(tutorial_events: list[EventEnvelope]) -> None:
    charts = build_report(tutorial_events)["charts"]
    for chart in charts:
        image = svg(chart)
        assert image.startswith("<svg") and image.rstrip().endswith("</svg>")
        assert svg(chart) == image  # no date or random ids: the same report draws the same SVG
    network = _charts(build_report(tutorial_events))["sharing-network"]
    one = svg(network, 2)
    assert "Move 2" in one and "Move 3" not in one
    data = png(network)
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    with pytest.raises(ValueError, match="no move 9"):
        svg(network, 9)
