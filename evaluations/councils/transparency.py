"""What a council's result tells the producer and the office: pure functions over the
engine's FormSpec and a LevelResult's `details` (see `services.scoring.item_finalise`).
No database.

`details` holds the council's means by part, group and criterion and the mandatory minimums
the product failed. Read back from the database its decimals are strings (DjangoJSONEncoder);
fresh from the service they are Decimals: both are accepted.

Nothing here reads a member's sheet: the producer sees the council's means, never who gave
what. The leniency figures (`leniency`) are for the council's chair and secretary.
"""

from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from evaluations.engine.spec import CriterionSpec, FormSpec, GroupSpec
from evaluations.engine.stars import round_half_up_2dp
from evaluations.intake.selfassessment import first_line

IMPROVEMENT_PLAN_SIZE = 10
CENT = Decimal("0.01")


def decimals(raw: Mapping[str, object] | None) -> dict[str, Decimal]:
    """A mapping of key → number as stored in `details` → key → Decimal."""
    return {key: Decimal(str(value)) for key, value in (raw or {}).items()}


def one_line(label: str) -> str:
    """A multi-line label ("Phần A\\nSẢN PHẨM…") on one line."""
    return " ".join(line.strip() for line in label.strip().splitlines() if line.strip())


class _MeanOfMax:
    """A council mean out of a maximum, as the pages show it."""

    mean: Decimal | None
    max_points: Decimal

    @property
    def shown(self) -> Decimal | None:
        """The mean as published: 2 decimals, rounded half-up."""
        return None if self.mean is None else round_half_up_2dp(self.mean)

    @property
    def gap(self) -> Decimal | None:
        """Points lost: the maximum minus the mean."""
        return None if self.mean is None else self.max_points - self.mean

    @property
    def gap_shown(self) -> Decimal | None:
        """Points lost, 2 decimals (the complement of the mean shown, so the two add up)."""
        return None if self.mean is None else self.max_points - round_half_up_2dp(self.mean)

    @property
    def percent(self) -> int:
        """The mean as a whole percentage of the maximum (0–100), for a bar."""
        if self.mean is None or self.max_points <= 0:
            return 0
        share = (self.mean * 100 / self.max_points).to_integral_value(rounding=ROUND_FLOOR)
        return max(0, min(100, int(share)))


@dataclass(frozen=True)
class FailedMinimum:
    """A mandatory minimum not reached: to be ranked `stars`★ or more, criterion `key` needs
    at least `points`; the council's mean was `mean`."""

    key: str
    label: str
    context: str
    stars: int
    points: Decimal
    mean: Decimal | None

    @property
    def mean_shown(self) -> Decimal | None:
        return None if self.mean is None else round_half_up_2dp(self.mean)


@dataclass(frozen=True)
class CriterionRow(_MeanOfMax):
    key: str
    label: str
    depth: int
    is_leaf: bool
    mean: Decimal | None
    max_points: Decimal
    failed: tuple[FailedMinimum, ...] = ()


@dataclass(frozen=True)
class GroupBlock(_MeanOfMax):
    key: str
    label: str
    mean: Decimal | None
    max_points: Decimal
    rows: tuple[CriterionRow, ...]
    # For a choose-one group: the case(s) the council scored.
    choose_one: bool = False


@dataclass(frozen=True)
class PartRow(_MeanOfMax):
    key: str
    label: str
    mean: Decimal | None
    max_points: Decimal
    groups: tuple[GroupBlock, ...] = ()


@dataclass(frozen=True)
class Gap(_MeanOfMax):
    """A criterion where points were lost (an item of the improvement plan)."""

    key: str
    label: str
    context: str
    mean: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class ResultReport:
    parts: tuple[PartRow, ...]
    failed_minimums: tuple[FailedMinimum, ...]
    gaps: tuple[Gap, ...]

    @property
    def total_max(self) -> Decimal:
        return sum((part.max_points for part in self.parts), Decimal(0))


# --- the form's criteria, with where they sit ---------------------------------------------


@dataclass(frozen=True)
class _Placed:
    criterion: CriterionSpec
    group: GroupSpec
    parent: CriterionSpec | None
    depth: int
    order: int


def _placed(spec: FormSpec) -> Iterator[_Placed]:
    order = 0

    def walk(criterion, group, parent, depth):
        nonlocal order
        order += 1
        yield _Placed(criterion, group, parent, depth, order)
        for child in criterion.children:
            yield from walk(child, group, criterion, depth + 1)

    for group in spec.groups():
        for criterion in group.criteria:
            yield from walk(criterion, group, None, 0)


def _context(placed: _Placed) -> str:
    """Where a criterion sits: its group, and its heading for a sub-criterion."""
    context = first_line(placed.group.label)
    if placed.parent is not None:
        context = f"{context} › {first_line(placed.parent.label)}"
    return context


def _counted(group: GroupSpec, criteria: Mapping[str, Decimal]) -> tuple[CriterionSpec, ...]:
    """The criteria of a group the council scored: all of them, or for a choose-one group
    the case(s) its members answered (those with a mean)."""
    if not group.choose_one:
        return group.criteria
    return tuple(case for case in group.criteria if case.key in criteria)


# --- the reports --------------------------------------------------------------------------


def failed_minimums(spec: FormSpec, details: Mapping) -> list[FailedMinimum]:
    """The mandatory minimums the product failed, with the criterion's label and mean."""
    criteria = decimals(details.get("criteria"))
    by_key = {p.criterion.key: p for p in _placed(spec)}
    failed = []
    for entry in details.get("failed_minimums") or ():
        key = entry["criterion"]
        placed = by_key.get(key)
        failed.append(
            FailedMinimum(
                key=key,
                label=first_line(placed.criterion.label) if placed else key,
                context=_context(placed) if placed else "",
                stars=int(entry["stars"]),
                points=Decimal(str(entry["points"])),
                mean=criteria.get(key),
            )
        )
    return failed


def part_rows(spec: FormSpec, details: Mapping) -> list[PartRow]:
    """Each part's mean against its maximum, with its groups and criteria (the criteria of
    the cases not scored left out)."""
    parts = decimals(details.get("parts"))
    groups = decimals(details.get("groups"))
    criteria = decimals(details.get("criteria"))
    failed_by_key: dict[str, list[FailedMinimum]] = {}
    for failed in failed_minimums(spec, details):
        failed_by_key.setdefault(failed.key, []).append(failed)

    def rows(criterion: CriterionSpec, depth: int) -> Iterator[CriterionRow]:
        yield CriterionRow(
            key=criterion.key,
            label=first_line(criterion.label),
            depth=depth,
            is_leaf=criterion.is_leaf,
            mean=criteria.get(criterion.key),
            max_points=criterion.effective_max,
            failed=tuple(failed_by_key.get(criterion.key, ())),
        )
        for child in criterion.children:
            yield from rows(child, depth + 1)

    return [
        PartRow(
            key=part.key,
            label=one_line(part.label),
            mean=parts.get(part.key),
            max_points=part.max_points,
            groups=tuple(
                GroupBlock(
                    key=group.key,
                    label=first_line(group.label),
                    mean=groups.get(group.key),
                    max_points=group.max_points,
                    rows=tuple(
                        row for criterion in _counted(group, criteria) for row in rows(criterion, 0)
                    ),
                    choose_one=group.choose_one,
                )
                for group in part.groups
            ),
        )
        for part in spec.parts
    ]


def gaps(spec: FormSpec, details: Mapping, limit: int | None = IMPROVEMENT_PLAN_SIZE) -> list[Gap]:
    """Where points were lost: the scored leaf criteria by gap (maximum − mean), largest
    first, ties in form order; criteria at their maximum are left out."""
    criteria = decimals(details.get("criteria"))
    counted: set[str] = set()
    for group in spec.groups():
        for criterion in _counted(group, criteria):
            counted |= {leaf.key for leaf in criterion.leaves()}
    found = []
    for placed in _placed(spec):
        criterion = placed.criterion
        if not criterion.is_leaf or criterion.key not in counted:
            continue
        mean = criteria.get(criterion.key)
        if mean is None or criterion.effective_max - mean <= 0:
            continue
        found.append(
            (
                criterion.effective_max - mean,
                placed.order,
                Gap(
                    key=criterion.key,
                    label=first_line(criterion.label),
                    context=_context(placed),
                    mean=mean,
                    max_points=criterion.effective_max,
                ),
            )
        )
    found.sort(key=lambda entry: (-entry[0], entry[1]))
    chosen = found if limit is None else found[:limit]
    return [gap for _, _, gap in chosen]


def result_report(
    spec: FormSpec, details: Mapping, gap_limit: int | None = IMPROVEMENT_PLAN_SIZE
) -> ResultReport:
    return ResultReport(
        parts=tuple(part_rows(spec, details)),
        failed_minimums=tuple(failed_minimums(spec, details)),
        gaps=tuple(gaps(spec, details, gap_limit)),
    )


# --- leniency -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Leniency:
    """How a member's totals compare with the council's means over the products they
    scored: deviation = member's total − the product's mean (positive: more lenient)."""

    member: Hashable
    count: int
    mean_deviation: Decimal | None
    min_deviation: Decimal | None
    max_deviation: Decimal | None

    @staticmethod
    def _round(value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def mean_shown(self) -> Decimal | None:
        return self._round(self.mean_deviation)

    @property
    def min_shown(self) -> Decimal | None:
        return self._round(self.min_deviation)

    @property
    def max_shown(self) -> Decimal | None:
        return self._round(self.max_deviation)


def leniency(
    totals: Iterable[tuple[Hashable, Hashable, Decimal]],
    means: Mapping[Hashable, Decimal],
    members: Iterable[Hashable] = (),
) -> list[Leniency]:
    """Per member (those of `members` first, in that order, then any other in order of
    appearance): the products scored and the deviations of their totals from the products'
    means. `totals`: (member, product, total) of the sheets counted; `means`: product → the
    council's mean. Totals of products without a mean are ignored."""
    deviations: dict[Hashable, list[Decimal]] = {member: [] for member in members}
    for member, product, total in totals:
        if product not in means:
            continue
        deviations.setdefault(member, []).append(Decimal(total) - Decimal(means[product]))
    return [
        Leniency(
            member=member,
            count=len(values),
            mean_deviation=sum(values, Decimal(0)) / len(values) if values else None,
            min_deviation=min(values, default=None),
            max_deviation=max(values, default=None),
        )
        for member, values in deviations.items()
    ]
