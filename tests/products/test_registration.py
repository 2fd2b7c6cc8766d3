import pytest
from django.core import mail

from ocop.core.enums import Role
from ocop.core.models import AuditEntry, User
from products.enums import MemberRole, ProducerState
from products.models import Producer
from tests.factories import producer_with_owner, user_with_role

pytestmark = pytest.mark.django_db


def form_data(units, **overrides) -> dict:
    return {
        "last_name": "Bùi Văn",
        "first_name": "Nam",
        "username": "namhtx",
        "account_email": "nam@mandu.vn",
        "password1": "mật-khẩu-dài-2026",
        "password2": "mật-khẩu-dài-2026",
        "kind": "cooperative",
        "name": "HTX Nông nghiệp Mãn Đức",
        "registration_no": "5400123456",
        "tax_code": "5400 123 456",
        "representative_name": "Bùi Văn Nam",
        "representative_title": "Giám đốc",
        "representative_gender": "male",
        "representative_ethnic_minority": "on",
        "province": units["province"].pk,
        "district": units["district"].pk,
        "commune": units["commune"].pk,
        "address_detail": "Xóm Đồi",
        "phone": "0912345678",
        "email": "",
        **overrides,
    }


def test_register_page_is_public_and_has_the_address_selects(client, units):
    response = client.get("/register/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="tax_code"' in body
    assert "hx-get=" in body
    assert 'name="state"' not in body


def test_registration_creates_everything_logs_in_and_mails_the_officers(
    client, units, django_capture_on_commit_callbacks
):
    district = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tanlac")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register/", form_data(units))

    assert response.status_code == 302
    assert response["Location"] == "/producer/"
    producer = Producer.objects.get()
    assert (producer.state, producer.tax_code) == (ProducerState.PENDING, "5400123456")
    assert producer.representative_ethnic_minority is True
    user = User.objects.get(username="namhtx")
    assert (user.email, user.last_name, user.first_name) == ("nam@mandu.vn", "Bùi Văn", "Nam")
    assert producer.members.get().user == user
    assert producer.members.get().role == MemberRole.OWNER
    assert [m.to for m in mail.outbox] == [[district.email]]
    assert "HTX Nông nghiệp Mãn Đức" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="producer.register").count() == 1
    desk = client.get("/producer/")
    assert desk.status_code == 200
    assert desk.context["producer"] == producer


def test_registration_with_bad_input_keeps_it_and_saves_nothing(client, units):
    response = client.post(
        "/register/",
        form_data(units, tax_code="12345", password2="khác-hẳn-2026", phone="12ab"),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"tax_code", "password2", "phone"}
    body = response.content.decode()
    assert 'value="HTX Nông nghiệp Mãn Đức"' in body
    assert 'value="12345"' in body
    assert f'<option value="{units["commune"].pk}" selected>' in body
    assert Producer.objects.count() == 0
    assert not User.objects.filter(username="namhtx").exists()


def test_duplicate_tax_code_gives_a_clear_field_message(client, units):
    producer_with_owner(
        commune=units["commune"], tax_code="5400123456", registration_no="5400000009"
    )

    response = client.post("/register/", form_data(units, registration_no="5400000001"))

    assert response.status_code == 200
    assert response.context["form"].errors["tax_code"] == [
        "A producer with this tax code is already registered. If it is yours, ask its owner "
        "to invite you instead of registering it again."
    ]
    assert Producer.objects.count() == 1
    assert not User.objects.filter(username="namhtx").exists()


def test_commune_must_lie_in_the_chosen_district(client, units):
    response = client.post("/register/", form_data(units, district=units["other_district"].pk))

    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert Producer.objects.count() == 0


def test_commune_is_required(client, units):
    response = client.post("/register/", form_data(units, commune=""))

    assert "commune" in response.context["form"].errors


def test_taken_username_and_email_are_field_errors(client, units):
    user_with_role(None, username="namhtx", email="nam@mandu.vn")

    response = client.post("/register/", form_data(units))

    assert set(response.context["form"].errors) == {"username", "account_email"}


def test_signed_in_users_are_sent_to_their_desk(client, units):
    _producer, owner = producer_with_owner(commune=units["commune"])
    client.force_login(owner)

    response = client.get("/register/")

    assert response.status_code == 302
    assert response["Location"] == "/producer/"
