"""Read one scoring form from the CSV transcription of the official annex into a FormSpec.

Format (evaluations/criteria/data/qd148-2023/README.md): header `title,description,level,stars,
score`, rows in form order; level 0 = part, 1 = group, 2 = criterion, 3 = option.

Row references: "row N" is the CSV *record* number as a spreadsheet shows it: the header is row
1, the first part row 2. Titles contain line breaks inside quotes, so N counts records, never
text lines (in form 11, "a) Ngoại hình" is row 101 although it sits on a later text line).

Keys: part "A" (from "Phần A"); group "A.1" (the group's own number, which runs on across parts:
"B.4"); criterion "A.1.a" (its letter as printed, "đ" included; a letter repeated within one
group gets "-2", "-3": "C.6.a-2"); sub-criterion "C.6.a.1" (its position under the heading);
option "A.1.a.3" (its position under its criterion, from 1). Options placed directly under a
group make the group a single criterion keyed "<group>.a", with the group's label and maximum.

Text is NFC with "\\n" line breaks and stripped; option labels lose the leading "□" and the star
marker ("***" to "*****"), sub-criterion labels the leading "-".
"""

import csv
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .spec import CriterionSpec, FormSpec, GroupSpec, OptionSpec, PartSpec

HEADER = ["title", "description", "level", "stars", "score"]
CHOOSE_ONE_MARKER = "lựa chọn một trong hai trường hợp"

# The only score typos repaired on import (forms 17 and 18 of QĐ 148). A repair applies only
# where the repaired value lies strictly between the points of the options before and after it.
SAFE_SCORE_TYPOS: dict[str, tuple[Decimal, str]] = {
    "l": (Decimal(1), "the letter l typed for the digit 1"),
    "t": (Decimal(1), "a letter typed for the middle value of a 0/1/2 ladder"),
}

_PART = re.compile(r"^Phần\s+([A-Z])\b")
_GROUP = re.compile(r"^(\d+)\s*\.")
_LETTER = re.compile(r"^([a-zđ])\s*[.)]")
_STAR_MARK = re.compile(r"\s*(\*+)")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class FormParseError(ValueError):
    def __init__(self, ref: str, message: str) -> None:
        self.ref = ref
        self.message = message
        super().__init__(f"{ref}: {message}")


@dataclass(frozen=True)
class Correction:
    ref: str
    column: str
    original: str
    corrected: Decimal
    reason: str


@dataclass(frozen=True)
class ParsedForm:
    form: FormSpec
    corrections: list[Correction]


@dataclass(frozen=True)
class _Row:
    ref: str
    title: str
    description: str
    level: int
    stars: str
    score: str


@dataclass
class _OptionDraft:
    ref: str
    label: str
    raw_score: str
    min_stars: int | None


@dataclass
class _CriterionDraft:
    key: str
    label: str
    max_points: Decimal | None
    ref: str
    note: str = ""
    min_stars: int | None = None
    options: list[_OptionDraft] = field(default_factory=list)
    children: list["_CriterionDraft"] = field(default_factory=list)


@dataclass
class _GroupDraft:
    key: str
    label: str
    max_points: Decimal
    ref: str
    note: str
    choose_one: bool
    criteria: list[_CriterionDraft] = field(default_factory=list)
    implicit: bool = False
    letters: Counter = field(default_factory=Counter)


@dataclass
class _PartDraft:
    key: str
    label: str
    max_points: Decimal
    ref: str
    note: str
    groups: list[_GroupDraft] = field(default_factory=list)


def parse_form_csv(
    *, text: str, key: str, label: str, expected_part_maxima: dict[str, Decimal]
) -> ParsedForm:
    """Parse one form; raise FormParseError naming the row for anything it cannot read."""
    parser = _Parser()
    for row in _rows(text):
        parser.feed(row)
    corrections: list[Correction] = []
    parts = tuple(_freeze_part(part, corrections) for part in parser.parts)
    if not parts:
        raise FormParseError("row 1", _("The form has no part rows (level 0)."))
    form = FormSpec(
        key=key, label=label, parts=parts, expected_part_maxima=dict(expected_part_maxima)
    )
    return ParsedForm(form=form, corrections=corrections)


def _clean(cell: str) -> str:
    text = cell.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


def _rows(text: str):
    records = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = next(records, None)
    if header is None or [_clean(cell) for cell in header] != HEADER:
        raise FormParseError(
            "row 1", _("The header must be %(header)s.") % {"header": ",".join(HEADER)}
        )
    for number, record in enumerate(records, start=2):
        ref = f"row {number}"
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(HEADER):
            raise FormParseError(
                ref, _("Expected 5 columns, found %(count)d.") % {"count": len(record)}
            )
        title, description, level, stars, score = (_clean(cell) for cell in record)
        if level not in {"0", "1", "2", "3"}:
            raise FormParseError(
                ref, _("Level must be 0, 1, 2 or 3, not %(level)r.") % {"level": level}
            )
        if not title:
            raise FormParseError(ref, _("The title is empty."))
        yield _Row(ref, title, description, int(level), stars, score)


def _maximum(row: _Row, *, required: bool) -> Decimal | None:
    if not row.score and not required:
        return None
    if not _NUMBER.match(row.score):
        raise FormParseError(
            ref=row.ref, message=_("The maximum %(score)r is not a number.") % {"score": row.score}
        )
    return Decimal(row.score)


def _split_stars(row: _Row) -> tuple[str, int | None]:
    """The title without its star marker, and the `stars` column as an int (or None)."""
    marks = _STAR_MARK.findall(row.title)
    if not row.stars:
        if marks:
            raise FormParseError(row.ref, _("The title carries a star mark but no stars."))
        return row.title, None
    if row.stars not in {"1", "2", "3", "4", "5"}:
        raise FormParseError(
            row.ref, _("Stars must be 1 to 5, not %(stars)r.") % {"stars": row.stars}
        )
    stars = int(row.stars)
    if len(marks) > 1 or (marks and len(marks[0]) != stars):
        raise FormParseError(
            row.ref,
            _("The stars column says %(stars)d but the title is marked %(marks)s.")
            % {"stars": stars, "marks": " ".join(marks)},
        )
    return _STAR_MARK.sub("", row.title, count=1).strip(), stars


class _Parser:
    def __init__(self) -> None:
        self.parts: list[_PartDraft] = []
        self.keys: set[str] = set()
        self.group: _GroupDraft | None = None
        self.criterion: _CriterionDraft | None = None  # the current level-2 criterion
        self.leaf: _CriterionDraft | None = None  # where options attach

    def feed(self, row: _Row) -> None:
        if row.level in (0, 1) and row.stars:
            raise FormParseError(row.ref, _("Only criteria and options carry stars."))
        handlers = {0: self.part, 1: self.start_group, 2: self.start_criterion, 3: self.option}
        handlers[row.level](row)

    def claim(self, key: str, ref: str) -> str:
        if key in self.keys:
            raise FormParseError(ref, _("Key %(key)s appears twice in the form.") % {"key": key})
        self.keys.add(key)
        return key

    def part(self, row: _Row) -> None:
        match = _PART.match(row.title)
        if not match:
            raise FormParseError(row.ref, _("A part title must start with 'Phần A', 'Phần B'…"))
        self.parts.append(
            _PartDraft(
                key=self.claim(match.group(1), row.ref),
                label=row.title,
                max_points=_maximum(row, required=True),
                ref=row.ref,
                note=row.description,
            )
        )
        self.group = self.criterion = self.leaf = None

    def start_group(self, row: _Row) -> None:
        if not self.parts:
            raise FormParseError(row.ref, _("A group row comes before any part."))
        part = self.parts[-1]
        match = _GROUP.match(row.title)
        if not match:
            raise FormParseError(row.ref, _("A group title must start with its number ('1.')."))
        self.group = _GroupDraft(
            key=self.claim(f"{part.key}.{match.group(1)}", row.ref),
            label=row.title,
            max_points=_maximum(row, required=True),
            ref=row.ref,
            note=row.description,
            choose_one=CHOOSE_ONE_MARKER in row.description.lower(),
        )
        part.groups.append(self.group)
        self.criterion = self.leaf = None

    def start_criterion(self, row: _Row) -> None:
        group = self.require_group(row)
        label, min_stars = _split_stars(row)
        if label.startswith("-"):
            self.sub_criterion(row, label.lstrip("- ").strip(), min_stars)
            return
        if group.implicit:
            raise FormParseError(
                row.ref,
                _("A criterion follows options placed directly under group %(group)s.")
                % {"group": group.key},
            )
        match = _LETTER.match(label)
        if not match:
            raise FormParseError(
                row.ref,
                _("A criterion title must start with its letter ('a)') or '-': %(title)r.")
                % {"title": label},
            )
        letter = match.group(1)
        group.letters[letter] += 1
        suffix = "" if group.letters[letter] == 1 else f"-{group.letters[letter]}"
        self.criterion = self.leaf = _CriterionDraft(
            key=self.claim(f"{group.key}.{letter}{suffix}", row.ref),
            label=label,
            max_points=_maximum(row, required=False),
            ref=row.ref,
            note=row.description,
            min_stars=min_stars,
        )
        group.criteria.append(self.criterion)

    def sub_criterion(self, row: _Row, label: str, min_stars: int | None) -> None:
        heading = self.criterion
        if heading is None or heading.options:
            raise FormParseError(
                row.ref, _("A '-' sub-criterion must follow a criterion heading without options.")
            )
        self.leaf = _CriterionDraft(
            key=self.claim(f"{heading.key}.{len(heading.children) + 1}", row.ref),
            label=label,
            max_points=_maximum(row, required=False),
            ref=row.ref,
            note=row.description,
            min_stars=min_stars,
        )
        heading.children.append(self.leaf)

    def option(self, row: _Row) -> None:
        group = self.require_group(row)
        if not group.criteria:
            self.criterion = self.leaf = _CriterionDraft(
                key=self.claim(f"{group.key}.a", row.ref),
                label=group.label,
                max_points=group.max_points,
                ref=group.ref,
            )
            group.criteria.append(self.leaf)
            group.implicit = True
        if row.description:
            raise FormParseError(row.ref, _("An option row cannot carry a description."))
        if not row.score:
            raise FormParseError(row.ref, _("The option gives no points."))
        label, min_stars = _split_stars(row)
        assert self.leaf is not None
        self.leaf.options.append(
            _OptionDraft(row.ref, label.removeprefix("□").strip(), row.score, min_stars)
        )

    def require_group(self, row: _Row) -> _GroupDraft:
        if self.group is None:
            raise FormParseError(row.ref, _("A criterion or option row comes before any group."))
        return self.group


def _freeze_part(part: _PartDraft, corrections: list[Correction]) -> PartSpec:
    groups = tuple(
        GroupSpec(
            key=group.key,
            label=group.label,
            max_points=group.max_points,
            criteria=tuple(_freeze_criterion(c, corrections) for c in group.criteria),
            choose_one=group.choose_one,
            note=group.note,
            ref=group.ref,
        )
        for group in part.groups
    )
    return PartSpec(
        key=part.key,
        label=part.label,
        max_points=part.max_points,
        groups=groups,
        ref=part.ref,
        note=part.note,
    )


def _freeze_criterion(draft: _CriterionDraft, corrections: list[Correction]) -> CriterionSpec:
    options = tuple(
        OptionSpec(
            key=f"{draft.key}.{index + 1}",
            label=option.label,
            points=_option_points(draft.options, index, corrections),
            min_stars=option.min_stars,
            ref=option.ref,
        )
        for index, option in enumerate(draft.options)
    )
    return CriterionSpec(
        key=draft.key,
        label=draft.label,
        max_points=draft.max_points,
        options=options,
        children=tuple(_freeze_criterion(child, corrections) for child in draft.children),
        note=draft.note,
        ref=draft.ref,
        min_stars=draft.min_stars,
    )


def _number(raw: str) -> Decimal | None:
    return Decimal(raw) if _NUMBER.match(raw) else None


def _option_points(
    options: list[_OptionDraft], index: int, corrections: list[Correction]
) -> Decimal:
    option = options[index]
    value = _number(option.raw_score)
    if value is not None:
        return value
    not_a_number = _("The option's points %(score)r are not a number.") % {
        "score": option.raw_score
    }
    if option.raw_score not in SAFE_SCORE_TYPOS:
        raise FormParseError(option.ref, not_a_number)
    corrected, reason = SAFE_SCORE_TYPOS[option.raw_score]
    before = _number(options[index - 1].raw_score) if index > 0 else None
    after = _number(options[index + 1].raw_score) if index + 1 < len(options) else None
    if before is None or after is None or not before < corrected < after:
        raise FormParseError(option.ref, not_a_number)
    corrections.append(Correction(option.ref, "score", option.raw_score, corrected, reason))
    return corrected
