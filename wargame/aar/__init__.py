"""After-action review: reports built from the event log alone, and their exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from wargame.aar.export import export_json, export_markdown
from wargame.aar.hseep_docx import export_docx
from wargame.aar.hseep_xlsx import export_ip_xlsx
from wargame.aar.html import export_html
from wargame.aar.report import build_report, timeline_filter


class ExportFormat(NamedTuple):
    """How to serve one export: HTTP content type, file extension (no dot) and exporter, which
    returns text (written as UTF-8) or bytes (a binary document, written as is)."""

    content_type: str
    extension: str
    exporter: Callable[[dict[str, Any]], str | bytes]


FORMATS: dict[str, ExportFormat] = {
    "json": ExportFormat("application/json", "json", export_json),
    "md": ExportFormat("text/markdown; charset=utf-8", "md", export_markdown),
    "html": ExportFormat("text/html; charset=utf-8", "html", export_html),
    "docx": ExportFormat(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", export_docx
    ),
    "xlsx": ExportFormat(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", export_ip_xlsx
    ),
}

__all__ = [
    "FORMATS",
    "ExportFormat",
    "build_report",
    "export_docx",
    "export_html",
    "export_ip_xlsx",
    "export_json",
    "export_markdown",
    "timeline_filter",
]
