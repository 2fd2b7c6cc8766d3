"""Reading the Word drafts back as Word would: the file, its text, its tables, and whether
its XML keeps the order the schema imposes (Word refuses a file whose properties are out of
order; python-docx and LibreOffice do not notice)."""

import io

import docx
from docx.oxml.ns import qn

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def opened(response) -> docx.document.Document:
    """The draft of a download, after checking the response is one."""
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith('attachment; filename="')
    document = docx.Document(io.BytesIO(response.content))
    assert_schema_order(document)
    return document


def long_date(day) -> str:
    """As Decree 30 writes a date: a zero before a day under 10 and a month under 3."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def lines(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text]


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


# The order of the children of a paragraph's, a table's and a row's properties (ECMA-376,
# CT_PPr, CT_TblPr, CT_TrPr).
PARAGRAPH = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
    "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
    "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
    "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
)
TABLE = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange"
)
ROW = (
    "cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
    "tblCellSpacing jc hidden ins del trPrChange"
)
SEQUENCES = {qn("w:pPr"): PARAGRAPH, qn("w:tblPr"): TABLE, qn("w:trPr"): ROW}


def out_of_order(element) -> list[str]:
    """The properties elements under `element` whose children break the schema's order."""
    found = []
    for tag, sequence in SEQUENCES.items():
        rank = {qn(f"w:{name}"): index for index, name in enumerate(sequence.split())}
        for properties in element.iter(tag):
            ranks = [rank.get(child.tag, -1) for child in properties]
            if ranks != sorted(ranks) or -1 in ranks:
                found.append(f"{tag}: {[child.tag.split('}')[1] for child in properties]}")
    return found


def assert_schema_order(document) -> None:
    assert out_of_order(document.element) == []
    for section in document.sections:
        assert out_of_order(section.header._element) == []
