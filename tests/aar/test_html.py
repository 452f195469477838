"""The standalone HTML AAR: parses as HTML5, holds every section and its charts, opens offline,
carries the exercise marking at the top, the bottom and on printed pages, and escapes everything."""

from __future__ import annotations

import re
from typing import Any

import html5lib
import pytest

from tests.aar.game import MARKING, SECRET
from wargame.aar import FORMATS, build_report, export_html
from wargame.aar.html import timeline_rows
from wargame.domain.events import EventEnvelope
from wargame.ops.aar_play import LONG_CHAT

NS = {"h": "http://www.w3.org/1999/xhtml"}
SECTIONS = ("summary", "planned", "charts", "metrics", "escalation", "sharing", "decisions", "warnings",
            "observations", "timeline", "integrity")


def parse(text: str) -> Any:
    """The document tree; html5lib's strict parser raises on any HTML5 parse error."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(text)


def _text(node: Any) -> str:
    return " ".join("".join(node.itertext()).split())


@pytest.fixture(scope="module")
def tutorial_html(tutorial_events: list[EventEnvelope]) -> str:
    return export_html(build_report(tutorial_events))


def test_the_page_parses_and_holds_every_section(tutorial_html: str) -> None:
    doc = parse(tutorial_html)
    ids = [s.get("id") for s in doc.iterfind(".//h:section", NS)]
    assert ids == list(SECTIONS)
    assert _text(doc.find(".//h:h1", NS)) == "After-action review: Tutorial: Grey Zone over the Pacific"
    planned = doc.find(".//h:section[@id='planned']", NS)
    blocks = [d.get("id") for d in planned.iterfind(".//h:div", NS)]
    assert blocks == [f"inject-inj-00{n}" for n in range(1, 10)]
    assert "JPN requests a tasked track from a partner sensor" in _text(planned)
    assert "not seen in the log" in _text(planned) and "for the evaluators to judge" in _text(planned)
    assert "every played nation (3)" in _text(planned)  # inj-001, PUBLIC


def test_marking_banners_top_bottom_and_printed_pages(tutorial_html: str,
                                                    tutorial_events: list[EventEnvelope]) -> None:
    marking = build_report(tutorial_events)["exercise"]["marking"]
    doc = parse(tutorial_html)
    body = doc.find(".//h:body", NS)
    first, last = body[0], body[-1]
    assert (first.tag.split("}")[1], first.get("class"), _text(first)) == ("header", "marking top", marking)
    assert (last.tag.split("}")[1], last.get("class"), _text(last)) == ("footer", "marking bottom", marking)
    assert marking in _text(doc.find(".//h:title", NS))
    style = _text(doc.find(".//h:style", NS))
    assert "@top-center" in style and "@bottom-center" in style  # every printed page
    assert re.search(r"@media print \{.*\.marking\.top \{ position: fixed", style)


def test_the_page_opens_offline(tutorial_html: str) -> None:
    doc = parse(tutorial_html)
    for element in doc.iter():
        for attribute in ("src", "href", "{http://www.w3.org/1999/xlink}href"):
            value = element.get(attribute) or ""
            assert not re.match(r"\s*(https?:)?//", value), (element.tag, value)
    assert doc.find(".//h:script", NS) is None
    assert doc.find(".//h:link", NS) is None and doc.find(".//h:img", NS) is None
    assert "@import" not in tutorial_html
    assert not re.search(r"url\(\s*['\"]?(?!#)", tutorial_html)  # only the SVGs' own clip paths


def test_charts_are_inline_svg(tutorial_html: str, tutorial_events: list[EventEnvelope]) -> None:
    charts = build_report(tutorial_events)["charts"]
    network = next(c for c in charts if c["kind"] == "network")
    expected = len(charts) - 1 + len(network["moves"])  # one SVG per chart, one per move of the network
    doc = parse(tutorial_html)
    svgs = list(doc.iterfind(".//{http://www.w3.org/2000/svg}svg"))
    assert len(svgs) == expected
    figures = {f.get("id") for f in doc.iterfind(".//h:figure", NS)}
    assert figures == {f"chart-{c['id']}" for c in charts}
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))  # salted per chart: no id twice on the page


def test_timeline_groups_bursts_and_shows_chat_whole(tutorial_html: str,
                                                     tutorial_events: list[EventEnvelope]) -> None:
    report = build_report(tutorial_events)
    doc = parse(tutorial_html)
    rows = doc.find(".//h:section[@id='timeline']", NS).findall(".//h:table/h:tbody/h:tr", NS)
    grouped = timeline_rows(report["timeline"])
    assert len(rows) == len(grouped) + 1  # and the header row
    assert len(grouped) < len(report["timeline"])
    pictures = [g for g in grouped if g["group"] and g["entries"][0]["type"] == "picture_updated"]
    assert [len(g["entries"]) for g in pictures] == [3, 3, 3, 3, 3]  # three nations, the start and 4 moves
    timeline = _text(doc.find(".//h:section[@id='timeline']", NS))
    assert pictures[1]["summary"] in timeline and "USA" in pictures[1]["summary"]
    assert LONG_CHAT in timeline


def test_everything_is_escaped(events: list[EventEnvelope]) -> None:
    report = build_report(events)
    report["exercise"]["title"] = "<script>alert(1)</script>"
    report["exercise"]["marking"] = 'EX "ALPHA" </style><b>&'
    report["timeline"][0]["summary"] = '<img src="http://evil.example/x.png">'
    page = export_html(report)
    doc = parse(page)
    assert doc.find(".//h:script", NS) is None and doc.find(".//h:img", NS) is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert _text(doc.find(".//h:header", NS)) == 'EX "ALPHA" </style><b>&'
    style = _text(doc.find(".//h:style", NS))
    assert "</style>" not in style and '"EX \\000020' not in style
    assert '\\000022ALPHA\\000022' in style  # the quotes hex-escaped in the CSS string


def test_team_page_keeps_to_what_the_team_was_sent(events: list[EventEnvelope]) -> None:
    page = export_html(build_report(events, "team:USA"))
    parse(page)
    assert SECRET not in page and "GBR internal chat" not in page
    assert page.count(MARKING) >= 3


def test_head_hash_is_printed_when_the_report_has_it(events: list[EventEnvelope]) -> None:
    report = build_report(events)
    report["exercise"].update(head_hash="ab" * 32, head_seq=len(events))
    text = _text(parse(export_html(report)).find(".//h:section[@id='integrity']", NS))
    assert f"Head of the log: seq {len(events)}, hash {'ab' * 32}" in text


def test_html_is_a_registered_format(events: list[EventEnvelope]) -> None:
    content_type, extension, exporter = FORMATS["html"]
    assert content_type == "text/html; charset=utf-8" and extension == "html"
    assert exporter is export_html
