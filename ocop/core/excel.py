"""Excel downloads (issue 14, decision 0024): a list or a report as an `.xlsx` workbook.

One sheet: the title, the day of export and the filters the list applies in the header rows,
then the table (bold frozen header, auto-filter, real number and date cells) and any total
rows below it; printed on A4 landscape, one page wide, the table's header on every page and
the page numbers in the footer. Headers and labels are translated in the request's language,
as the page's own are.

A list page offers it with `ExcelDownloadMixin`: the same URL with `?format=xlsx`, the same
filters and visibility, every row they select (not only the page shown).
"""

import datetime
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from ocop.core.files import content_response
from ocop.core.filters import chosen_filters
from ocop.core.search import fold

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# What a sheet's name may not hold, and its length (Excel's limits).
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
# Control characters an XML file cannot hold (openpyxl refuses them): dropped from text.
ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    """A column of the table: its header (a lazy translation, read when the sheet is built),
    its width in characters, and the format of its numbers ("0.00"); dates are dd/mm/yyyy."""

    header: str
    width: float = 16
    number_format: str = ""


def workbook(
    *,
    title: str,
    filters: Sequence[tuple[str, object]],
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    totals: Iterable[Sequence] = (),
    today: datetime.date | None = None,
) -> bytes:
    """The `.xlsx` file of a table. `rows` and `totals` hold Python values, one per column:
    int and Decimal become numbers, dates and datetimes real dates (an aware datetime in the
    project's time zone), None an empty cell, anything else its text. The total rows come
    after the table, outside its auto-filter, so that sorting leaves them at the bottom."""
    # Loaded when a download is asked for: the pages never depend on it (decision 0024).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    today = today or timezone.localdate()
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_NAME_REFUSED.sub(" ", title)[:SHEET_NAME_MAX].strip() or "OCOP"
    book.properties.title = title
    book.properties.creator = "OCOP"

    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    lines = [(_("Exported on"), today), *filters]
    for row, (label, value) in enumerate(lines, start=2):
        sheet.cell(row=row, column=1, value=f"{label}: {_text(value)}")

    header_row = len(lines) + 3  # the title, the lines, an empty row
    line = Side(style="thin", color="808080")
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=str(column.header))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", start_color="E2EFDA")
        cell.border = Border(top=line, bottom=line)
        cell.alignment = Alignment(wrap_text=True, vertical="center")

    # Top-aligned cells; text wraps within its column's width.
    aligned = (Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True))
    last_row = header_row
    for values in rows:
        last_row += 1
        _write_row(sheet, last_row, columns, values, aligned)
    last_column = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{last_row}"
    for row, values in enumerate(totals, start=last_row + 1):
        _write_row(sheet, row, columns, values, aligned)
        for cell in sheet[row]:
            cell.font = Font(bold=True)
            cell.border = Border(top=line)

    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)

    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddFooter.left.text = _footer_text(title)
    sheet.oddFooter.center.text = _("Page %(n)s of %(total)s") % {"n": "&P", "total": "&N"}
    sheet.oddFooter.right.text = _footer_text(f"{_('Exported on')}: {_text(today)}")

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_row(sheet, row: int, columns: Sequence[Column], values: Sequence, aligned) -> None:
    for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
        if isinstance(value, Promise):  # a lazy translation: its text now
            value = str(value)
        cell = sheet.cell(row=row, column=index)
        cell.alignment = aligned[isinstance(value, str)]
        if value is None:
            continue
        if isinstance(value, int | Decimal | float):
            cell.value = value
            if column.number_format:
                cell.number_format = column.number_format
        elif isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            cell.value = value
            cell.number_format = column.number_format or DATETIME_FORMAT
        elif isinstance(value, datetime.date):
            cell.value = value
            cell.number_format = column.number_format or DATE_FORMAT
        else:
            # Always text: a name typed as "=..." is not a formula.
            cell.value = ILLEGAL_CHARACTERS.sub("", str(value))
            cell.data_type = "s"


def _text(value) -> str:
    """A header line's value as text (a day as dd/mm/yyyy)."""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return ILLEGAL_CHARACTERS.sub("", str(value))


def _footer_text(text: str) -> str:
    return text.replace("&", "&&")


def download_filename(title: str, day: datetime.date) -> str:
    """An ASCII file name: the title without its diacritics, then the day
    ("hop-ho-so-2026-05-04.xlsx")."""
    return f"{slugify(fold(title)) or 'ocop'}-{day.isoformat()}.xlsx"


def xlsx_response(content: bytes, *, title: str, day: datetime.date) -> FileResponse:
    """The workbook as a download (never cached: it is the list of one person's area)."""
    return content_response(
        content, filename=download_filename(title, day), content_type=XLSX_CONTENT_TYPE
    )


class ExcelDownloadMixin:
    """`?format=xlsx` on a list (or report) page: the same URL, filters and visibility, every
    row they select as an Excel workbook; the page gets `excel_download` in its context, for
    the filter bar's link.

    The view declares `excel_title`, `excel_columns` and `excel_row(obj)` for each object of
    its `get_queryset()` (or `excel_rows()` for rows made otherwise), and may add header
    lines (`excel_filters()`, by default its `filterset`'s choices) or `excel_totals()`.
    """

    excel_title = ""
    excel_columns: Sequence[Column] = ()

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "xlsx":
            return self.excel_response()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("excel_download", True)
        return super().get_context_data(**kwargs)

    def excel_response(self) -> FileResponse:
        today = timezone.localdate()
        title = capfirst(str(self.excel_title))
        rows = list(self.excel_rows())  # first: it builds the filterset the lines describe
        content = workbook(
            title=title,
            filters=self.excel_filters(),
            columns=self.excel_columns,
            rows=rows,
            totals=self.excel_totals(),
            today=today,
        )
        return xlsx_response(content, title=title, day=today)

    def excel_rows(self) -> Iterable[Sequence]:
        return (self.excel_row(obj) for obj in self.get_queryset())

    def excel_row(self, obj) -> Sequence:
        raise NotImplementedError(f"{type(self).__name__} needs excel_row() or excel_rows()")

    def excel_filters(self) -> list[tuple[str, object]]:
        filterset = getattr(self, "filterset", None)
        return chosen_filters(filterset) if filterset is not None else []

    def excel_totals(self) -> Iterable[Sequence]:
        return ()
