"""Word documents as the exports lay them out (python-docx): the marking on every page, tables, dates."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.section import WD_SECTION_START as WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

MARKING_RED = RGBColor(0xA0, 0x10, 0x10)
DASH = "-"


def new_document(marking: str, title: str, subject: str) -> DocumentObject:
    """An empty document whose every page carries the marking in its header and footer (with the
    page number in the footer)."""
    doc = Document()
    doc.core_properties.title = title
    doc.core_properties.subject = subject
    doc.core_properties.comments = marking
    doc.styles["Normal"].font.size = Pt(10.5)
    section = doc.sections[0]
    _marking_line(section.header.paragraphs[0], marking)
    footer = section.footer.paragraphs[0]
    _marking_line(footer, marking)
    page = section.footer.add_paragraph()
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page.add_run("Page ")
    _page_field(page)
    return doc


def _marking_line(paragraph: Paragraph, marking: str) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(marking)
    run.bold = True
    run.font.color.rgb = MARKING_RED


def _page_field(paragraph: Paragraph) -> None:
    """A PAGE field: Word shows the number of the page it is printed on."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def landscape_section(doc: DocumentObject) -> None:
    """Start a landscape page (wide tables); header and footer follow from the previous section."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def add_table(doc: DocumentObject, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    """A bordered table with a bold header row that repeats on each page it spans."""
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(header).bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = text_of(value)
    return table


def add_labelled(doc: DocumentObject, label: str, value: Any) -> Paragraph:
    """'Label: value' with the label in bold."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text_of(value))
    return paragraph


def add_bullets(doc: DocumentObject, items: Sequence[str], empty: str) -> None:
    if not items:
        doc.add_paragraph(empty)
    for item in items:
        doc.add_paragraph(item, style="List Bullet")


def text_of(value: Any) -> str:
    """A cell's text: None as a dash ("" stays blank), numbers as people read them, dates spelled out, spaces
    within a line collapsed (line breaks kept)."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, date | datetime):
        return long_date(value.isoformat())
    return "\n".join(" ".join(line.split()) for line in str(value).strip().splitlines())


def long_date(iso: str | None) -> str:
    """'2027-03-01' or '2027-03-01T06:00:00Z' -> '1 March 2027' (a dash for None)."""
    if not iso:
        return DASH
    day = date.fromisoformat(iso[:10])
    return f"{day.day} {day.strftime('%B')} {day.year}"


def date_range(start: str | None, end: str | None) -> str:
    first, last = long_date(start), long_date(end)
    return first if first == last else f"{first} to {last}"


def to_bytes(doc: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
