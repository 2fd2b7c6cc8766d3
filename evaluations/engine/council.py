"""A council's result from its members' score sheets.

- The score is the arithmetic mean of the submitted sheets' totals. Recused members have no
  sheet: `recused_count` (the chair included when `chair_recused`) leaves
  eligible = member_count - recused_count.
- Means are Decimal quotients computed rounding toward minus infinity (28 significant digits),
  so a computed mean never exceeds the true one: banding it gives exactly what the true
  rational mean would, and so does rounding it half-up to 2 decimals for display
  (`display_mean`, see `stars.round_half_up_2dp`). The stars come from the exact mean.
- Quorum: submitted >= quorum * eligible, and the chair submitted. A recused chair cannot
  submit, so the chair condition is then waived and the quorum rests on the fraction alone (the
  council's rules name who presides instead; that is no part of the arithmetic).
- Spread: highest minus lowest total; above `spread_threshold` the members must discuss and
  re-score before the result stands.
- Per-criterion means are over the members whose sheet counts that criterion: for a case of a
  choose-one group, the members who chose that case.
- Stars: the band of the mean, capped by the mandatory minimums using the per-criterion means.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, localcontext

from .scoring import SheetScore
from .spec import FormSpec
from .stars import Requirement, StarBands, cap_by_minimums, round_half_up_2dp, stars_for_score


@dataclass(frozen=True)
class MemberSheet:
    member_key: str
    score: SheetScore


@dataclass(frozen=True)
class CouncilResult:
    submitted_count: int
    eligible_count: int
    chair_submitted: bool
    quorum_met: bool
    mean: Decimal
    display_mean: Decimal
    spread: Decimal
    spread_exceeded: bool
    part_means: dict[str, Decimal]
    group_means: dict[str, Decimal]
    criterion_means: dict[str, Decimal]
    # Choose-one groups where members answered different cases.
    case_disagreements: tuple[str, ...]
    band_stars: int
    stars: int
    failed_minimums: list[Requirement]

    @property
    def stands(self) -> bool:
        """Whether the result may be adopted: quorum met and no excessive spread."""
        return self.quorum_met and not self.spread_exceeded


def council_result(
    *,
    form: FormSpec,
    sheets: Sequence[MemberSheet],
    member_count: int,
    chair_key: str,
    chair_recused: bool,
    recused_count: int,
    quorum: Decimal = Decimal("0.75"),
    spread_threshold: Decimal = Decimal(10),
    bands: StarBands,
) -> CouncilResult:
    eligible = member_count - recused_count
    _check_counts(sheets, member_count, recused_count, eligible, chair_key, chair_recused)
    totals = [sheet.score.total for sheet in sheets]
    mean = _mean(totals)
    criterion_means = _means_by_key(sheet.score.criteria for sheet in sheets)
    band_stars = stars_for_score(score=mean, bands=bands)
    capped = cap_by_minimums(form=form, band_stars=band_stars, criterion_points=criterion_means)
    chair_submitted = any(sheet.member_key == chair_key for sheet in sheets)
    spread = max(totals) - min(totals)
    return CouncilResult(
        submitted_count=len(sheets),
        eligible_count=eligible,
        chair_submitted=chair_submitted,
        quorum_met=Decimal(len(sheets)) >= quorum * eligible and (chair_submitted or chair_recused),
        mean=mean,
        display_mean=round_half_up_2dp(mean),
        spread=spread,
        spread_exceeded=spread > spread_threshold,
        part_means=_means_by_key(sheet.score.parts for sheet in sheets),
        group_means=_means_by_key(sheet.score.groups for sheet in sheets),
        criterion_means=criterion_means,
        case_disagreements=tuple(
            group_key
            for group_key in dict.fromkeys(k for s in sheets for k in s.score.chosen_cases)
            if len({s.score.chosen_cases.get(group_key) for s in sheets}) > 1
        ),
        band_stars=band_stars,
        stars=capped.stars,
        failed_minimums=capped.failed,
    )


def _check_counts(
    sheets: Sequence[MemberSheet],
    member_count: int,
    recused_count: int,
    eligible: int,
    chair_key: str,
    chair_recused: bool,
) -> None:
    if not 0 <= recused_count <= member_count:
        raise ValueError(f"{recused_count} recused out of {member_count} members.")
    if chair_recused and recused_count < 1:
        raise ValueError("The chair is recused, so recused_count must count the chair.")
    if not sheets:
        raise ValueError("A council result needs at least one submitted sheet.")
    keys = [sheet.member_key for sheet in sheets]
    if len(set(keys)) != len(keys):
        raise ValueError("A member submitted more than one sheet.")
    if len(sheets) > eligible:
        raise ValueError(f"{len(sheets)} sheets for {eligible} eligible members.")
    if chair_recused and chair_key in keys:
        raise ValueError("The chair is recused and cannot have a sheet counted.")


def _mean(values: Sequence[Decimal]) -> Decimal:
    with localcontext() as context:
        context.rounding = ROUND_FLOOR
        return sum(values, Decimal(0)) / len(values)


def _means_by_key(mappings: Iterable[dict[str, Decimal]]) -> dict[str, Decimal]:
    collected: dict[str, list[Decimal]] = {}
    for mapping in mappings:
        for key, value in mapping.items():
            collected.setdefault(key, []).append(value)
    return {key: _mean(values) for key, values in collected.items()}
