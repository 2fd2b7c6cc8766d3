import pytest
from django.core import mail

from ocop.core.services.notifications import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_probe(django_capture_on_commit_callbacks, run_tasks):
    lan = UserFactory(username="lan", email="lan@htx.vn")
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[lan], subject="S", body="B")
    assert mail.outbox == []
    run_tasks()
    assert [m.to for m in mail.outbox] == [["lan@htx.vn"]]
    assert lan.__class__.objects.count() == 1
