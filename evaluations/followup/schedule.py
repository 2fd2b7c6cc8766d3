"""The yearly self-report's calendar, pure dates (no database).

A certificate's self-report is due on each anniversary of its issue ("the anniversary year":
the report of 2027 is the one due on the 2027 anniversary), counted from the issue date each
time with `add_months`, so that a certificate of 29 February reports on 28 February in
common years and on 29 February again in leap years. An anniversary on or after the
certificate's last day (the 36th month) asks for no report: the product is re-evaluated then.
A report opens on the previous anniversary (the issue date for the first one) and may be
written late, while the certificate stands.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from evaluations.certificates.validity import add_months
from evaluations.enums import ReminderKind, SelfReportStanding


@dataclass(frozen=True)
class ReportPeriod:
    """One yearly self-report of a certificate: its year, its number (1 for the first
    anniversary), the day it opens and the day it is due."""

    year: int
    number: int
    opens_on: date
    due_on: date


def report_periods(
    issued_on: date, valid_until: date, ended_on: date | None = None
) -> list[ReportPeriod]:
    """The self-reports a certificate asks for: one per anniversary before its last day and
    before the day it stopped standing (`ended_on`: revoked or superseded), oldest first."""
    periods = []
    number = 1
    while True:
        due = add_months(issued_on, 12 * number)
        if due >= valid_until or (ended_on is not None and due >= ended_on):
            return periods
        periods.append(
            ReportPeriod(
                year=due.year,
                number=number,
                opens_on=add_months(issued_on, 12 * (number - 1)),
                due_on=due,
            )
        )
        number += 1


def period_of_year(
    issued_on: date, valid_until: date, year: int, ended_on: date | None = None
) -> ReportPeriod | None:
    """The self-report due in `year`, if the certificate asks for one that year."""
    return next(
        (p for p in report_periods(issued_on, valid_until, ended_on) if p.year == year), None
    )


def standing(period: ReportPeriod, submitted_on: date | None, today: date) -> str:
    """Where the report stands on `today`: submitted on time or late, missed (due and not
    submitted), open to write, or not open yet."""
    if submitted_on is not None:
        return (
            SelfReportStanding.SUBMITTED
            if submitted_on <= period.due_on
            else SelfReportStanding.LATE
        )
    if today > period.due_on:
        return SelfReportStanding.MISSED
    if today >= period.opens_on:
        return SelfReportStanding.OPEN
    return SelfReportStanding.UPCOMING


def reminder_due(
    period: ReportPeriod, today: date, *, days: tuple[int, ...], missed_days: int
) -> str | None:
    """The reminder a report that is not submitted calls for on `today`, if any: the first
    one from `days[0]` days before its due date, the last one from `days[-1]` days before it
    to the due date, the office's notice in the `missed_days` after it."""
    first, last = max(days), min(days)
    due = period.due_on
    if due - timedelta(days=first) <= today < due - timedelta(days=last):
        return ReminderKind.BEFORE_FIRST
    if due - timedelta(days=last) <= today <= due:
        return ReminderKind.BEFORE_LAST
    if due < today <= due + timedelta(days=missed_days):
        return ReminderKind.MISSED
    return None
