"""Background tasks (decision 0031): mail off the request path, retries with backoff, the
office's failed-tasks page and its retry service, and the worker itself."""

import datetime
import os
import smtplib
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ocop.core.enums import Role
from ocop.core.mail import send_one_mail
from ocop.core.models import AuditEntry
from ocop.core.services.notifications import notify
from ocop.core.services.tasks import task_retry
from ocop.core.tasks import RETRY_DELAYS, task_attempt
from tests.factories import UserFactory, producer_with_owner

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
REFUSED = "sai-dia-chi@example.vn"


class RefusingBackend(EmailBackend):
    """Test-only: the mail server refuses one address (and sends the others to the outbox)."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"5.1.1 No such user")})
        return super().send_messages(messages)


class BrokenBackend(EmailBackend):
    """Test-only: a bug, not a transient error of the mail server."""

    def send_messages(self, messages):
        raise ValueError("bad template")


REFUSING = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
BROKEN = {"default": {"BACKEND": f"{__name__}.BrokenBackend"}}


def mail_rows():
    return DBTaskResult.objects.filter(task_path="ocop.core.mail.send_one_mail")


def fail_for_good(address=REFUSED, run_tasks=None):
    """Enqueue a mail to `address` and run the worker through every retry."""
    send_one_mail.enqueue(subject="Nhắc hạn", body="Nội dung", to=address)
    moment = timezone.now()
    with override_settings(MAILERS=REFUSING):
        run_tasks()
        for delay in RETRY_DELAYS:
            moment += delay + datetime.timedelta(seconds=1)
            with time_machine.travel(moment, tick=False):
                run_tasks()
    return DBTaskResult.objects.get(status=TaskResultStatus.FAILED)


# --- mail off the request path -------------------------------------------------------------


def test_a_request_only_queues_its_mail_and_the_worker_sends_it(
    client, units, django_capture_on_commit_callbacks, run_tasks
):
    producer, owner = producer_with_owner(commune=units["commune"])
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/producers/{producer.pk}/invite/", {"email": "lan@mandu.vn"})

    assert response.status_code == 302
    assert mail.outbox == []
    (queued,) = mail_rows()
    assert (queued.status, queued.args_kwargs["kwargs"]["to"]) == (
        TaskResultStatus.READY,
        "lan@mandu.vn",
    )

    run_tasks()

    assert [m.to for m in mail.outbox] == [["lan@mandu.vn"]]
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL


def test_one_task_per_address_and_a_refused_address_holds_up_no_other(
    django_capture_on_commit_callbacks, run_tasks
):
    users = [
        UserFactory(username="lan", email="lan@htx.vn"),
        UserFactory(username="sai", email=REFUSED),
        UserFactory(username="hung", email="hung@tanlac.gov.vn"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=users, subject="Hồ sơ đã được tiếp nhận", body="Nội dung")
    assert mail_rows().count() == 3

    with override_settings(MAILERS=REFUSING):
        run_tasks()

    assert sorted(m.to[0] for m in mail.outbox) == ["hung@tanlac.gov.vn", "lan@htx.vn"]
    retry = mail_rows().get(status=TaskResultStatus.READY)
    assert (retry.args_kwargs["kwargs"]["to"], task_attempt(retry.args_kwargs["kwargs"])) == (
        REFUSED,
        2,
    )


# --- retries with backoff ------------------------------------------------------------------


def test_a_refused_mail_is_retried_after_1_5_30_and_120_minutes_then_fails(run_tasks):
    send_one_mail.enqueue(subject="Nhắc hạn", body="Nội dung", to=REFUSED)
    moment = timezone.now()
    waits = []
    with override_settings(MAILERS=REFUSING):
        run_tasks()
        for _ in RETRY_DELAYS:
            pending = mail_rows().get(status=TaskResultStatus.READY)
            waits.append(round((pending.run_after - moment).total_seconds() / 60))
            # Not a second earlier...
            with time_machine.travel(pending.run_after - datetime.timedelta(seconds=5), tick=False):
                run_tasks()
            assert mail_rows().get(status=TaskResultStatus.READY).pk == pending.pk
            # ...then it runs, and fails again.
            moment = pending.run_after + datetime.timedelta(seconds=1)
            with time_machine.travel(moment, tick=False):
                run_tasks()

    assert waits == [1, 5, 30, 120]
    rows = list(mail_rows().order_by("enqueued_at"))
    assert [task_attempt(r.args_kwargs["kwargs"]) for r in rows] == [1, 2, 3, 4, 5]
    assert [r.status for r in rows] == [TaskResultStatus.SUCCESSFUL] * 4 + [TaskResultStatus.FAILED]
    assert [r.return_value["retried_as"] for r in rows[:4]] == [str(r.pk) for r in rows[1:]]
    assert rows[0].return_value["error"].startswith("SMTPRecipientsRefused:")
    assert rows[-1].exception_class_path == "smtplib.SMTPRecipientsRefused"
    assert mail.outbox == []


def test_a_bug_fails_at_once_without_retries(run_tasks):
    send_one_mail.enqueue(subject="S", body="B", to="lan@htx.vn")

    with override_settings(MAILERS=BROKEN):
        run_tasks()

    (row,) = mail_rows()
    assert (row.status, row.exception_class_path) == (
        TaskResultStatus.FAILED,
        "builtins.ValueError",
    )


# --- the failed-tasks page -----------------------------------------------------------------


def test_the_office_sees_a_failed_mail_with_its_error_but_no_traceback(
    client, role_users, run_tasks
):
    fail_for_good(run_tasks=run_tasks)
    client.force_login(role_users[Role.PROVINCE_OFFICER])

    page = client.get(reverse("core:failed_tasks"))

    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('data-testid="failed-task"') == 1
    assert "Gửi thư" in body
    assert "SMTPRecipientsRefused" in body and "No such user" in body
    assert "lần thử 5" in body
    assert 'data-testid="task-traceback"' not in body and "Traceback" not in body


def test_administrators_also_read_the_traceback(client, role_users, run_tasks):
    fail_for_good(run_tasks=run_tasks)
    client.force_login(role_users[Role.ADMINISTRATOR])

    body = client.get(reverse("core:failed_tasks")).content.decode()

    assert 'data-testid="task-traceback"' in body and "Traceback (most recent call last)" in body


@pytest.mark.parametrize(
    "role", [Role.PRODUCER_MEMBER, Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER]
)
def test_everyone_else_gets_404_and_retries_nothing(client, role_users, role, run_tasks):
    failed = fail_for_good(run_tasks=run_tasks)
    client.force_login(role_users[role])

    assert client.get(reverse("core:failed_tasks")).status_code == 404
    assert client.post(reverse("core:task_retry", args=[failed.pk])).status_code == 404
    failed.refresh_from_db()
    assert failed.status == TaskResultStatus.FAILED


def test_the_page_is_empty_and_says_so(client, role_users):
    client.force_login(role_users[Role.PROVINCE_OFFICER])

    body = client.get(reverse("core:failed_tasks")).content.decode()

    assert 'data-testid="no-failed-tasks"' in body


def _failed_rows(count):
    for n in range(count):
        row = send_one_mail.enqueue(subject="S", body="B", to=f"sai{n}@example.vn").db_result
        row.set_failed(smtplib.SMTPRecipientsRefused({row.args_kwargs["kwargs"]["to"]: (550, b"")}))


def test_the_page_query_count_does_not_grow(client, role_users, django_assert_num_queries):
    client.force_login(role_users[Role.PROVINCE_OFFICER])
    url = reverse("core:failed_tasks")
    _failed_rows(1)
    client.get(url)  # sessions, permissions and the like, once

    # Session, user, role names, groups, permissions (2), jurisdiction, unread notifications
    # (the menu's), then the page's count and rows: 10, whatever the number of rows.
    with django_assert_num_queries(10):
        assert client.get(url).content.decode().count('data-testid="failed-task"') == 1
    _failed_rows(2)
    with django_assert_num_queries(10):
        assert client.get(url).content.decode().count('data-testid="failed-task"') == 3


def test_newest_first_and_paginated(client, role_users):
    _failed_rows(26)
    newest = DBTaskResult.objects.order_by("-finished_at").first()
    client.force_login(role_users[Role.PROVINCE_OFFICER])

    first = client.get(reverse("core:failed_tasks"))
    second = client.get(reverse("core:failed_tasks"), {"page": 2})

    assert first.context["rows"][0]["pk"] == newest.pk
    assert (len(first.context["rows"]), len(second.context["rows"])) == (25, 1)


# --- retrying by hand ----------------------------------------------------------------------


def test_retry_queues_the_task_afresh_and_is_audited(client, role_users, run_tasks):
    failed = fail_for_good(run_tasks=run_tasks)
    officer = role_users[Role.PROVINCE_OFFICER]
    client.force_login(officer)

    response = client.post(reverse("core:task_retry", args=[failed.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("core:failed_tasks")
    assert "Tác vụ đã được xếp hàng lại" in response.content.decode()
    assert not DBTaskResult.objects.filter(pk=failed.pk).exists()
    fresh = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert fresh.args_kwargs["kwargs"] == {
        "subject": "Nhắc hạn",
        "body": "Nội dung",
        "to": REFUSED,
    }
    entry = AuditEntry.objects.latest("seq")
    assert (entry.action, entry.actor) == ("task.retry", officer)
    assert entry.data["task"] == "ocop.core.mail.send_one_mail"
    assert entry.data["retried_as"] == str(fresh.pk)
    assert entry.data["error"] == "smtplib.SMTPRecipientsRefused"
    # The address fixed at the mail server's end: the worker sends it.
    run_tasks()
    assert [m.to for m in mail.outbox] == [[REFUSED]]


def test_a_second_retry_of_the_same_task_is_refused_clearly(role_users, run_tasks):
    failed = fail_for_good(run_tasks=run_tasks)
    officer = role_users[Role.PROVINCE_OFFICER]
    task_retry(result_id=str(failed.pk), actor=officer)
    audits = AuditEntry.objects.count()

    with pytest.raises(ValidationError, match="đã có người thử lại"):
        task_retry(result_id=str(failed.pk), actor=officer)

    assert AuditEntry.objects.count() == audits
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


def test_a_retry_of_a_task_already_retried_says_so_on_the_page(client, role_users, run_tasks):
    failed = fail_for_good(run_tasks=run_tasks)
    client.force_login(role_users[Role.ADMINISTRATOR])
    client.post(reverse("core:task_retry", args=[failed.pk]))

    again = client.post(reverse("core:task_retry", args=[failed.pk]), follow=True)

    assert "đã có người thử lại" in again.content.decode()


# --- the worker as `make demo` and production start it --------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_db_worker_command_runs_the_queued_mail_as_a_process_of_its_own():
    UserFactory(username="lan", email="lan@htx.vn")
    queued = send_one_mail.enqueue(subject="S", body="B", to="lan@htx.vn").db_result
    db = settings.DATABASES["default"]
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT']}"
        f"/{db['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ocop.settings.test"}

    done = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    queued.refresh_from_db()
    assert (queued.status, queued.worker_ids != []) == (TaskResultStatus.SUCCESSFUL, True)
