"""The demo keeps its mail as files and shows them to administrators (ocop/demo/mail.py)."""

import io

import pytest
from django.core.mail import EmailMessage
from django.test import override_settings
from django.urls import reverse

from ocop.core.enums import Role
from ocop.demo.mail import OutboxEmailBackend, outbox_messages

SUBJECT = "Hồ sơ OCOP đã được tiếp nhận"
BODY = "Kính gửi HTX Mãn Đức,\nhồ sơ «Tương ớt Mường» đã được tiếp nhận."


def _send(directory, stream):
    backend = OutboxEmailBackend(directory=directory, stream=stream)
    message = EmailMessage(SUBJECT, BODY, "ocop@example.gov.vn", ["lan@htx.vn"])
    return backend.send_messages([message])


def test_each_mail_is_one_file_and_one_line(tmp_path):
    stream = io.StringIO()

    sent = _send(tmp_path, stream)

    assert sent == 1
    assert len(list(tmp_path.glob("*.eml"))) == 1
    assert stream.getvalue().splitlines() == [
        f"mail to lan@htx.vn: {SUBJECT}  [{next(tmp_path.glob('*.eml')).name}]"
    ]


def test_the_outbox_reads_the_files_decoded_newest_first(tmp_path):
    _send(tmp_path, io.StringIO())
    backend = OutboxEmailBackend(directory=tmp_path, stream=io.StringIO())
    backend.send_messages([EmailMessage("Thứ hai", "Nội dung", None, ["hung@tanlac.gov.vn"])])

    mails = outbox_messages(tmp_path)

    assert [m.subject for m in mails] == ["Thứ hai", SUBJECT]
    assert mails[1].to == "lan@htx.vn"
    assert mails[1].body.strip() == BODY


def test_an_empty_or_missing_outbox_lists_nothing(tmp_path):
    assert outbox_messages(tmp_path / "none") == []


@pytest.mark.django_db
def test_administrators_read_the_outbox(client, role_users, tmp_path):
    _send(tmp_path, io.StringIO())
    client.force_login(role_users[Role.ADMINISTRATOR])

    with override_settings(OCOP_DEMO_OUTBOX_DIR=tmp_path):
        response = client.get(reverse("demo:outbox"))

    assert response.status_code == 200
    page = response.content.decode()
    assert SUBJECT in page
    assert "hồ sơ «Tương ớt Mường» đã được tiếp nhận." in page
    assert page.count('data-testid="outbox-mail"') == 1


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.PRODUCER_MEMBER, Role.PROVINCE_OFFICER])
def test_others_get_404(client, role_users, tmp_path, role):
    client.force_login(role_users[role])

    with override_settings(OCOP_DEMO_OUTBOX_DIR=tmp_path):
        response = client.get(reverse("demo:outbox"))

    assert response.status_code == 404


@pytest.mark.django_db
def test_the_outbox_does_not_exist_outside_the_demo(client, role_users):
    client.force_login(role_users[Role.ADMINISTRATOR])

    with override_settings(OCOP_DEMO_OUTBOX_DIR=None):
        response = client.get(reverse("demo:outbox"))

    assert response.status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_asked_to_sign_in(client, tmp_path):
    with override_settings(OCOP_DEMO_OUTBOX_DIR=tmp_path):
        response = client.get(reverse("demo:outbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
