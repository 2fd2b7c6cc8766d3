"""Pure helpers for certificates: validity dates, numbers and the status a reader sees."""

import calendar
from datetime import date

from django.conf import settings
from django.db.models import Case, CharField, Q, QuerySet, Value, When

from evaluations.enums import CertificateStatus


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31/1 + 1 → 28/2)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(issued_on: date) -> date:
    return add_months(issued_on, settings.OCOP_CERTIFICATE_VALID_MONTHS)


def expiring_horizon(today: date) -> date:
    """A valid certificate ending before this day is "expiring" today."""
    return add_months(today, settings.OCOP_CERTIFICATE_EXPIRING_MONTHS)


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
    if certificate.valid_until < expiring_horizon(today):
        return CertificateStatus.EXPIRING
    return CertificateStatus.VALID


def with_status(queryset: QuerySet, today: date) -> QuerySet:
    """The queryset annotated with `current_status` (as `status_on`), for filtering in SQL."""
    horizon = expiring_horizon(today)
    return queryset.annotate(
        current_status=Case(
            When(~Q(status=CertificateStatus.VALID), then="status"),
            When(valid_until__lt=today, then=Value(CertificateStatus.EXPIRED.value)),
            When(valid_until__lt=horizon, then=Value(CertificateStatus.EXPIRING.value)),
            default=Value(CertificateStatus.VALID.value),
            output_field=CharField(),
        )
    )
