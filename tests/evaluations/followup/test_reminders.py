"""`manage.py send_followup_reminders`: the producers' reminders 30 and 7 days before a yearly
self-report is due and the office's notice of a missed one, each once, run day after day
across the due date (month ends and 29 February included, on the run's day and on the fixed
days of tests/conftest.py)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils.formats import date_format

from evaluations.certificates.validity import add_months
from evaluations.enums import CertificateStatus, ReminderKind
from evaluations.followup.schedule import report_periods
from evaluations.followup.services import followup_reminders, self_report_save
from evaluations.models import Certificate, SelfReportReminder
from ocop.core.models import Notification
from tests.evaluations.followup.conftest import owner_of, today
from tests.fixtures.tasks import run_queued_tasks

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DAY = datetime.timedelta(days=1)


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("send_followup_reminders", *args, stdout=out)
    return out.getvalue().splitlines()


def _due_soon(world, due: datetime.date, **kwargs) -> Certificate:
    """A certificate whose first self-report is due on `due`."""
    return world.certificate(issued_on=add_months(due, -12), **kwargs)


def _every_day(start, end, callbacks, certificate=None):
    """Run the reminders each day from `start` to `end`: {day: [(kind, number)]} (of
    `certificate` only, when given)."""
    sent = {}
    day = start
    while day <= end:
        with callbacks(execute=True):
            report = followup_reminders(today=day)
        run_queued_tasks()
        found = [
            (r.kind, r.certificate.number)
            for r in report.sent
            if certificate is None or r.certificate == certificate
        ]
        if found:
            sent[day] = found
        day += DAY
    return sent


def test_each_reminder_goes_once_across_the_due_date(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    due = today() + datetime.timedelta(days=40)
    certificate = _due_soon(world, due, name="Mật ong bạc hà")
    (period, _second) = report_periods(certificate.issued_on, certificate.valid_until)
    assert period.due_on == due

    sent = _every_day(
        due - datetime.timedelta(days=45),
        due + datetime.timedelta(days=45),
        django_capture_on_commit_callbacks,
    )

    number = certificate.number
    assert sent == {
        due - datetime.timedelta(days=30): [(ReminderKind.BEFORE_FIRST, number)],
        due - datetime.timedelta(days=7): [(ReminderKind.BEFORE_LAST, number)],
        due + DAY: [(ReminderKind.MISSED, number)],
    }
    date = date_format(due, "SHORT_DATE_FORMAT")
    producer_mails = [m for m in mailoutbox if m.to == [owner_of(certificate).email]]
    assert [m.subject for m in producer_mails] == [
        f"OCOP self-report due on {date}: Mật ong bạc hà",
        f"OCOP self-report due on {date}: Mật ong bạc hà",
    ]
    assert "in 30 days" in producer_mails[0].body
    assert "in 7 days" in producer_mails[1].body
    office = world.users["province_officer"]
    office_mails = [m for m in mailoutbox if m.to == [office.email]]
    assert [m.subject for m in office_mails] == ["OCOP self-reports missed: 1"]
    assert number in office_mails[0].body
    assert sorted(SelfReportReminder.objects.values_list("kind", flat=True)) == sorted(
        ReminderKind.values
    )


def test_a_submitted_report_stops_the_reminders(world, mailoutbox):
    due = today() + datetime.timedelta(days=20)
    certificate = _due_soon(world, due)
    owner = owner_of(certificate)
    day = due - datetime.timedelta(days=30)
    assert [r.kind for r in followup_reminders(today=day).sent] == [ReminderKind.BEFORE_FIRST]

    self_report_save(
        certificate=certificate, year=due.year, answers={}, note="Ổn định", submit=True, actor=owner
    )

    for offset in (-7, -1, 0, 1, 10):
        assert followup_reminders(today=due + datetime.timedelta(days=offset)).sent == []


def test_month_ends_and_29_february(world, mailoutbox, django_capture_on_commit_callbacks):
    """Certificates issued on 31 August, 31 December and 29 February: each report is due on
    its anniversary (28 February in a common year) and reminded on the right days."""
    base = today().year + 1
    leap = next(y for y in range(base, base + 4) if y % 4 == 0)
    issued = [
        datetime.date(base, 8, 31),
        datetime.date(base, 12, 31),
        datetime.date(leap, 2, 29),
    ]
    certificates = [world.certificate(issued_on=day) for day in issued]
    due = {c.number: add_months(c.issued_on, 12) for c in certificates}
    assert [due[c.number] for c in certificates] == [
        datetime.date(base + 1, 8, 31),
        datetime.date(base + 1, 12, 31),
        datetime.date(leap + 1, 2, 28),
    ]
    for certificate in certificates:
        d = due[certificate.number]
        sent = _every_day(
            d - datetime.timedelta(days=31),
            d + datetime.timedelta(days=2),
            django_capture_on_commit_callbacks,
            certificate,
        )
        assert sent == {
            d - datetime.timedelta(days=30): [(ReminderKind.BEFORE_FIRST, certificate.number)],
            d - datetime.timedelta(days=7): [(ReminderKind.BEFORE_LAST, certificate.number)],
            d + DAY: [(ReminderKind.MISSED, certificate.number)],
        }


def test_a_run_that_skipped_days_catches_up_once(world, mailoutbox):
    due = today() + datetime.timedelta(days=60)
    certificate = _due_soon(world, due)

    # Cron did not run until 5 days before the due date: only the last reminder goes.
    late = followup_reminders(today=due - datetime.timedelta(days=5))
    assert [(r.kind, r.certificate) for r in late.sent] == [(ReminderKind.BEFORE_LAST, certificate)]
    assert followup_reminders(today=due - datetime.timedelta(days=4)).sent == []
    # A notice of a report missed long ago is not sent (the plan and the report list it).
    assert followup_reminders(today=due + datetime.timedelta(days=45)).sent == []


def test_an_ended_certificate_is_not_reminded(world, mailoutbox):
    due = today() + datetime.timedelta(days=30)
    _due_soon(world, due, status=CertificateStatus.REVOKED)

    assert followup_reminders(today=due - datetime.timedelta(days=30)).sent == []


def test_the_command_prints_what_it_sends_and_sends_it_once(
    world, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    due = today() + datetime.timedelta(days=30)
    certificate = _due_soon(world, due, name="Chè shan tuyết")

    dry = _run("--dry-run")
    assert dry == [
        f"before_first  {certificate.number} · Chè shan tuyết · {due.year} due {due.isoformat()}",
        f"{today().isoformat()}: would send 1 reminder(s)",
    ]
    assert (SelfReportReminder.objects.count(), len(mailoutbox), Notification.objects.count()) == (
        0,
        0,
        0,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert _run()[-1] == f"{today().isoformat()}: sent 1 reminder(s)"
    run_tasks()
    assert len(mailoutbox) == 1
    assert Notification.objects.get().url == reverse(
        "evaluations:self_report", args=[certificate.number, due.year]
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _run() == [f"{today().isoformat()}: sent 0 reminder(s)"]
    run_tasks()
    assert callbacks == []
    assert len(mailoutbox) == 1

    day = due - datetime.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        lines = _run("--today", day.isoformat())
    run_tasks()
    assert lines[0].startswith(f"before_last   {certificate.number}")


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="not a date"):
        _run("--today", "31/02/2027")


def test_the_command_can_queue_the_run_for_the_worker(
    world, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    due = today() + datetime.timedelta(days=30)
    certificate = _due_soon(world, due, name="Chè shan tuyết")

    assert _run("--enqueue")[0].startswith(f"{today().isoformat()}: queued as task ")
    assert SelfReportReminder.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    run_tasks()

    assert SelfReportReminder.objects.get().certificate == certificate
    assert [m.to for m in mailoutbox] == [[owner_of(certificate).email]]
