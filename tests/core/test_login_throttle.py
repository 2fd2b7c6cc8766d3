"""Login throttling (django-axes) and the limit on password-reset mails (issue 10)."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.utils import timezone

from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from ocop.core.services.logins import login_unlock
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HERE = "10.0.0.1"
ELSEWHERE = "10.0.0.2"


def _login(client, username, password, address=HERE):
    return client.post(
        "/account/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _fail(client, username, times, address=HERE):
    return [_login(client, username, "sai", address).status_code for _ in range(times)]


def test_the_limit_and_the_cool_off_are_settings():
    limit, cool_off = settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME

    assert (limit, cool_off) == (5, datetime.timedelta(minutes=30))


def test_five_failures_lock_the_account_with_a_message_in_vietnamese(client):
    UserFactory(username="lan")

    codes = _fail(client, "lan", 5)
    response = _login(client, "lan", TEST_PASSWORD)

    assert codes == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    body = response.content.decode()
    assert 'data-testid="login-locked"' in body
    assert "Đăng nhập sai quá nhiều lần" in body
    assert "30 phút" in body
    assert 'value="lan"' in body
    assert client.get("/desk/").status_code == 302


def test_the_lock_follows_the_account_to_another_address(client):
    UserFactory(username="lan")
    _fail(client, "lan", 5, HERE)

    assert _login(client, "lan", TEST_PASSWORD, ELSEWHERE).status_code == 429


def test_the_lock_follows_the_address_to_another_account(client):
    UserFactory(username="lan")
    for name in ["a", "b", "c", "d", "e"]:
        _fail(client, name, 1, HERE)

    assert _login(client, "lan", TEST_PASSWORD, HERE).status_code == 429
    assert _login(client, "lan", TEST_PASSWORD, ELSEWHERE).status_code == 302


def test_behind_a_load_balancer_each_client_is_counted_by_its_own_address(client, settings):
    # Two app servers behind one balancer (docs/scaling.md): every request comes from the
    # balancer's address; the client's is the entry the balancer appended.
    settings.OCOP_TRUSTED_PROXIES = 1
    balancer = "10.0.0.250"
    UserFactory(username="lan")
    for name in ["a", "b", "c", "d", "e"]:
        client.post(
            "/account/login/",
            {"username": name, "password": "sai"},
            REMOTE_ADDR=balancer,
            HTTP_X_FORWARDED_FOR="198.51.100.4",
        )

    def from_address(address):
        return client.post(
            "/account/login/",
            {"username": "lan", "password": TEST_PASSWORD},
            REMOTE_ADDR=balancer,
            HTTP_X_FORWARDED_FOR=address,
        ).status_code

    assert from_address("198.51.100.4") == 429
    assert from_address("203.0.113.7") == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.4"}


def test_fewer_failures_then_a_success_reset_the_count(client):
    UserFactory(username="lan")
    _fail(client, "lan", 4)
    assert _login(client, "lan", TEST_PASSWORD).status_code == 302
    client.post("/account/logout/")

    assert _fail(client, "lan", 4) == [200, 200, 200, 200]


def test_the_lock_lifts_after_the_cool_off(client):
    UserFactory(username="lan")
    _fail(client, "lan", 5)

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert _login(client, "lan", TEST_PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account_through_the_admin_and_it_is_audited(
    client, role_users
):
    lan = UserFactory(username="lan")
    _fail(client, "lan", 5)
    admin = role_users[Role.ADMINISTRATOR]
    client.force_login(admin)

    response = client.post(
        "/admin/core/user/", {"action": "unlock_login", "_selected_action": [lan.pk]}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="lan").exists()
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.actor, entry.object_id) == ("login.unlock", admin, str(lan.pk))
    client.logout()
    assert _login(client, "lan", TEST_PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_address_from_the_failed_logins(client, role_users):
    UserFactory(username="lan")
    for name in ["a", "b", "c", "d", "e"]:
        _fail(client, name, 1, HERE)
    admin = role_users[Role.ADMINISTRATOR]
    client.force_login(admin)
    attempt = AccessAttempt.objects.filter(ip_address=HERE).first()

    listing = client.get("/admin/axes/accessattempt/")
    response = client.post(
        "/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [attempt.pk]}
    )

    assert listing.status_code == 200
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="login.unlock", actor=admin).exists()
    client.logout()
    # Unlocking the address forgets every failure from it, whatever the account.
    assert not AccessAttempt.objects.filter(ip_address=HERE).exists()
    assert _login(client, "lan", TEST_PASSWORD, HERE).status_code == 302


def test_failed_login_records_cannot_be_deleted_by_hand(client, role_users):
    _fail(client, "a", 1)
    client.force_login(role_users[Role.ADMINISTRATOR])
    attempt = AccessAttempt.objects.get()

    response = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_unlock_needs_an_account_or_an_address(role_users):
    with pytest.raises(ValueError, match="needs a username or an address"):
        login_unlock(actor=role_users[Role.ADMINISTRATOR])


def test_the_test_clients_login_without_a_request_is_not_throttled(client):
    UserFactory(username="lan")

    assert client.login(username="lan", password=TEST_PASSWORD) is True


# --- password-reset mails -----------------------------------------------------------------


@pytest.fixture
def reset(client, django_capture_on_commit_callbacks, run_tasks):
    """Ask for a reset mail as the page does, then let the worker send what was queued."""

    def post(email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/account/password_reset/", {"email": email})
        run_tasks()
        return response

    return post


def test_at_most_three_reset_mails_an_hour_per_address(reset):
    UserFactory(username="lan", email="lan@htx.vn")

    responses = [reset("lan@htx.vn") for _ in range(4)]

    assert len(mail.outbox) == 3
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, "/account/password_reset/done/")
    }
    assert AuditEntry.objects.filter(action="user.password_reset_mail").count() == 3


def test_the_reset_limit_is_per_address(reset):
    UserFactory(username="lan", email="lan@htx.vn")
    UserFactory(username="hoa", email="hoa@htx.vn")
    for _ in range(3):
        reset("lan@htx.vn")

    reset("hoa@htx.vn")

    assert [m.to for m in mail.outbox][-1] == ["hoa@htx.vn"]
    assert len(mail.outbox) == 4


def test_reset_mails_go_again_after_an_hour(reset):
    UserFactory(username="lan", email="lan@htx.vn")
    for _ in range(3):
        reset("lan@htx.vn")

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        reset("lan@htx.vn")

    assert len(mail.outbox) == 4


def test_a_throttled_address_and_an_unknown_one_get_the_same_answer(reset):
    UserFactory(username="lan", email="lan@htx.vn")
    for _ in range(3):
        reset("lan@htx.vn")

    throttled = reset("lan@htx.vn")
    unknown = reset("nobody@htx.vn")

    assert (throttled.status_code, throttled["Location"]) == (
        unknown.status_code,
        unknown["Location"],
    )
    assert len(mail.outbox) == 3


def test_a_bad_address_keeps_the_input_with_a_field_message(reset):
    response = reset("not-an-address")

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"email"}
    assert 'value="not-an-address"' in response.content.decode()
