"""The expiring window over every day of 2024-2031, leap days and month ends included:
a valid certificate reads "expiring" exactly in the last 6 calendar months before its end,
and the SQL annotation (`with_status`) agrees with `status_on` (on `SQL_DAYS`)."""

import datetime
from types import SimpleNamespace

from dateutil.relativedelta import relativedelta
from django.db.models import Case, DateField, Value, When
from django.test import override_settings

from evaluations.certificates.validity import latest_expiring_until, status_on, with_status
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate

VALID, EXPIRING, EXPIRED = (
    CertificateStatus.VALID,
    CertificateStatus.EXPIRING,
    CertificateStatus.EXPIRED,
)
ONE_DAY = datetime.timedelta(days=1)


def every_day(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


DAYS = list(every_day(datetime.date(2024, 1, 1), datetime.date(2031, 12, 31)))


# The days the SQL annotation is checked on: every day of two years around 29 February 2028,
# and every month's last and first days of the whole range. The SQL only compares the end
# date with today and with `latest_expiring_until(today)`, which is checked in Python on
# every day of the range above; a round trip per day for eight years cost half a minute.
SQL_DAYS = [
    d
    for d in DAYS
    if datetime.date(2027, 3, 1) <= d <= datetime.date(2029, 2, 28) or d.day >= 28 or d.day <= 2
]


def test_the_range_holds_the_days_that_clamp():
    assert len(DAYS) == 2922
    assert sum(1 for d in DAYS if (d.month, d.day) == (2, 29)) == 2  # 2024 and 2028
    assert sum(1 for d in DAYS if d.day == 31) == 7 * 8
    assert {d for d in SQL_DAYS if (d.month, d.day) == (2, 29)} == {
        datetime.date(2024, 2, 29),
        datetime.date(2028, 2, 29),
    }
    assert sum(1 for d in SQL_DAYS if d.day == 31) == 7 * 8


@override_settings(OCOP_CERTIFICATE_EXPIRING_MONTHS=6)
def test_the_window_is_exactly_the_last_six_calendar_months():
    # Every end date whose window starts in the range, each checked at both edges.
    for end in every_day(datetime.date(2024, 7, 1), datetime.date(2032, 6, 30)):
        start = end - relativedelta(months=6)  # the same day, or the shorter month's last
        certificate = SimpleNamespace(status=VALID, valid_until=end)
        assert status_on(certificate, start - ONE_DAY) == VALID, end
        assert status_on(certificate, start) == EXPIRING, end
        assert status_on(certificate, end) == EXPIRING, end
        assert status_on(certificate, end + ONE_DAY) == EXPIRED, end


@override_settings(OCOP_CERTIFICATE_EXPIRING_MONTHS=6)
def test_month_ends_start_the_window_on_the_shorter_months_last_day():
    def first_expiring_day(end):
        return next(
            day
            for day in every_day(end - datetime.timedelta(days=200), end)
            if status_on(SimpleNamespace(status=VALID, valid_until=end), day) == EXPIRING
        )

    assert first_expiring_day(datetime.date(2029, 11, 30)) == datetime.date(2029, 5, 30)
    assert first_expiring_day(datetime.date(2027, 8, 31)) == datetime.date(2027, 2, 28)
    assert first_expiring_day(datetime.date(2028, 8, 31)) == datetime.date(2028, 2, 29)
    assert first_expiring_day(datetime.date(2028, 8, 29)) == datetime.date(2028, 2, 29)
    assert first_expiring_day(datetime.date(2027, 5, 31)) == datetime.date(2026, 11, 30)


@override_settings(OCOP_CERTIFICATE_EXPIRING_MONTHS=6)
def test_latest_expiring_until_is_the_last_end_date_whose_window_has_started():
    for today in DAYS:
        last = latest_expiring_until(today)
        assert last - relativedelta(months=6) <= today, today
        assert (last + ONE_DAY) - relativedelta(months=6) > today, today


def last_end_in_window(today: datetime.date) -> datetime.date:
    """The oracle for the boundary: the latest end date whose last 6 calendar months have
    begun by `today`, found by walking forward with dateutil's month arithmetic."""
    end = today
    while (end + ONE_DAY) - relativedelta(months=6) <= today:
        end += ONE_DAY
    return end


@override_settings(OCOP_CERTIFICATE_EXPIRING_MONTHS=6)
def test_sql_and_python_agree_on_every_day(certificates):
    first, second = certificates
    pks = [first.pk, second.pk]
    Certificate.objects.filter(pk__in=pks).update(issued_on=datetime.date(2020, 1, 1))
    disagreements = []
    for today in SQL_DAYS:
        boundary = last_end_in_window(today)
        pairs = [(boundary, boundary + ONE_DAY)]  # the last "expiring" end, the first "valid"
        if (today + ONE_DAY).day in (1, 2) or today.day >= 28:
            pairs.append((today - ONE_DAY, today))  # the last "expired" end, the first not
        for ends in pairs:
            Certificate.objects.filter(pk__in=pks).update(
                valid_until=Case(
                    When(pk=first.pk, then=Value(ends[0])),
                    default=Value(ends[1]),
                    output_field=DateField(),
                )
            )
            in_sql = dict(
                with_status(Certificate.objects.filter(pk__in=pks), today).values_list(
                    "pk", "current_status"
                )
            )
            for pk, end in zip(pks, ends, strict=True):
                in_python = status_on(SimpleNamespace(status=VALID, valid_until=end), today)
                if in_sql[pk] != in_python:
                    disagreements.append((today, end, in_sql[pk], in_python))
    assert disagreements == []
