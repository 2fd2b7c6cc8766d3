"""The catalogue as open-data files: /open-data/products.csv and .xlsx, the rows of
/api/v1/products/ (every page) under the same filters, with Vietnamese headers whatever the
language of the request; the CSV in UTF-8 with a byte-order mark, which Excel needs to read
Vietnamese letters."""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View

from evaluations.catalogue.api import product_data
from evaluations.catalogue.filters import CatalogueFilter, repeated_errors
from evaluations.catalogue.selectors import catalogue, with_places_today
from evaluations.enums import CertificateStatus
from ocop.core.excel import XLSX_CONTENT_TYPE, Column, download_filename, workbook
from ocop.core.opendata import content_etag, open_data_view
from products.enums import ProducerKind

COLUMNS = [
    Column(_("Product id"), 10),
    Column(_("Product"), 40),
    Column(_("Product set number"), 10),
    Column(_("Product set"), 30),
    Column(_("Producer"), 36),
    Column(_("Kind of producer"), 18),
    Column(_("Province code"), 8),
    Column(_("Province"), 20),
    Column(_("District code"), 8),
    Column(_("District"), 20),
    Column(_("Commune code"), 8),
    Column(_("Commune"), 20),
    Column(_("Stars"), 8),
    Column(_("Score"), 8, "0.00"),
    Column(_("Certificate number"), 22),
    Column(_("Issued on"), 12),
    Column(_("Valid until"), 12),
    Column(_("Status"), 14),
    Column(_("Decision number"), 18),
    Column(_("Decision date"), 12),
    Column(_("Issued by"), 30),
    Column(_("Product page"), 40),
]


def _row(data: dict, *, text: bool) -> list:
    """One product's cells: Python values for the workbook, text for the CSV."""

    def unit(key, part):
        return (data[key] or {}).get(part, "")

    score = data["score"]
    certificate, decision = data["certificate"], data["decision"]
    kind = data["producer"]["kind"]
    dates = [certificate["issued_on"], certificate["valid_until"], decision["date"]]
    if text:
        dates = [day.isoformat() for day in dates]
    return [
        data["id"],
        data["name"],
        data["product_set"]["number"],
        data["product_set"]["name"],
        data["producer"]["name"] or "",
        str(ProducerKind(kind).label) if kind else "",
        unit("province", "code"),
        unit("province", "name"),
        unit("district", "code"),
        unit("district", "name"),
        unit("commune", "code"),
        unit("commune", "name"),
        data["stars"],
        (score or "") if text else (Decimal(score) if score else None),
        certificate["number"],
        dates[0],
        dates[1],
        str(CertificateStatus(certificate["status"]).label),
        decision["number"],
        dates[2],
        decision["issuer"],
        data["url"],
    ]


@method_decorator(open_data_view, name="dispatch")
class ProductsDownloadView(View):
    """Every product the filters select, as a file (`kind`: "csv" or "xlsx"), rate-limited
    and with an ETag like the API (decision 0029); an unknown parameter or a value naming
    nothing answers 422 in words."""

    kind = "csv"

    def get(self, request):
        filters = CatalogueFilter(request.GET)
        errors = download_errors(request.GET, filters)
        if errors:
            return HttpResponse(
                "\n".join(errors) + "\n", status=422, content_type="text/plain; charset=utf-8"
            )
        today = timezone.localdate()
        entries = catalogue(filters, today, with_facets=False).entries
        rows = [product_data(request, entry) for entry in with_places_today(list(entries))]
        with translation.override("vi"):
            table = _csv(rows)
            if self.kind == "xlsx":
                return self.xlsx(filters, rows, today, etag=content_etag(table))
            return self.csv(table, today)

    def csv(self, table: str, today):
        response = HttpResponse(
            ("\ufeff" + table).encode("utf-8"), content_type="text/csv; charset=utf-8"
        )
        name = download_filename(str(_("OCOP products")), today).removesuffix(".xlsx")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response

    def xlsx(self, filters: CatalogueFilter, rows: list[dict], today, *, etag: str):
        title = str(_("OCOP products"))
        content = workbook(
            title=title,
            filters=filters.described(),
            columns=COLUMNS,
            rows=(_row(data, text=False) for data in rows),
            today=today,
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="{download_filename(title, today)}"'
        )
        # openpyxl writes the moment it saved into the file: the ETag is the table's.
        response["ETag"] = etag
        return response


# What a spreadsheet reads as a formula at the start of a cell (OWASP's CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text: a name typed as "=..." gets a leading
    apostrophe, as OWASP advises (numbers and codes are left as they are)."""
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.header) for column in COLUMNS])
    for data in rows:
        writer.writerow([_cell(value) for value in _row(data, text=True)])
    return buffer.getvalue()


# The query parameters the files take: the catalogue's filters.
ALLOWED = frozenset(CatalogueFilter.base_filters)


def download_errors(data, filters: CatalogueFilter) -> list[str]:
    """Why the files refuse a query, one line a parameter, in the request's language."""
    unknown = [
        gettext("%(name)s: unknown parameter.") % {"name": name}
        for name in sorted(set(data) - ALLOWED)
    ]
    repeated = [
        gettext("%(name)s: given more than once; it takes one value.") % {"name": error["loc"][1]}
        for error in repeated_errors(data)
    ]
    wrong = [
        f"{filters.filters[name].label}: {message}"
        for name, messages in filters.form.errors.items()
        for message in messages
    ]
    return unknown + repeated + wrong
