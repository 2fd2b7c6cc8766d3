"""Reading an Excel download (ocop.core.excel) back, as the office's spreadsheet would."""

import io
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl.cell import Cell
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from ocop.core.excel import XLSX_CONTENT_TYPE


@dataclass
class Download:
    filename: str
    sheet: Worksheet
    title: str
    lines: list[str]  # the header rows between the title and the table
    headers: list[str]
    rows: list[tuple]  # the table, inside its auto-filter
    totals: list[tuple]  # the rows after it

    header_row: int

    def column(self, header: str) -> list:
        index = self.headers.index(header)
        return [row[index] for row in self.rows]

    def cells(self, header: str) -> list[Cell]:
        """The table's cells under `header` (their types and formats)."""
        index = self.headers.index(header) + 1
        last = self.header_row + len(self.rows)
        return [self.sheet.cell(row=r, column=index) for r in range(self.header_row + 1, last + 1)]


def read_xlsx(response) -> Download:
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    first_column, header_row, last_column, last_row = range_boundaries(sheet.auto_filter.ref)
    assert (first_column, last_column) == (1, sheet.max_column)

    def values(start, end):
        return [
            tuple(cell.value for cell in row)
            for row in sheet.iter_rows(min_row=start, max_row=end, max_col=last_column)
        ]

    return Download(
        filename=disposition.split('filename="')[1].rstrip('"'),
        sheet=sheet,
        title=sheet["A1"].value,
        lines=[sheet.cell(row=r, column=1).value for r in range(2, header_row - 1)],
        headers=list(values(header_row, header_row)[0]),
        rows=values(header_row + 1, last_row),
        totals=values(last_row + 1, sheet.max_row) if sheet.max_row > last_row else [],
        header_row=header_row,
    )


def rows_and_queries(client, path: str, params: dict) -> tuple[int, int]:
    """The number of rows of a download and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        download = read_xlsx(client.get(path, {**params, "format": "xlsx"}))
    return len(download.rows), len(queries)


def speak(client, language: str) -> None:
    """The language the client's next requests are answered in (the language switch's
    cookie, as `ocop.core.middleware.LanguageMiddleware` reads it)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
