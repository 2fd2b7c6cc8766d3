"""The shape of a scoring form, as plain immutable data.

Every node has a `key`, stable within its form (e.g. "A", "A.1", "A.1.a", "A.1.a.3"), which
answers and results refer to, and a `ref`: where it came from (a CSV row number such as
"row 12", or a database id), used only in messages.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

# Part maxima of the criteria versions, passed to the importer and the validator.
PART_MAXIMA_148_2023: dict[str, Decimal] = {"A": Decimal(40), "B": Decimal(25), "C": Decimal(35)}
PART_MAXIMA_1048_2019: dict[str, Decimal] = {"A": Decimal(35), "B": Decimal(25), "C": Decimal(40)}


@dataclass(frozen=True)
class OptionSpec:
    key: str
    label: str
    points: Decimal
    # Mandatory minimum: the product can be ranked at `min_stars` or above only if it reaches
    # at least `points` on this option's criterion. None for an ordinary option.
    min_stars: int | None = None
    ref: str = ""


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion is answered by picking one option, or is a heading over sub-criteria
    ("a) Ngoại hình" over "- Tạp chất", "- Hình dạng…"), whose points are their sum."""

    key: str
    label: str
    # The form's stated maximum; None when the form leaves it empty (then: best option).
    max_points: Decimal | None
    options: tuple[OptionSpec, ...] = ()
    children: tuple["CriterionSpec", ...] = ()
    note: str = ""
    ref: str = ""
    # A mark on the criterion itself ("e) Sở hữu trí tuệ****"): to be ranked at `min_stars` or
    # above, the product must reach at least this criterion's lowest option.
    min_stars: int | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def best_option_points(self) -> Decimal | None:
        return max((option.points for option in self.options), default=None)

    @property
    def effective_max(self) -> Decimal:
        """The stated maximum; if empty, the children's sum (heading) or the best option."""
        if self.max_points is not None:
            return self.max_points
        if self.children:
            return sum((child.effective_max for child in self.children), Decimal(0))
        best = self.best_option_points
        return Decimal(0) if best is None else best

    def walk(self) -> Iterator["CriterionSpec"]:
        """This criterion and all its sub-criteria, depth first, in form order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator["CriterionSpec"]:
        return (criterion for criterion in self.walk() if criterion.is_leaf)


@dataclass(frozen=True)
class GroupSpec:
    """A criterion group ("1. TỔ CHỨC SẢN XUẤT").

    With `choose_one`, the group's criteria are alternative cases ("Lựa chọn một trong hai
    trường hợp sau"): the scorer picks the case that applies, only that case is answered and
    counted, and each case's maximum equals the group's.
    """

    key: str
    label: str
    max_points: Decimal
    criteria: tuple[CriterionSpec, ...]
    choose_one: bool = False
    note: str = ""
    ref: str = ""

    def walk(self) -> Iterator[CriterionSpec]:
        for criterion in self.criteria:
            yield from criterion.walk()


@dataclass(frozen=True)
class PartSpec:
    key: str  # "A", "B", "C"
    label: str
    max_points: Decimal
    groups: tuple[GroupSpec, ...]
    ref: str = ""
    note: str = ""


@dataclass(frozen=True)
class FormSpec:
    key: str  # e.g. "148/2023:01"
    label: str
    parts: tuple[PartSpec, ...]
    # The criteria version's part maxima, e.g. {"A": 40, "B": 25, "C": 35} under 148/2023.
    expected_part_maxima: dict[str, Decimal] = field(default_factory=dict)
    expected_total: Decimal = Decimal(100)

    def groups(self) -> Iterator[GroupSpec]:
        for part in self.parts:
            yield from part.groups

    def criteria(self) -> Iterator[CriterionSpec]:
        """Every criterion, sub-criteria included, in form order."""
        for group in self.groups():
            yield from group.walk()

    def leaf_criteria(self) -> Iterator[CriterionSpec]:
        return (criterion for criterion in self.criteria() if criterion.is_leaf)
