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

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

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
    # Named producers of the year's dossiers (registered), per kind ("" where not published).
    producers_by_kind: dict[str, int] = field(default_factory=dict)

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


def year_rounds(provinces, year: int, round_obj: Round | None = None) -> list[Round]:
    rounds = Round.objects.filter(province__in=provinces, year=year).select_related("regime")
    if round_obj is not None:
        rounds = rounds.filter(pk=round_obj.pk)
    return list(rounds.order_by("year", "number", "pk"))


def _final_results() -> QuerySet[LevelResult]:
    """A level's final results: an item finalised, or the central level's recorded result."""
    return LevelResult.objects.filter(Q(item__state=ItemState.FINAL) | Q(item__isnull=True))


def _first_level_q(rounds: list[Round], prefix: str = "dossier__") -> Q:
    """Results at each round's first scoring level (one query per regime, not per round)."""
    first_level = Q(pk__in=[])
    levels: dict[int, str] = {}
    for round_ in rounds:
        if round_.regime_id not in levels:
            levels[round_.regime_id] = first_scoring_level(round_.regime)
        if levels[round_.regime_id]:
            first_level |= Q(**{f"{prefix}round": round_, "level": levels[round_.regime_id]})
    return first_level


def _stars_subquery():
    """The stars of the dossier's latest recognising result."""
    return Subquery(
        _final_results()
        .filter(dossier=OuterRef("pk"), outcome__in=[Outcome.RECOGNISED, Outcome.REFERRED_DOWN])
        .order_by("-finalised_at", "-pk")
        .values("stars")[:1]
    )


# States a dossier reaches once the first level's working group let it through.
PAST_THE_CHECK = [
    DossierState.ACCEPTED,
    DossierState.UNDER_EVALUATION,
    DossierState.FORWARDED,
    DossierState.RECOGNISED,
    DossierState.NOT_RECOGNISED,
]


def funnel_by_unit(province: AdministrativeUnit, year: int, round_obj: Round | None = None):
    """Per first-level unit that received dossiers, the count at each stage (one query):
    registered, submitted, past the check, evaluated at the first scoring level, forwarded,
    recognised 3★/4★/5★, not recognised."""
    rounds = year_rounds(year_provinces(province, year), year, round_obj)
    first = _final_results().filter(_first_level_q(rounds), dossier=OuterRef("pk"))
    return list(
        Dossier.objects.filter(round__in=rounds)
        .exclude(state=DossierState.WITHDRAWN)
        .annotate(
            evaluated=Exists(first),
            forwarded=Exists(first.filter(outcome=Outcome.FORWARDED)),
            stars=_stars_subquery(),
        )
        .values("first_level_unit__code", "first_level_unit__name")
        .annotate(
            registered=Count("pk"),
            submitted=Count("pk", filter=Q(version__gte=1)),
            checked=Count("pk", filter=Q(state__in=PAST_THE_CHECK)),
            evaluated_first_level=Count("pk", filter=Q(evaluated=True)),
            forwarded_up=Count("pk", filter=Q(forwarded=True)),
            **{
                f"stars_{n}": Count("pk", filter=Q(state=DossierState.RECOGNISED, stars=n))
                for n in RECOGNISED_STARS
            },
            not_recognised=Count("pk", filter=Q(state=DossierState.NOT_RECOGNISED)),
        )
        .order_by("first_level_unit__code")
    )


def funnel(province: AdministrativeUnit, year: int, round_obj: Round | None = None) -> Funnel:
    provinces = year_provinces(province, year)
    result = Funnel(province=province, year=year, provinces=provinces)
    result.units_total = first_level_units(provinces, year)
    rounds = year_rounds(provinces, year, round_obj)
    dossiers = Dossier.objects.filter(round__in=rounds).exclude(state=DossierState.WITHDRAWN)
    result.units_participating = (
        dossiers.filter(version__gte=1).values("first_level_unit").distinct().count()
    )
    final = _final_results().filter(dossier__in=dossiers)
    at_first = final.filter(_first_level_q(rounds))
    result.evaluated_first_level = at_first.values("dossier").distinct().count()
    result.forwarded = (
        at_first.filter(outcome=Outcome.FORWARDED).values("dossier").distinct().count()
    )
    recognised = list(
        dossiers.filter(state=DossierState.RECOGNISED)
        .annotate(stars=_stars_subquery())
        .values_list("stars", "product__producer_id", "product__producer__name_published")
    )
    counted = Counter(s for s, _producer, _named in recognised)
    result.recognised = {n: counted.get(n, 0) for n in RECOGNISED_STARS}
    # Producers a published decision did not name (imported) cannot be told apart: not counted.
    result.producers_recognised = len({producer for _s, producer, named in recognised if named})
    result.not_recognised = dossiers.filter(state=DossierState.NOT_RECOGNISED).count()
    result.producers_by_kind = {
        row["product__producer__kind"]: row["producers"]
        for row in dossiers.filter(product__producer__name_published=True)
        .values("product__producer__kind")
        .annotate(producers=Count("product__producer", distinct=True))
        .order_by("product__producer__kind")
    }
    return result
