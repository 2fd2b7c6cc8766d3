"""The self-report calendar (evaluations.followup.schedule): anniversaries from the issue
date, 29 February and month ends, the standing of a report on a day and the reminder windows,
checked on every issue day of four years (a leap year among them)."""

import datetime

import pytest

from evaluations.certificates.validity import add_months
from evaluations.enums import ReminderKind, SelfReportStanding
from evaluations.followup.schedule import (
    ReportPeriod,
    period_of_year,
    reminder_due,
    report_periods,
    standing,
)

D = datetime.date
DAYS = (30, 7)


def _periods(issued_on):
    return report_periods(issued_on, add_months(issued_on, 36))


def test_a_certificate_of_36_months_asks_for_two_reports():
    periods = _periods(D(2026, 3, 10))

    assert periods == [
        ReportPeriod(year=2027, number=1, opens_on=D(2026, 3, 10), due_on=D(2027, 3, 10)),
        ReportPeriod(year=2028, number=2, opens_on=D(2027, 3, 10), due_on=D(2028, 3, 10)),
    ]


def test_a_certificate_of_29_february_reports_on_28_february_then_29_again():
    periods = report_periods(D(2028, 2, 29), add_months(D(2028, 2, 29), 60))

    assert [p.due_on for p in periods] == [
        D(2029, 2, 28),
        D(2030, 2, 28),
        D(2031, 2, 28),
        D(2032, 2, 29),
    ]
    assert [p.opens_on for p in periods] == [
        D(2028, 2, 29),
        D(2029, 2, 28),
        D(2030, 2, 28),
        D(2031, 2, 28),
    ]


def test_a_certificate_of_a_31st_reports_on_the_31st():
    assert [p.due_on for p in _periods(D(2027, 8, 31))] == [D(2028, 8, 31), D(2029, 8, 31)]
    assert [p.due_on for p in _periods(D(2027, 12, 31))] == [D(2028, 12, 31), D(2029, 12, 31)]


def test_a_revoked_or_superseded_certificate_asks_for_none_after_it_ended():
    issued = D(2026, 5, 1)
    until = add_months(issued, 36)

    assert report_periods(issued, until, ended_on=D(2027, 5, 1)) == []
    assert [p.year for p in report_periods(issued, until, ended_on=D(2027, 5, 2))] == [2027]


def test_every_issue_day_of_four_years_gives_two_reports_in_distinct_years():
    day = D(2026, 1, 1)
    while day < D(2030, 1, 1):
        periods = _periods(day)
        assert len(periods) == 2, day
        assert [p.year for p in periods] == [day.year + 1, day.year + 2], day
        assert periods[0].opens_on == day
        assert periods[1].opens_on == periods[0].due_on
        for number, period in enumerate(periods, start=1):
            assert period.due_on == add_months(day, 12 * number)
            assert period_of_year(day, add_months(day, 36), period.year) == period
        assert period_of_year(day, add_months(day, 36), day.year) is None
        day += datetime.timedelta(days=1)


PERIOD = ReportPeriod(year=2028, number=1, opens_on=D(2027, 2, 28), due_on=D(2028, 2, 29))


@pytest.mark.parametrize(
    ("submitted", "today", "expected"),
    [
        (None, D(2027, 2, 27), SelfReportStanding.UPCOMING),
        (None, D(2027, 2, 28), SelfReportStanding.OPEN),
        (None, D(2028, 2, 29), SelfReportStanding.OPEN),
        (None, D(2028, 3, 1), SelfReportStanding.MISSED),
        (D(2028, 2, 29), D(2028, 3, 1), SelfReportStanding.SUBMITTED),
        (D(2028, 3, 1), D(2028, 3, 1), SelfReportStanding.LATE),
    ],
)
def test_standing_on_a_day(submitted, today, expected):
    assert standing(PERIOD, submitted, today) == expected


def test_the_reminder_windows_around_29_february():
    due = PERIOD.due_on
    kinds = {}
    day = due - datetime.timedelta(days=40)
    while day <= due + datetime.timedelta(days=40):
        kinds[day] = reminder_due(PERIOD, day, days=DAYS, missed_days=30)
        day += datetime.timedelta(days=1)

    first = [d for d, k in kinds.items() if k == ReminderKind.BEFORE_FIRST]
    last = [d for d, k in kinds.items() if k == ReminderKind.BEFORE_LAST]
    missed = [d for d, k in kinds.items() if k == ReminderKind.MISSED]
    assert (first[0], first[-1]) == (D(2028, 1, 30), D(2028, 2, 21))
    assert (last[0], last[-1]) == (D(2028, 2, 22), D(2028, 2, 29))
    assert (missed[0], missed[-1]) == (D(2028, 3, 1), D(2028, 3, 30))
    assert len(first) + len(last) + len(missed) == 23 + 8 + 30
