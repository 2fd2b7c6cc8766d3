"""The province's years side by side, one year by sector and product set, and the
certificates ending in the next six months (issue 14).

The province stands for itself and the old provinces merged into it (as in `funnel`), on
every year it has rounds, imported history included.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from evaluations.certificates.validity import add_months
from evaluations.enums import CertificateStatus, DossierState
from evaluations.models import Certificate, Dossier, Round
from evaluations.reports.funnel import PAST_THE_CHECK, RECOGNISED_STARS, _stars_subquery
from ocop.core.models import AdministrativeUnit
from ocop.core.selectors import merged_into

EXPIRING_MONTHS = 6


def rounds_with_merged(province: AdministrativeUnit) -> QuerySet[Round]:
    """The rounds of the province and of the old provinces merged into it."""
    return Round.objects.filter(Q(province=province) | Q(province_id__in=merged_into(province.pk)))


def _counts(dossiers: QuerySet[Dossier], *group: str) -> QuerySet:
    """Per `group`: registered, submitted, past the check, recognised by stars, not
    recognised (one query)."""
    return (
        dossiers.exclude(state=DossierState.WITHDRAWN)
        .annotate(stars=_stars_subquery())
        .values(*group)
        .annotate(
            registered=Count("pk"),
            submitted=Count("pk", filter=Q(version__gte=1)),
            checked=Count("pk", filter=Q(state__in=PAST_THE_CHECK)),
            **{
                f"stars_{n}": Count("pk", filter=Q(state=DossierState.RECOGNISED, stars=n))
                for n in RECOGNISED_STARS
            },
            not_recognised=Count("pk", filter=Q(state=DossierState.NOT_RECOGNISED)),
        )
    )


@dataclass
class YearRow:
    year: int
    registered: int
    submitted: int
    checked: int
    stars: dict[int, int]
    not_recognised: int
    imported: bool

    @property
    def recognised(self) -> int:
        return sum(self.stars.values())


def years_side_by_side(province: AdministrativeUnit) -> list[YearRow]:
    """Every year with rounds, newest first (two queries)."""
    rounds = rounds_with_merged(province)
    imported_years = set(rounds.filter(import_batch__isnull=False).values_list("year", flat=True))
    rows = _counts(Dossier.objects.filter(round__in=rounds), "round__year").order_by("-round__year")
    return [
        YearRow(
            year=row["round__year"],
            registered=row["registered"],
            submitted=row["submitted"],
            checked=row["checked"],
            stars={n: row[f"stars_{n}"] for n in RECOGNISED_STARS},
            not_recognised=row["not_recognised"],
            imported=row["round__year"] in imported_years,
        )
        for row in rows
    ]


@dataclass
class SetRow:
    sector: str
    number: int
    name: str
    registered: int
    stars: dict[int, int]
    not_recognised: int

    @property
    def recognised(self) -> int:
        return sum(self.stars.values())


def by_product_set(province: AdministrativeUnit, year: int) -> list[SetRow]:
    """The year's dossiers per product set, in the classification's order (one query)."""
    dossiers = Dossier.objects.filter(round__in=rounds_with_merged(province).filter(year=year))
    rows = _counts(
        dossiers,
        "product__product_set__number",
        "product__product_set__name",
        "product__product_set__group__sector__name",
    ).order_by("product__product_set__number")
    return [
        SetRow(
            sector=row["product__product_set__group__sector__name"],
            number=row["product__product_set__number"],
            name=row["product__product_set__name"],
            registered=row["registered"],
            stars={n: row[f"stars_{n}"] for n in RECOGNISED_STARS},
            not_recognised=row["not_recognised"],
        )
        for row in rows
    ]


def expiring_certificates(certificates: QuerySet[Certificate], today: datetime.date) -> list:
    """The certificates (of those given, annotated with `current_status`: the office's
    `certificates_visible_to`) still valid that end within the next six months, soonest
    first (one query)."""
    until = add_months(today, EXPIRING_MONTHS)
    return list(
        certificates.filter(
            current_status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRING],
            valid_until__gte=today,
            valid_until__lte=until,
        )
        .select_related("producer_address_unit")
        .order_by("valid_until", "number")
    )
