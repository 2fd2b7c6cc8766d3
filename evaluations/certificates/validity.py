"""Pure helpers for certificates: validity dates, numbers and the status a reader sees."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, CharField, Q, QuerySet, Value, When

from evaluations.enums import CertificateStatus
from ocop.core.search import fold


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31/1 + 1 → 28/2)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(issued_on: date) -> date:
    return add_months(issued_on, settings.OCOP_CERTIFICATE_VALID_MONTHS)


def expiring_from(valid_until_day: date) -> date:
    """The first day a certificate ending on `valid_until_day` reads "expiring": the same day
    `OCOP_CERTIFICATE_EXPIRING_MONTHS` calendar months before its end (clamped to a shorter
    month's last day, as `add_months` does)."""
    return add_months(valid_until_day, -settings.OCOP_CERTIFICATE_EXPIRING_MONTHS)


def latest_expiring_until(today: date) -> date:
    """The latest end date of a certificate that is already in its expiring window today:
    a valid certificate is expiring today exactly when `today <= valid_until <= this day`.

    `expiring_from` never decreases as the end date grows, so the set of end dates whose
    window has started is everything up to one day; this finds that day, so that SQL filters
    on the stored `valid_until` (and its index) agree with `status_on` on every day."""
    months = settings.OCOP_CERTIFICATE_EXPIRING_MONTHS
    # add_months(today, months) has its window starting on or before today; at most three
    # more days (a clamped 29th-31st) can also have started.
    day = add_months(today, months)
    while expiring_from(day + timedelta(days=1)) <= today:
        day += timedelta(days=1)
    return day


def certified_values(product) -> dict:
    """What a certificate freezes of its product and producer when it is issued
    (docs/decisions/0013-certificate-snapshot.md)."""
    producer = product.producer
    return {
        "product_name": product.name,
        "product_set_id": product.product_set_id,
        "producer_name": producer.name,
        "producer_kind": producer.kind,
        "producer_address": producer.full_address,
        "producer_address_unit_id": producer.address_unit_id,
        "search_text": search_text(product.name, producer.name, producer.name_published),
    }


def mark_latest(certificate) -> None:
    """Record whether a certificate just written is its product's latest (`latest`): not
    when one of the product's was issued later (an import of an older decision), else it is
    and the product's others are no longer. Call with the product's row locked."""
    others = (
        type(certificate)
        .objects.filter(product_id=certificate.product_id)
        .exclude(pk=certificate.pk)
    )
    if others.filter(issued_on__gt=certificate.issued_on).exists():
        certificate.latest = False
        certificate.save(update_fields=["latest"])
    else:
        others.filter(latest=True).update(latest=False)


SEARCH_TEXT_MAX_LENGTH = 401


def search_text(product_name: str, producer_name: str, name_published: bool = True) -> str:
    """What the catalogue searches of a certificate: the product's name and the producer's
    (only when a decision published it: the placeholder of unnamed producers is no name),
    folded (ocop.core.search.fold); cut to the column's length, which folding can exceed."""
    words = f"{product_name} {producer_name}" if name_published else product_name
    return fold(words)[:SEARCH_TEXT_MAX_LENGTH]


def certificate_number(*, province: str, year: int, sequence: int) -> str:
    return settings.OCOP_CERTIFICATE_NUMBER_FORMAT.format(
        province=province, year=year, sequence=sequence
    )


def status_on(certificate, today: date) -> str:
    """valid / expiring / expired / revoked / superseded, by the stored status and the dates
    (a certificate past its date reads "expired" before the daily command has marked it)."""
    if certificate.status != CertificateStatus.VALID:
        return certificate.status
    if certificate.valid_until < today:
        return CertificateStatus.EXPIRED
    if expiring_from(certificate.valid_until) <= today:
        return CertificateStatus.EXPIRING
    return CertificateStatus.VALID


def status_q(status: str, today: date) -> Q:
    """Certificates whose standing today (`status_on`) is `status`, as conditions on the
    stored status and validity date, which an index on (status, valid_until) serves (the
    CASE of `with_status` can be neither estimated nor indexed)."""
    horizon = latest_expiring_until(today)
    valid = Q(status=CertificateStatus.VALID)
    return {
        CertificateStatus.VALID: valid & Q(valid_until__gt=horizon),
        CertificateStatus.EXPIRING: valid & Q(valid_until__gte=today, valid_until__lte=horizon),
        CertificateStatus.EXPIRED: Q(status=CertificateStatus.EXPIRED)
        | (valid & Q(valid_until__lt=today)),
    }.get(status, Q(status=status))


def with_status(queryset: QuerySet, today: date) -> QuerySet:
    """The queryset annotated with `current_status` (as `status_on`), for filtering in SQL."""
    horizon = latest_expiring_until(today)
    return queryset.annotate(
        current_status=Case(
            When(~Q(status=CertificateStatus.VALID), then="status"),
            When(valid_until__lt=today, then=Value(CertificateStatus.EXPIRED.value)),
            When(valid_until__lte=horizon, then=Value(CertificateStatus.EXPIRING.value)),
            default=Value(CertificateStatus.VALID.value),
            output_field=CharField(),
        )
    )
