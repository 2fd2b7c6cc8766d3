"""The Excel workbook of a table (ocop.core.excel): header rows, typed cells, print setup."""

import datetime
import io
from decimal import Decimal

import openpyxl
from django.utils import translation

from ocop.core.excel import (
    XLSX_CONTENT_TYPE,
    Column,
    download_filename,
    workbook,
    xlsx_response,
)

DAY = datetime.date(2028, 2, 29)
COLUMNS = [
    Column("Sản phẩm", width=30),
    Column("Điểm", number_format="0.00"),
    Column("Hạng sao"),
    Column("Ngày cấp"),
    Column("Lúc"),
]


def read(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def build(rows, *, totals=(), title="Giấy chứng nhận OCOP", filters=(("Đợt", "Đợt 1"),)):
    with translation.override("vi"):
        return read(
            workbook(
                title=title,
                filters=list(filters),
                columns=COLUMNS,
                rows=rows,
                totals=totals,
                today=DAY,
            )
        )


def test_the_header_rows_name_the_list_the_day_and_the_filters():
    sheet = build([], filters=[("Đợt", "Đợt 1"), ("Năm", 2028)])

    assert sheet.title == "Giấy chứng nhận OCOP"
    assert [sheet.cell(row=r, column=1).value for r in range(1, 6)] == [
        "Giấy chứng nhận OCOP",
        "Ngày xuất: 29/02/2028",
        "Đợt: Đợt 1",
        "Năm: 2028",
        None,
    ]
    assert sheet["A1"].font.b
    assert [c.value for c in sheet[6]] == ["Sản phẩm", "Điểm", "Hạng sao", "Ngày cấp", "Lúc"]
    assert all(c.font.b for c in sheet[6])
    assert sheet.freeze_panes == "A7"
    assert sheet.auto_filter.ref == "A6:E6"
    assert sheet.column_dimensions["A"].width == 30


def test_numbers_and_dates_are_real_cells_and_text_stays_text():
    noon = datetime.datetime(2028, 2, 29, 5, 30, tzinfo=datetime.UTC)  # 12:30 in Hà Nội
    sheet = build(
        [
            ("Cam Cao Phong", Decimal("72.80"), 3, datetime.date(2028, 2, 29), noon),
            ('=HYPERLINK("http://x")\x01', Decimal("12"), 1, None, None),
        ]
    )

    first, second = sheet[6], sheet[7]
    assert [c.value for c in first] == [
        "Cam Cao Phong",
        72.8,
        3,
        datetime.datetime(2028, 2, 29),
        datetime.datetime(2028, 2, 29, 12, 30),
    ]
    assert (first[1].data_type, first[1].number_format) == ("n", "0.00")
    assert first[2].data_type == "n"
    assert (first[3].is_date, first[3].number_format) == (True, "dd/mm/yyyy")
    assert (first[4].is_date, first[4].number_format) == (True, "dd/mm/yyyy hh:mm")
    # A name typed as a formula is written as its text; a control character is dropped.
    assert (second[0].value, second[0].data_type) == ('=HYPERLINK("http://x")', "s")
    assert [c.value for c in second[1:]] == [12, 1, None, None]
    assert sheet.auto_filter.ref == "A5:E7"


def test_total_rows_follow_the_table_outside_its_filter():
    sheet = build(
        [("A", Decimal("50"), 3, None, None), ("B", Decimal("60"), 3, None, None)],
        totals=[("Tổng", Decimal("110"), 6, None, None)],
    )

    assert sheet.auto_filter.ref == "A5:E7"
    assert [c.value for c in sheet[8]] == ["Tổng", 110, 6, None, None]
    assert sheet["A8"].font.b


def test_the_sheet_prints_on_a4_landscape_one_page_wide_with_its_header_on_each_page():
    sheet = build([("A", Decimal("50"), 3, None, None)])

    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize) == ("landscape", 9)
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$5:$5"
    assert sheet.oddFooter.center.text == "Trang &P / &N"
    assert sheet.oddFooter.right.text == "Ngày xuất: 29/02/2028"
    assert sheet.oddFooter.left.text == "Giấy chứng nhận OCOP"


def test_a_sheet_name_keeps_within_excels_rules():
    sheet = build([], title="Danh sách [đợt 1/2028]: các sản phẩm tiềm năng của tỉnh")

    assert sheet.title == "Danh sách  đợt 1 2028   các sản"
    assert len(sheet.title) <= 31


def test_the_file_name_is_ascii_and_dated():
    assert download_filename("Hộp hồ sơ", DAY) == "hop-ho-so-2028-02-29.xlsx"
    assert download_filename("Đợt đánh giá", DAY) == "dot-danh-gia-2028-02-29.xlsx"
    assert download_filename("★", DAY) == "ocop-2028-02-29.xlsx"


def test_the_response_is_an_attachment_never_cached():
    response = xlsx_response(b"PK", title="Hộp hồ sơ", day=DAY)

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="hop-ho-so-2028-02-29.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.getvalue() == b"PK"
