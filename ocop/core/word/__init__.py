"""Word (.docx) drafts in the Vietnamese administrative layout (Decree 30/2020/NĐ-CP), which
the offices edit in Word before signing (docs/decisions/0024, 0025).

Every draft starts from `base.docx` beside this module (page, margins, fonts and the styles
below; written by `make_base.py`) and is laid out here: the masthead (the issuing body and the
number on the left; the national motto, the place and the date on the right), titles, the
body's paragraphs, tables, and the closing (the recipients and the signature). What the
documents say is decided by each subdomain's `word.py`; this module knows no OCOP.
"""

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
from django.http import HttpResponse
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BASE = Path(__file__).with_name("base.docx")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The styles of base.docx (make_base.py).
STYLE_BODY = "OCOP Body"
STYLE_BASIS = "OCOP Basis"
STYLE_TABLE = "OCOP Table"
STYLE_RECIPIENTS = "OCOP Recipients"

MOTTO_COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
# What the office fills in by hand (a number, a day).
BLANK = "……"

# The width between the margins of an A4 portrait page, and the masthead's and the closing's
# two columns on it.
TEXT_WIDTH = Mm(165)
ISSUER_WIDTH = Mm(65)
MOTTO_WIDTH = Mm(100)
CLOSING_LEFT = Mm(80)
CLOSING_RIGHT = Mm(85)

LEFT = WD_ALIGN_PARAGRAPH.LEFT
CENTER = WD_ALIGN_PARAGRAPH.CENTER
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT

Document = docx.document.Document


# --- text ----------------------------------------------------------------------------------


def long_date(day: date) -> str:
    """ "ngày 05 tháng 3 năm 2026": as Decree 30 writes a date, a zero before a day under 10
    and a month under 3 ("ngày 09 tháng 02 năm 2026")."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def blank_date(year: int) -> str:
    """A date the office writes on the day it signs: "ngày …… tháng …… năm 2026"."""
    return f"ngày {BLANK} tháng {BLANK} năm {year}"


def short_date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def lower_first(text: str) -> str:
    """ "Huyện Tân Lạc" → "huyện Tân Lạc", as it reads inside a sentence."""
    return text[:1].lower() + text[1:]


def ascii_filename(text: str, extension: str = "docx") -> str:
    """A file name any browser and mail client keeps: letters without tone marks, digits,
    dashes ("Dự thảo 1520/QĐ-UBND" → "Du-thao-1520-QD-UBND.docx")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    stem = re.sub(r"[^A-Za-z0-9_]+", "-", bare).strip("-") or "document"
    return f"{stem}.{extension}"


# --- the document --------------------------------------------------------------------------


def new_document(*, title: str, subject: str = "") -> Document:
    """An empty document on the base: its page, margins, fonts, styles and page numbers."""
    document = docx.Document(BASE)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    return document


def to_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def response(content: bytes, filename: str) -> HttpResponse:
    """The draft as a download under an ASCII file name, never cached (it is built from data
    that changes)."""
    answer = HttpResponse(content, content_type=CONTENT_TYPE)
    answer["Content-Disposition"] = f'attachment; filename="{ascii_filename(filename)}"'
    answer["Cache-Control"] = "private, no-store"
    answer["X-Content-Type-Options"] = "nosniff"
    return answer


def paragraph(
    container,
    text: str = "",
    *,
    style: str | None = None,
    align=None,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    upper: bool = False,
    space_before: float | None = None,
    space_after: float | None = None,
):
    """A paragraph of one run (`container`: the document or a table cell)."""
    new = _fresh_paragraph(container) or container.add_paragraph()
    if style:
        new.style = style
    if align is not None:
        new.alignment = align
    if space_before is not None:
        new.paragraph_format.space_before = Pt(space_before)
    if space_after is not None:
        new.paragraph_format.space_after = Pt(space_after)
    if text:
        run(new, text.upper() if upper else text, bold=bold, italic=italic, size=size)
    return new


def _fresh_paragraph(container):
    """The empty paragraph a new table cell starts with (a cell holds at least one), to be
    used before adding others; None for the document or a cell already written to."""
    if not hasattr(container, "_tc"):
        return None
    paragraphs = container.paragraphs
    if len(paragraphs) == 1 and paragraphs[0]._p.pPr is None and not paragraphs[0].runs:
        return paragraphs[0]
    return None


def run(paragraph_, text: str, *, bold=False, italic=False, size: float | None = None):
    added = paragraph_.add_run(text)
    added.bold = bold or None
    added.italic = italic or None
    if size is not None:
        added.font.size = Pt(size)
    return added


# What follows the borders in a paragraph's and a table's properties (the schema's order,
# which Word enforces: an element out of place makes it call the file damaged).
_AFTER_PARAGRAPH_BORDERS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_TABLE_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)


def rule(container, *, width, within) -> None:
    """A short horizontal line, centred in `within` (the width of the cell or the page), as
    under the issuing body, the motto and a document's title."""
    line = paragraph(container, align=CENTER)
    p_pr = line._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{name}"), value)
    borders.append(bottom)
    p_pr.insert_element_before(borders, *_AFTER_PARAGRAPH_BORDERS)
    side = max(int((within - width) / 2), 0)
    line.paragraph_format.left_indent = side
    line.paragraph_format.right_indent = side
    line.paragraph_format.space_after = Pt(4)
    # The line sits under an empty paragraph of 2 pt: right below the text above it.
    line.add_run().font.size = Pt(2)


def _no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(borders, *_AFTER_TABLE_BORDERS)


def _widths(table, widths) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def layout_table(document: Document, widths) -> list:
    """A one-row table without borders (the masthead, the closing); its cells."""
    table = document.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _widths(table, widths)
    return list(table.rows[0].cells)


@dataclass(frozen=True)
class Masthead:
    """The head of an administrative document (Decree 30, Annex I).

    `issuer`: the issuing body's lines ("ỦY BAN NHÂN DÂN", "TỈNH PHÚ THỌ"); `number`: "Số: …"
    without "Số: " (none for a list without a number); `summary`: a letter's subject ("V/v …")
    under its number; `place` and `dated` ("ngày 05 tháng 3 năm 2026", `long_date` or
    `blank_date`)."""

    issuer: Sequence[str]
    place: str
    dated: str
    number: str = ""
    summary: str = ""


def masthead(document: Document, head: Masthead) -> None:
    left, right = layout_table(document, (ISSUER_WIDTH, MOTTO_WIDTH))
    for line in head.issuer:
        paragraph(left, line, align=CENTER, bold=True, size=13, upper=True)
    rule(left, width=Mm(22), within=ISSUER_WIDTH)
    if head.number:
        paragraph(left, f"Số: {head.number}", align=CENTER, size=13)
    if head.summary:
        paragraph(left, head.summary, align=CENTER, size=12, space_before=4)
    paragraph(right, MOTTO_COUNTRY, align=CENTER, bold=True, size=12)
    paragraph(right, MOTTO, align=CENTER, bold=True, size=13)
    rule(right, width=Mm(60), within=MOTTO_WIDTH)
    paragraph(right, f"{head.place}, {head.dated}", align=CENTER, italic=True, size=14)


def title(document: Document, *lines: str, underline: bool = True, space_before=12) -> None:
    """A document's name and what it is about, bold and centred, with a short line under."""
    for index, line in enumerate(lines):
        paragraph(
            document,
            line,
            align=CENTER,
            bold=True,
            size=14,
            space_before=space_before if index == 0 else None,
        )
    if underline:
        rule(document, width=Mm(40), within=TEXT_WIDTH)


def body(document: Document, text: str = "", *, lead: str = "", style: str = STYLE_BODY):
    """A paragraph of the body; `lead` in bold before it ("Điều 1. ")."""
    new = document.add_paragraph(style=style)
    if lead:
        run(new, lead, bold=True)
    if text:
        run(new, text)
    return new


def basis(document: Document, text: str):
    """A legal basis ("Căn cứ …;"), in italics."""
    return body(document, text, style=STYLE_BASIS)


@dataclass(frozen=True)
class Column:
    header: str
    width: object  # a docx Length (Mm)
    align: object = LEFT


def grid(document: Document, columns: Sequence[Column], rows: Sequence[Sequence[str]]):
    """A table with borders: a bold header row (repeated on every page), then the rows."""
    table = document.add_table(rows=1, cols=len(columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [c.width for c in columns])
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, column in zip(header.cells, columns, strict=True):
        paragraph(cell, column.header, style=STYLE_TABLE, align=CENTER, bold=True)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for values in rows:
        cells = table.add_row().cells
        for cell, column, value in zip(cells, columns, values, strict=True):
            cell.width = column.width
            paragraph(cell, value, style=STYLE_TABLE, align=column.align)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def closing(
    document: Document,
    *,
    recipients: Sequence[str],
    authority: Sequence[str],
    signer_name: str = "",
    note: str = "",
) -> None:
    """The foot: "Nơi nhận:" and its list on the left; on the right the authority lines
    ("TM. ỦY BAN NHÂN DÂN", the signer's title), room to sign, the signer's name."""
    paragraph(document, space_after=6)
    left, right = layout_table(document, (CLOSING_LEFT, CLOSING_RIGHT))
    if recipients:
        paragraph(left, "Nơi nhận:", bold=True, italic=True, size=12)
        for index, recipient in enumerate(recipients):
            end = "." if index == len(recipients) - 1 else ";"
            paragraph(left, f"- {recipient}{end}", style=STYLE_RECIPIENTS)
    for line in authority:
        paragraph(right, line, align=CENTER, bold=True, size=14, upper=True)
    if note:
        paragraph(right, note, align=CENTER, italic=True, size=13)
    for _ in range(4):
        paragraph(right, align=CENTER)
    paragraph(right, signer_name, align=CENTER, bold=True, size=14)


def landscape_section(document: Document) -> None:
    """A new page turned landscape, for a wide annex table; its first page numbered too."""
    previous = document.sections[-1]
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = previous.page_height, previous.page_width
    section.different_first_page_header_footer = False
