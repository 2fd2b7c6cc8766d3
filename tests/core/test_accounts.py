import re

import pytest
from django.core import mail

from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_in_vietnamese_by_default(client):
    response = client.get("/")

    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi" ' in body
    assert "Đăng nhập" in body


def test_switching_to_english_translates_the_page(client):
    response = client.get("/language/en/", {"next": "/"}, follow=True)

    body = response.content.decode()
    assert '<html lang="en" ' in body
    assert "Log in" in body
    assert "Đăng nhập" not in body


def test_pages_carry_a_content_security_policy_without_inline_allowances(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_login_with_a_wrong_password_says_so_and_keeps_the_username(client):
    UserFactory(username="lan")

    response = client.post("/account/login/", {"username": "lan", "password": "wrong"})

    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="lan"' in body
    assert "mật khẩu chính xác" in body


def test_login_then_logout(client):
    UserFactory(username="lan")

    response = client.post("/account/login/", {"username": "lan", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/desk/").status_code == 200

    client.post("/account/logout/")
    assert client.get("/desk/").status_code == 302


def test_desk_shows_roles_and_jurisdiction(client, role_users):
    client.force_login(role_users[Role.DISTRICT_OFFICER])

    response = client.get("/desk/")

    body = response.content.decode()
    assert "Cán bộ huyện" in body
    assert "Huyện Tân Lạc, Tỉnh Hoà Bình" in body


def test_profile_update_is_saved_and_audited(client):
    user = UserFactory(username="lan")
    client.force_login(user)

    response = client.post(
        "/account/profile/",
        {
            "first_name": "Lan",
            "last_name": "Bùi Thị",
            "email": "lan@htx.vn",
            "phone": "0912 345 678",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.last_name, user.email, user.phone) == ("Bùi Thị", "lan@htx.vn", "0912345678")
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "user.update_profile"
    assert entry.data["phone"] == {"from": "", "to": "0912345678"}


def test_profile_with_a_bad_phone_keeps_the_input_and_saves_nothing(client):
    user = UserFactory(username="lan", last_name="Nguyễn")
    client.force_login(user)
    before = AuditEntry.objects.count()

    response = client.post(
        "/account/profile/",
        {"first_name": "Lan", "last_name": "Bùi Thị", "email": "not-an-email", "phone": "12ab"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"email", "phone"}
    body = response.content.decode()
    assert 'value="Bùi Thị"' in body
    assert "Nhập số điện thoại" in body
    user.refresh_from_db()
    assert user.last_name == "Nguyễn"
    assert AuditEntry.objects.count() == before


def test_profile_requires_login(client):
    assert client.get("/account/profile/").status_code == 302


def test_password_reset_sends_a_mail_whose_link_sets_a_new_password(
    client, django_capture_on_commit_callbacks, run_tasks
):
    UserFactory(username="lan", email="lan@htx.vn")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/password_reset/", {"email": "lan@htx.vn"})
    assert mail.outbox == []
    run_tasks()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan@htx.vn"]
    link = re.search(r"https?://[^/]+(/account/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "mật-khẩu-mới-2026", "new_password2": "mật-khẩu-mới-2026"},
    )
    assert response.status_code == 302
    assert client.login(username="lan", password="mật-khẩu-mới-2026")


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
    client, django_capture_on_commit_callbacks, run_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/password_reset/", {"email": "nobody@htx.vn"})
    run_tasks()

    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change(client):
    user = UserFactory(username="lan")
    client.force_login(user)

    response = client.post(
        "/account/password_change/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "một-mật-khẩu-khác",
            "new_password2": "một-mật-khẩu-khác",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("một-mật-khẩu-khác")


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})

    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_full_names_read_in_vietnamese_order():
    user = UserFactory(username="lan", first_name="Lan", last_name="Bùi Thị")

    assert user.get_full_name() == "Bùi Thị Lan"
