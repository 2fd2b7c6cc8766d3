"""The funnel of a province's year (issue 14): how many products each stage let through, from
registration to recognition, across both maps (decision 0020).

A province code stands for the province of that code in force during the year and for the old
provinces merged into it that were in force then: "25" in 2025 is today's Phú Thọ and, for
its first half, Hòa Bình, Vĩnh Phúc and the old Phú Thọ. The first-level units are the
districts on the old map and the communes on today's.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Q, Subquery

from evaluations.criteria.selectors import first_scoring_level
from evaluations.enums import DossierState, ItemState, Outcome
from evaluations.models import Dossier, LevelResult, Round
from ocop.core.enums import UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit
from ocop.core.selectors import merged_into

RECOGNISED_STARS = (3, 4, 5)


@dataclass
class Funnel:
    province: AdministrativeUnit
    year: int
    provinces: list[AdministrativeUnit]
    units_total: int = 0
    units_participating: int = 0
    evaluated_first_level: int = 0
    forwarded: int = 0
    recognised: dict[int, int] = field(default_factory=dict)
    not_recognised: int = 0
    producers_recognised: int = 0

    @property
    def recognised_total(self) -> int:
        return sum(self.recognised.values())


def _in_force_during(year: int) -> Q:
    start, end = date(year, 1, 1), date(year, 12, 31)
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=start)
    )


def province_of_year(code: str, year: int) -> AdministrativeUnit | None:
    """The province of that code in force during the year (the newest, when the code
    changed hands that year), else None."""
    return (
        AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, code=code)
        .filter(_in_force_during(year))
        .order_by("-valid_from", "-pk")
        .first()
    )


def year_provinces(province: AdministrativeUnit, year: int) -> list[AdministrativeUnit]:
    """`province` and the old provinces merged into it that were in force during the year."""
    older = AdministrativeUnit.objects.filter(
        _in_force_during(year), level=UnitLevel.PROVINCE, pk__in=merged_into(province.pk)
    ).exclude(pk=province.pk)
    return [province, *older.order_by("code")]


def first_level_units(provinces: list[AdministrativeUnit], year: int) -> int:
    """The first-level units of those provinces in force during the year: districts on the
    old map, communes on today's."""
    q = Q(pk__in=[])
    for province in provinces:
        level = UnitLevel.COMMUNE if province.scheme == UnitScheme.TWO_TIER else UnitLevel.DISTRICT
        q |= Q(parent=province, level=level)
    return AdministrativeUnit.objects.filter(q).filter(_in_force_during(year)).count()


def funnel(province: AdministrativeUnit, year: int, round_obj: Round | None = None) -> Funnel:
    provinces = year_provinces(province, year)
    result = Funnel(province=province, year=year, provinces=provinces)
    result.units_total = first_level_units(provinces, year)
    rounds = Round.objects.filter(province__in=provinces, year=year).select_related("regime")
    if round_obj is not None:
        rounds = rounds.filter(pk=round_obj.pk)
    rounds = list(rounds)
    dossiers = Dossier.objects.filter(round__in=rounds).exclude(state=DossierState.WITHDRAWN)
    result.units_participating = (
        dossiers.filter(version__gte=1).values("first_level_unit").distinct().count()
    )
    # A level's final results (an item finalised, or the central level's recorded result).
    final = LevelResult.objects.filter(
        Q(item__state=ItemState.FINAL) | Q(item__isnull=True), dossier__in=dossiers
    )
    first_level = Q(pk__in=[])
    levels: dict[int, str] = {}  # by regime: one query each, whatever the number of rounds
    for round_ in rounds:
        if round_.regime_id not in levels:
            levels[round_.regime_id] = first_scoring_level(round_.regime)
        if levels[round_.regime_id]:
            first_level |= Q(dossier__round=round_, level=levels[round_.regime_id])
    at_first = final.filter(first_level)
    result.evaluated_first_level = at_first.values("dossier").distinct().count()
    result.forwarded = (
        at_first.filter(outcome=Outcome.FORWARDED).values("dossier").distinct().count()
    )
    stars = (
        final.filter(
            dossier=OuterRef("pk"), outcome__in=[Outcome.RECOGNISED, Outcome.REFERRED_DOWN]
        )
        .order_by("-finalised_at", "-pk")
        .values("stars")[:1]
    )
    recognised = list(
        dossiers.filter(state=DossierState.RECOGNISED)
        .annotate(stars=Subquery(stars))
        .values_list("stars", "product__producer_id")
    )
    counted = Counter(s for s, _ in recognised)
    result.recognised = {n: counted.get(n, 0) for n in RECOGNISED_STARS}
    result.producers_recognised = len({producer for _, producer in recognised})
    result.not_recognised = dossiers.filter(state=DossierState.NOT_RECOGNISED).count()
    return result
