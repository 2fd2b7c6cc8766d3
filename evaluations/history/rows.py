"""Reading a file of published results (CSV or XLSX) into checked rows.

The columns are those of the published-results sample (`province, decision, decision_date,
product, producer, commune, district, stars, score`) with the optional `level`, `outcome`,
`product_set` and `producer_kind`; headers are matched ignoring case and diacritics, and the
Vietnamese headers of a spreadsheet ("Tỉnh", "Số quyết định", ...) are read as well. Every
problem is reported with the line number a spreadsheet shows (the header is line 1).
"""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from evaluations.enums import Level
from ocop.core.search import fold

COLUMNS = (
    "province",
    "decision",
    "decision_date",
    "product",
    "producer",
    "commune",
    "district",
    "stars",
    "score",
    "level",
    "outcome",
    "product_set",
    "producer_kind",
)
REQUIRED_COLUMNS = ("province", "decision_date", "product")
# Vietnamese headers (folded) read as the columns above.
HEADER_ALIASES = {
    "tinh": "province",
    "tinh/thanh pho": "province",
    "so quyet dinh": "decision",
    "quyet dinh": "decision",
    "ngay quyet dinh": "decision_date",
    "ngay": "decision_date",
    "san pham": "product",
    "ten san pham": "product",
    "chu the": "producer",
    "ten chu the": "producer",
    "xa": "commune",
    "xa/phuong": "commune",
    "huyen": "district",
    "quan/huyen": "district",
    "so sao": "stars",
    "hang sao": "stars",
    "sao": "stars",
    "diem": "score",
    "cap": "level",
    "ket qua": "outcome",
    "bo san pham": "product_set",
    "loai chu the": "producer_kind",
}
OUTCOMES = ("recognised", "forwarded", "not_recognised")
MAX_ROWS = 5000
MAX_TEXT = 200
DECISION_MAX = 40


class FileRefused(ValueError):
    """The file as a whole cannot be read (format, encoding, headers, size)."""


@dataclass
class Row:
    """One line of the file, read and checked on its own (the units and the duplicates
    are checked against the map and the other rows later)."""

    line: int
    province: str = ""
    decision: str = ""
    decision_date: datetime.date | None = None
    date_to_month: bool = False
    product: str = ""
    producer: str = ""
    commune: str = ""
    district: str = ""
    stars: int | None = None
    score: Decimal | None = None
    level: str = ""
    outcome: str = ""
    product_set: int | None = None
    producer_kind: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_rows(name: str, content: bytes, *, max_rows: int = MAX_ROWS) -> list[Row]:
    """The file's rows, each checked on its own; FileRefused when the file cannot be read or
    has more than `max_rows` rows."""
    if name.lower().endswith(".xlsx"):
        table = _xlsx_table(content)
    elif name.lower().endswith(".csv"):
        table = _csv_table(content)
    else:
        raise FileRefused(_("Upload a .csv or .xlsx file."))
    if not table:
        raise FileRefused(_("The file is empty."))
    columns = _columns(table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {
            column: cells[index] if index < len(cells) else None
            for index, column in columns.items()
        }
        if all(_text(v) == "" for v in values.values()):
            continue
        rows.append(_row(number, values))
    if not rows:
        raise FileRefused(_("The file has a header but no rows."))
    if len(rows) > max_rows:
        raise FileRefused(
            _("The file has %(count)d rows; import at most %(max)d at a time.")
            % {"count": len(rows), "max": max_rows}
        )
    return rows


def _csv_table(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(_("Save the CSV file as UTF-8 (Excel: “CSV UTF-8”).")) from error
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_table(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileRefused(_("This is not an Excel workbook (.xlsx) that can be read.")) from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _columns(header: list) -> dict[int, str]:
    columns = {}
    for index, cell in enumerate(header):
        key = fold(_text(cell)).replace(" ", "_")
        name = key if key in COLUMNS else HEADER_ALIASES.get(fold(_text(cell)))
        if name and name not in columns.values():
            columns[index] = name
    missing = [c for c in REQUIRED_COLUMNS if c not in columns.values()]
    if missing:
        raise FileRefused(
            _("The first line must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    if "stars" not in columns.values() and "score" not in columns.values():
        raise FileRefused(_("The file needs a “stars” or a “score” column."))
    return columns


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
)
MONTH_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), ("y", "m")),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), ("m", "y")),
)


def parse_date(value) -> tuple[datetime.date, bool]:
    """The date and whether only its month is known ("2020-11", as some decisions are
    reported: the first of the month is used). ValueError when it is not a date."""
    if isinstance(value, datetime.datetime):
        return value.date(), False
    if isinstance(value, datetime.date):
        return value, False
    text = _text(value)
    for pattern, order in DATE_FORMATS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            return datetime.date(parts["y"], parts["m"], parts["d"]), False
    for pattern, order in MONTH_FORMATS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            return datetime.date(parts["y"], parts["m"], 1), True
    raise ValueError(text)


def _row(line: int, values: dict) -> Row:
    row = Row(line=line)
    for name in ("province", "decision", "product", "producer", "commune", "district"):
        text = _text(values.get(name))
        if len(text) > MAX_TEXT:
            row.errors.append(
                _("%(column)s is longer than %(max)d characters.")
                % {"column": name, "max": MAX_TEXT}
            )
        setattr(row, name, text[:MAX_TEXT])
    if len(row.decision) > DECISION_MAX:
        row.errors.append(
            _("The decision number is longer than %(max)d characters.") % {"max": DECISION_MAX}
        )
    for name in ("province", "product"):
        if not getattr(row, name):
            row.errors.append(_("The %(column)s is empty.") % {"column": name})
    raw_date = values.get("decision_date")
    if _text(raw_date) == "":
        row.errors.append(_("The decision_date is empty."))
    else:
        try:
            row.decision_date, row.date_to_month = parse_date(raw_date)
        except ValueError:
            row.errors.append(
                _("“%(value)s” is not a date: write 2023-12-28, 28/12/2023 or 2023-12.")
                % {"value": _text(raw_date)}
            )
    stars = _text(values.get("stars"))
    if stars:
        if stars.isdigit() and 3 <= int(stars) <= 5:
            row.stars = int(stars)
        else:
            row.errors.append(
                _("Stars must be 3, 4 or 5 (or empty), not “%(value)s”.") % {"value": stars}
            )
    score = _text(values.get("score")).replace(",", ".")
    if score:
        try:
            row.score = Decimal(score)
            if not row.score.is_finite():
                raise InvalidOperation(score)
            row.score = row.score.quantize(Decimal("0.01"))
        except InvalidOperation:
            row.score = None
            row.errors.append(_("The score “%(value)s” is not a number.") % {"value": score})
        else:
            if not Decimal(0) <= row.score <= Decimal(100):
                row.errors.append(
                    _("The score must be between 0 and 100, not %(value)s.") % {"value": score}
                )
                row.score = None
    level = fold(_text(values.get("level")))
    if level:
        if level in Level.values:
            row.level = level
        else:
            row.errors.append(
                _("Unknown level “%(value)s”: commune, district, province or central.")
                % {"value": _text(values.get("level"))}
            )
    outcome = fold(_text(values.get("outcome"))).replace(" ", "_")
    if outcome:
        if outcome in OUTCOMES:
            row.outcome = outcome
        else:
            row.errors.append(
                _("Unknown outcome “%(value)s”: recognised, forwarded or not_recognised.")
                % {"value": _text(values.get("outcome"))}
            )
    product_set = _text(values.get("product_set"))
    if product_set:
        if product_set.isdigit() and 1 <= int(product_set) <= 26:
            row.product_set = int(product_set)
        else:
            row.errors.append(
                _("The product_set must be a number from 1 to 26, not “%(value)s”.")
                % {"value": product_set}
            )
    row.producer_kind = _text(values.get("producer_kind"))
    return row
