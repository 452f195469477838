"""After-action review: reports built from the event log alone, and their exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from wargame.aar.export import export_json, export_markdown
from wargame.aar.html import export_html
from wargame.aar.report import build_report, timeline_filter


class ExportFormat(NamedTuple):
    """How to serve one export: HTTP content type, file extension (no dot) and exporter."""

    content_type: str
    extension: str
    exporter: Callable[[dict[str, Any]], str]


FORMATS: dict[str, ExportFormat] = {
    "json": ExportFormat("application/json", "json", export_json),
    "md": ExportFormat("text/markdown; charset=utf-8", "md", export_markdown),
    "html": ExportFormat("text/html; charset=utf-8", "html", export_html),
}

__all__ = [
    "FORMATS",
    "ExportFormat",
    "build_report",
    "export_html",
    "export_json",
    "export_markdown",
    "timeline_filter",
]
