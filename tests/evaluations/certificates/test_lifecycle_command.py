"""`manage.py certificates_daily`: the lifecycle for cron, its output and its mails."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.formats import date_format
from django_tasks_db.models import DBTaskResult

from evaluations.certificates.validity import add_months
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.models import AuditEntry

# The council results, built once per module and per `dates` day (tests/fixtures/).
from tests.fixtures.results_world import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def _ending_on(certificate: Certificate, until: datetime.date) -> None:
    """As if issued 36 months before `until` (valid_until stays after issued_on)."""
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=add_months(until, -36), valid_until=until
    )


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("certificates_daily", *args, stdout=out)
    return out.getvalue().splitlines()


def test_the_daily_run_expires_warns_and_sends_nothing_the_second_time(
    certificates, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    first, second = certificates
    today = timezone.localdate()
    _ending_on(first, today - datetime.timedelta(days=1))
    _ending_on(second, today + datetime.timedelta(days=30))

    with django_capture_on_commit_callbacks(execute=True):
        lines = _run()
    run_tasks()

    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    in_30_days = (today + datetime.timedelta(days=30)).isoformat()
    assert lines == [
        f"expired   {first.number} · {first.product.name} · valid until {yesterday}",
        f"expiring  {second.number} · {second.product.name} · valid until {in_30_days}",
        f"{today.isoformat()}: 1 expired, 1 newly expiring",
    ]
    first.refresh_from_db()
    assert first.status == CertificateStatus.EXPIRED
    assert AuditEntry.objects.latest("seq").action == "certificate.expire"
    subjects = sorted(mail.subject for mail in mailoutbox)
    assert subjects == sorted(
        [
            f"OCOP certificate {first.number} has expired",
            f"OCOP certificate {second.number} expires on "
            f"{date_format(today + datetime.timedelta(days=30), 'SHORT_DATE_FORMAT')}",
            "OCOP certificates: 2 expired or expiring",
        ]
    )
    producers = {m.to[0] for m in mailoutbox if m.subject.startswith("OCOP certificate ")}
    assert producers == {
        first.producer.members.get().user.email,
        second.producer.members.get().user.email,
    }

    # Cron runs it again the same day: nothing changes, nothing is sent.
    sent, audits = len(mailoutbox), AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert _run() == [f"{today.isoformat()}: 0 expired, 0 newly expiring"]
    run_tasks()
    assert callbacks == []
    assert len(mailoutbox) == sent
    assert AuditEntry.objects.count() == audits


def test_today_can_be_given_for_checks(
    certificates, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    valid_until = certificates[0].valid_until
    assert {c.valid_until for c in certificates} == {valid_until}

    # Ten days before the end both are in their expiring period...
    day = valid_until - datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        lines = _run("--today", day.isoformat())
    run_tasks()
    assert lines[-1] == f"{day.isoformat()}: 0 expired, 2 newly expiring"
    assert [line.split()[:2] for line in lines[:-1]] == [
        ["expiring", c.number] for c in sorted(certificates, key=lambda c: c.pk)
    ]

    # ...the day after it they are expired (and the warning is not sent twice).
    day = valid_until + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        lines = _run("--today", day.isoformat())
    run_tasks()
    assert lines[-1] == f"{day.isoformat()}: 2 expired, 0 newly expiring"
    assert {c.status for c in Certificate.objects.all()} == {CertificateStatus.EXPIRED}
    assert sum("has expired" in m.subject for m in mailoutbox) == 2
    assert sum(" expires on " in m.subject for m in mailoutbox) == 2


def test_nothing_to_do_prints_the_summary_only(certificates, mailoutbox):
    assert _run() == [f"{timezone.localdate().isoformat()}: 0 expired, 0 newly expiring"]
    assert mailoutbox == []
    assert {c.status for c in Certificate.objects.all()} == {CertificateStatus.VALID}


def test_a_bad_date_is_refused(db):
    with pytest.raises(CommandError, match="not a date"):
        _run("--today", "29/11/2026")


def test_the_daily_run_can_be_queued_for_the_worker(
    certificates, mailoutbox, django_capture_on_commit_callbacks, run_tasks
):
    first, _second = certificates
    today = timezone.localdate()
    _ending_on(first, today - datetime.timedelta(days=1))

    (line,) = _run("--enqueue")

    assert line.startswith(f"{today.isoformat()}: queued as task ")
    first.refresh_from_db()
    assert first.status == CertificateStatus.VALID
    # The worker runs the lifecycle; its mails are tasks of their own, queued on its commit.
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    run_tasks()
    first.refresh_from_db()
    assert first.status == CertificateStatus.EXPIRED
    assert sorted(m.subject for m in mailoutbox) == [
        "OCOP certificate " + first.number + " has expired",
        "OCOP certificates: 1 expired or expiring",
    ]
    run = DBTaskResult.objects.get(task_path="evaluations.certificates.tasks.certificates_daily")
    assert (run.status, run.return_value) == (
        TaskResultStatus.SUCCESSFUL,
        {"expired": [first.number], "expiring_notified": []},
    )
