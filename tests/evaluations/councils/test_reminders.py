"""Reminders to members with score sheets left: by cron (the command) and on demand."""

from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from evaluations.councils.services.scoring import conflict_declare
from ocop.core.models import AuditEntry, Notification
from tests.evaluations.councils.conftest import score

# The district session's items, built once per module (and per `dates` day): tests/fixtures/.
from tests.fixtures.items_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def halfway(items, members):
    """hdh1 (the chair) has submitted every sheet, hdh2 has a draft for the first product,
    hdh3 is recused from all three, hdh4 and hdh5 have done nothing. The secretary, who does
    not score, has an e-mail address too."""
    for item in items:
        score(item, members["hdh1"], "best")
        conflict_declare(
            item=item, has_conflict=True, reason="Người thân", actor=members["hdh3"].user
        )
    conflict_declare(item=items[0], has_conflict=False, actor=members["hdh2"].user)
    secretary = members["hdhtk"].user
    secretary.email = "hdhtk@example.vn"
    secretary.save(update_fields=["email"])
    mail.outbox.clear()
    return items


EXPECTED = ["hdh2@example.vn", "hdh4@example.vn", "hdh5@example.vn"]


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def run(*args) -> str:
    out = StringIO()
    call_command("send_score_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.mark.dates
def test_the_command_mails_the_members_with_sheets_left(
    session, halfway, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    run_tasks()
    assert recipients() == EXPECTED
    assert all(len(message.to) == 1 for message in mail.outbox)
    hdh2 = next(m for m in mail.outbox if m.to == ["hdh2@example.vn"])
    assert "Gạo nếp cẩm" in hdh2.body
    assert f"Session {session.pk} " in out
    assert "reminded 3" in out
    # Sending reminders changes nothing: no audit entry.
    assert not AuditEntry.objects.filter(action="session.remind").exists()


@pytest.mark.dates
def test_dry_run_sends_nothing(
    session, halfway, members, django_capture_on_commit_callbacks, run_tasks
):
    notifications = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--dry-run")
    run_tasks()
    assert mail.outbox == []
    assert Notification.objects.count() == notifications
    assert "would remind 3" in out
    for username in ("hdh2", "hdh4", "hdh5"):
        assert members[username].name in out
    for username in ("hdh1", "hdh3", "hdhtk"):
        assert members[username].name not in out


def test_an_unknown_session_is_an_error(session, halfway):
    with pytest.raises(CommandError, match="No session"):
        run("--session", str(session.pk + 1000))
    assert mail.outbox == []


@pytest.mark.dates
def test_nobody_is_reminded_when_every_sheet_is_in(
    session, items, members, django_capture_on_commit_callbacks, run_tasks
):
    for item in items:
        for member in members["chair"] + members["vice_chair"] + members["member"]:
            score(item, member, "best")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--session", str(session.pk))
    run_tasks()
    assert mail.outbox == []
    assert "reminded 0" in out


# --- on demand ------------------------------------------------------------------------------


def remind_url(session):
    return reverse("evaluations:session_remind", args=[session.pk])


@pytest.mark.dates
def test_the_secretary_sends_reminders(
    client, session, halfway, members, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(members["hdhtk"].user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(session))
    run_tasks()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:session_detail", args=[session.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Reminders sent to 3 member(s)."
    ]
    assert recipients() == EXPECTED
    entries = AuditEntry.objects.filter(action="session.remind")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor == members["hdhtk"].user
    assert entry.object_id == str(session.pk)


def test_reminding_when_nothing_is_pending(
    client, session, items, members, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(members["hdh1"].user)
    for item in items:
        for member in members["chair"] + members["vice_chair"] + members["member"]:
            score(item, member, "best")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(session))
    run_tasks()
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "No member has a score sheet left to submit."
    ]
    assert mail.outbox == []


def test_a_plain_member_may_not_remind(
    client, session, halfway, members, django_capture_on_commit_callbacks, run_tasks
):
    client.force_login(members["hdh4"].user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remind_url(session))
    run_tasks()
    assert response.status_code == 404
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="session.remind").exists()


def test_reminding_takes_a_post(client, session, halfway, members):
    client.force_login(members["hdhtk"].user)
    assert client.get(remind_url(session)).status_code == 405


@pytest.mark.dates
def test_the_command_can_queue_the_reminders_for_the_worker(
    session, halfway, django_capture_on_commit_callbacks, run_tasks
):
    assert run("--enqueue").startswith("queued as task ")
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    run_tasks()

    assert recipients() == EXPECTED
