"""The Word drafts' layout (ocop/core/word): dates and file names as the administration
writes them, the base document, and the pieces every draft is made of."""

import datetime
import io
import zipfile

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt

from ocop.core import word
from ocop.core.word import make_base
from tests.word import assert_schema_order, lines, out_of_order, table_rows, texts


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (datetime.date(2026, 3, 5), "ngày 05 tháng 3 năm 2026"),
        (datetime.date(2028, 2, 29), "ngày 29 tháng 02 năm 2028"),
        (datetime.date(2029, 1, 1), "ngày 01 tháng 01 năm 2029"),
        (datetime.date(2027, 8, 31), "ngày 31 tháng 8 năm 2027"),
        (datetime.date(2026, 12, 10), "ngày 10 tháng 12 năm 2026"),
    ],
)
def test_long_date_puts_a_zero_before_days_under_10_and_months_under_3(day, text):
    assert word.long_date(day) == text


def test_blank_and_short_dates():
    assert word.blank_date(2026) == "ngày …… tháng …… năm 2026"
    assert word.short_date(datetime.date(2029, 2, 1)) == "01/02/2029"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Du-thao-QD-1520/QĐ-UBND", "Du-thao-QD-1520-QD-UBND.docx"),
        ("Công văn đề nghị: xã Tân Lạc", "Cong-van-de-nghi-xa-Tan-Lac.docx"),
        ('"; rm -rf /', "rm-rf.docx"),
        ("đ", "d.docx"),
        ("", "document.docx"),
    ],
)
def test_file_names_are_ascii(name, safe):
    assert word.ascii_filename(name) == safe


def test_the_base_is_a4_in_times_new_roman_with_the_named_styles():
    document = word.new_document(title="Thử")

    section = document.sections[0]
    assert [round(x.mm) for x in (section.page_width, section.page_height)] == [210, 297]
    assert [
        round(x.mm)
        for x in (
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    for name in (word.STYLE_BODY, word.STYLE_BASIS, word.STYLE_TABLE, word.STYLE_RECIPIENTS):
        assert document.styles[name].font.name in (None, "Times New Roman"), name
    assert document.styles[word.STYLE_BASIS].font.italic
    assert document.styles[word.STYLE_TABLE].font.size == Pt(12)
    assert document.paragraphs == [] and document.tables == []
    assert document.core_properties.title == "Thử"
    assert document.core_properties.language == "vi-VN"


def _parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name)
            for name in ("word/styles.xml", "word/document.xml", "word/header1.xml")
        }


def test_the_committed_base_is_what_make_base_writes():
    """Change make_base.py, then run it: `python -m ocop.core.word.make_base`."""
    built = io.BytesIO()
    make_base.build().save(built)

    assert _parts(built.getvalue()) == _parts(word.BASE.read_bytes())


def test_a_document_of_every_piece_reads_back_in_order():
    document = word.new_document(title="Thử")
    word.masthead(
        document,
        word.Masthead(
            issuer=["ỦY BAN NHÂN DÂN", "XÃ TÂN LẠC"],
            number="12/UBND",
            summary="V/v thử",
            place="Tân Lạc",
            dated=word.blank_date(2026),
        ),
    )
    word.title(document, "CÔNG VĂN")
    word.basis(document, "Căn cứ …;")
    word.body(document, "nội dung", lead="Điều 1. ")
    word.grid(
        document,
        [word.Column("STT", Mm(10), word.CENTER), word.Column("Tên", Mm(50))],
        [["1", "Cam"], ["2", "Chè"]],
    )
    word.closing(
        document,
        recipients=["Như trên", "Lưu: VT"],
        authority=["TM. ỦY BAN NHÂN DÂN", "Chủ tịch"],
        signer_name="Nguyễn Văn A",
    )
    word.landscape_section(document)
    word.grid(document, [word.Column("STT", Mm(10))], [])

    read = docx.Document(io.BytesIO(word.to_bytes(document)))

    assert_schema_order(read)
    masthead, grid, closing, empty = read.tables
    assert lines(masthead.rows[0].cells[0]) == [
        "ỦY BAN NHÂN DÂN",
        "XÃ TÂN LẠC",
        "Số: 12/UBND",
        "V/v thử",
    ]
    assert lines(masthead.rows[0].cells[1]) == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tân Lạc, ngày …… tháng …… năm 2026",
    ]
    assert texts(read) == ["CÔNG VĂN", "Căn cứ …;", "Điều 1. nội dung"]
    assert table_rows(grid) == [["STT", "Tên"], ["1", "Cam"], ["2", "Chè"]]
    assert lines(closing.rows[0].cells[0]) == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    assert lines(closing.rows[0].cells[1]) == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn A",
    ]
    assert table_rows(empty) == [["STT"]]
    assert read.sections[1].orientation == WD_ORIENT.LANDSCAPE
    assert not read.sections[1].different_first_page_header_footer


def test_the_order_check_has_teeth():
    document = word.new_document(title="Thử")
    paragraph = word.paragraph(document, "x", align=word.CENTER)
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(p_pr.makeelement(p_pr[0].tag.replace("jc", "pBdr")))  # after jc: refused

    assert out_of_order(document.element) != []


def test_the_response_is_an_attachment_never_cached():
    answer = word.response(b"PK", "Dự thảo 1/QĐ-UBND")

    assert answer["Content-Type"] == word.CONTENT_TYPE
    assert answer["Content-Disposition"] == 'attachment; filename="Du-thao-1-QD-UBND.docx"'
    assert answer["Cache-Control"] == "private, no-store"
    assert answer["X-Content-Type-Options"] == "nosniff"
