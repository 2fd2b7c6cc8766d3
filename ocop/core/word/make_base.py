"""Write `base.docx`, the document every Word draft starts from (docs/decisions/0025).

    .venv/bin/python -m ocop.core.word.make_base

The administrative style of Decree 30/2020/NĐ-CP: A4 portrait, margins top 20 mm, bottom
20 mm, left 30 mm, right 15 mm; Times New Roman, body 14 pt, Vietnamese as the proofing
language; page numbers centred at the top from the second page. The styles named in
`ocop.core.word` (STYLE_*) are defined here; an office that wants its own fonts or spacing may
restyle them in Word and save the file in place of this one, keeping their names.
"""

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

TARGET = Path(__file__).with_name("base.docx")
FONT = "Times New Roman"
LANGUAGE = "vi-VN"


def _fonts(r_pr) -> None:
    """Times New Roman for every script (no theme font), Vietnamese for proofing."""
    fonts = r_pr.get_or_add_rFonts()
    for name in list(fonts.attrib):
        if name.endswith("Theme") or name.endswith("theme"):
            del fonts.attrib[name]
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), FONT)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _paragraph_style(styles, name, *, size=14, italic=False, **layout):
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(size)
    style.font.italic = italic or None
    for attribute, value in layout.items():
        setattr(style.paragraph_format, attribute, value)
    return style


def build() -> docx.document.Document:
    document = docx.Document()
    styles = document.styles

    # Every run's default, then Normal: Times New Roman 14, single spacing, no space between.
    defaults = styles.element.find(qn("w:docDefaults"))
    default_run = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(default_run)
    for size in ("w:sz", "w:szCs"):
        default_run.find(qn(size)).set(qn("w:val"), "28")  # half-points
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    normal = styles["Normal"]
    _fonts(normal.element.get_or_add_rPr())
    normal.font.size = Pt(14)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(13)

    # The body: justified, first line indented 1.27 cm, 6 pt between paragraphs.
    _paragraph_style(
        styles,
        "OCOP Body",
        alignment=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent=Cm(1.27),
        space_before=Pt(6),
        widow_control=True,
    )
    # A legal basis ("Căn cứ …"): as the body, in italics.
    basis = _paragraph_style(styles, "OCOP Basis", italic=True)
    basis.base_style = styles["OCOP Body"]
    # Table cells: 12 pt, a little air above and below.
    _paragraph_style(styles, "OCOP Table", size=12, space_before=Pt(2), space_after=Pt(2))
    # The list of recipients ("Nơi nhận"): 11 pt.
    _paragraph_style(styles, "OCOP Recipients", size=11)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # Page numbers: centred at the top, none on the first page.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    number._p.append(field)

    properties = document.core_properties
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = ""
    properties.title = ""
    properties.language = LANGUAGE
    return document


def main() -> None:
    build().save(TARGET)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
