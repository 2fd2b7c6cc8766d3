"""Stars: a score's band, then the cap by the form's mandatory minimums.

Bands are data (a council's or criteria version's setting), half-open: a score gets the stars of
the highest threshold it reaches (score >= threshold), so 69.99 is 3★ and 70 is 4★.

Banding is done on the exact mean, never on the published 2-decimal value: published results
round half-up (537/8 = 67.125 is published as 67.13), so 69.995 is published as 70.00 and is
still 3★. `round_half_up_2dp` gives the figure shown, `stars_for_score` takes the exact value.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import pairwise

from .spec import CriterionSpec, FormSpec

CENT = Decimal("0.01")


@dataclass(frozen=True)
class StarBands:
    """(threshold, stars) pairs, thresholds and stars both strictly descending."""

    thresholds: tuple[tuple[Decimal, int], ...]

    def __post_init__(self) -> None:
        limits = [limit for limit, _ in self.thresholds]
        stars = [count for _, count in self.thresholds]
        if not limits:
            raise ValueError("StarBands needs at least one band.")
        if any(a <= b for a, b in pairwise(limits)) or any(a <= b for a, b in pairwise(stars)):
            raise ValueError("StarBands thresholds and stars must both strictly descend.")


# QĐ 148/2023 (and 1048/2019): 5★ from 90, 4★ from 70, 3★ from 50, 2★ from 30, 1★ below.
DEFAULT_BANDS_148 = StarBands(
    (
        (Decimal(90), 5),
        (Decimal(70), 4),
        (Decimal(50), 3),
        (Decimal(30), 2),
        (Decimal(0), 1),
    )
)


def stars_for_score(*, score: Decimal, bands: StarBands) -> int:
    if not isinstance(score, Decimal):
        raise TypeError(f"A score must be a Decimal, not {type(score).__name__}.")
    for threshold, stars in bands.thresholds:
        if score >= threshold:
            return stars
    raise ValueError(f"Score {score} is below the lowest band.")


def truncate_2dp(value: Decimal) -> Decimal:
    """Cut to 2 decimals, never rounded up (69.996 → 69.99)."""
    return value.quantize(CENT, rounding=ROUND_FLOOR)


def round_half_up_2dp(value: Decimal) -> Decimal:
    """The published 2-decimal value, rounded half-up (67.125 → 67.13, 69.995 → 70.00).

    Only for showing: stars are decided on the exact value. Applied to a mean computed
    rounding toward minus infinity (`engine.council`) it gives the rounding of the true
    rational mean: a mean of totals in hundredths over n sheets is either exactly on a
    half-cent boundary (then exactly representable) or at least 0.005/n away from it, far
    more than the computation's error."""
    if not isinstance(value, Decimal):
        raise TypeError(f"A score must be a Decimal, not {type(value).__name__}.")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Requirement:
    """To hold `min_stars` or more, criterion `criterion_key` must reach `points`. From an
    option's star mark (`option_key` set) or from a mark on the criterion itself (its lowest
    option, `option_key` None)."""

    criterion_key: str
    min_stars: int
    points: Decimal
    ref: str
    option_key: str | None = None


@dataclass(frozen=True)
class CappedStars:
    stars: int
    # The unmet requirements of the lowest level that failed; empty when nothing was capped.
    failed: list[Requirement]


def minimum_requirements(form: FormSpec) -> dict[int, list[Requirement]]:
    """Requirements by star level, levels ascending, form order within a level."""
    found: dict[int, list[Requirement]] = {}
    for criterion in form.criteria():
        if criterion.min_stars is not None:
            found.setdefault(criterion.min_stars, []).append(
                Requirement(criterion.key, criterion.min_stars, _lowest(criterion), criterion.ref)
            )
        for option in criterion.options:
            if option.min_stars is not None:
                found.setdefault(option.min_stars, []).append(
                    Requirement(
                        criterion.key, option.min_stars, option.points, option.ref, option.key
                    )
                )
    return dict(sorted(found.items()))


def cap_by_minimums(
    *, form: FormSpec, band_stars: int, criterion_points: Mapping[str, Decimal]
) -> CappedStars:
    """The highest level up to `band_stars` all of whose requirements (and those of every lower
    level) are met. Requirements inside a choose-one case absent from `criterion_points` (a
    case not chosen) are skipped; any other absent criterion is an error."""
    in_cases = {
        criterion.key for group in form.groups() if group.choose_one for criterion in group.walk()
    }
    for level, requirements in minimum_requirements(form).items():
        if level > band_stars:
            break
        failed = []
        for requirement in requirements:
            points = criterion_points.get(requirement.criterion_key)
            if points is None:
                if requirement.criterion_key in in_cases:
                    continue
                raise ValueError(f"No points for criterion {requirement.criterion_key}.")
            if points < requirement.points:
                failed.append(requirement)
        if failed:
            return CappedStars(stars=level - 1, failed=failed)
    return CappedStars(stars=band_stars, failed=[])


def _lowest(criterion: CriterionSpec) -> Decimal:
    if criterion.children:
        return sum((_lowest(child) for child in criterion.children), Decimal(0))
    return min((option.points for option in criterion.options), default=Decimal(0))
