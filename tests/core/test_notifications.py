import pytest
from django.core import mail
from django.db import transaction

from ocop.core.models import Notification
from ocop.core.services.notifications import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_stores_a_notification_and_mails_after_commit(
    django_capture_on_commit_callbacks, run_tasks
):
    lan = UserFactory(username="lan", email="lan@htx.vn")
    hung = UserFactory(username="hung", email="hung@tanlac.gov.vn")

    with django_capture_on_commit_callbacks(execute=True):
        notify(
            users=[lan, hung, lan], subject="Hồ sơ đã được tiếp nhận", body="Nội dung", url="/x/"
        )
    run_tasks()

    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["hung", "lan"]
    assert sorted(m.to[0] for m in mail.outbox) == ["hung@tanlac.gov.vn", "lan@htx.vn"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert mail.outbox[0].body.endswith("/x/")


def test_a_rolled_back_change_sends_no_mail(django_capture_on_commit_callbacks, run_tasks):
    lan = UserFactory(username="lan", email="lan@htx.vn")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(users=[lan], subject="S", body="B")
                raise RuntimeError("the change failed")
        except RuntimeError:
            pass
    run_tasks()

    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_inactive_users_are_not_notified(django_capture_on_commit_callbacks, run_tasks):
    gone = UserFactory(username="gone", email="gone@htx.vn", is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[gone], subject="S", body="B")
    run_tasks()

    assert (Notification.objects.count(), len(mail.outbox)) == (0, 0)


def test_notifications_page_lists_only_the_users_own_and_marks_them_read(client):
    lan = UserFactory(username="lan", email="lan@htx.vn")
    hung = UserFactory(username="hung")
    notify(users=[lan], subject="Hồ sơ bị trả lại", body="Thiếu phiếu kiểm nghiệm", url="/x/")
    notify(users=[hung], subject="Riêng của Hùng", body="B")
    client.force_login(lan)

    page = client.get("/notifications/")

    assert [n.subject for n in page.context["notifications"]] == ["Hồ sơ bị trả lại"]
    assert page.context["unread_notifications"] == 1
    client.post("/notifications/read/")
    assert Notification.objects.get(user=lan).read_at is not None
    assert Notification.objects.get(user=hung).read_at is None


def test_notifications_page_needs_login(client):
    assert client.get("/notifications/").status_code == 302


def test_notifications_page_query_count_does_not_grow(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lan = UserFactory(username="lan")
    client.force_login(lan)
    notify(users=[lan], subject="1", body="b")
    with CaptureQueriesContext(connection) as one:
        client.get("/notifications/")
    notify(users=[lan], subject="2", body="b")
    notify(users=[lan], subject="3", body="b")
    with CaptureQueriesContext(connection) as three:
        client.get("/notifications/")

    assert len(one) == len(three)
