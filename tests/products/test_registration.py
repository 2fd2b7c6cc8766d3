import pytest
from django.core import mail

from ocop.core.enums import Role, UnitScheme
from ocop.core.models import AuditEntry, User
from products.enums import MemberRole, ProducerState
from products.models import Producer
from tests.factories import UnitFactory, phu_tho_units, producer_with_owner, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def new(units):
    """Today's map: registrations are recorded on it (province → commune)."""
    return phu_tho_units(units)


def form_data(new, **overrides) -> dict:
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
        "province": new["province"].pk,
        "commune": new["commune"].pk,
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
    client, new, django_capture_on_commit_callbacks, run_tasks
):
    commune = user_with_role(Role.COMMUNE_OFFICER, new["commune"], username="tanlac")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/register/", form_data(new))
    run_tasks()

    assert response.status_code == 302
    assert response["Location"] == "/producer/"
    producer = Producer.objects.get()
    assert (producer.state, producer.tax_code) == (ProducerState.PENDING, "5400123456")
    assert producer.representative_ethnic_minority is True
    user = User.objects.get(username="namhtx")
    assert (user.email, user.last_name, user.first_name) == ("nam@mandu.vn", "Bùi Văn", "Nam")
    assert producer.members.get().user == user
    assert producer.members.get().role == MemberRole.OWNER
    assert [m.to for m in mail.outbox] == [[commune.email]]
    assert producer.address_unit == new["commune"]
    assert "HTX Nông nghiệp Mãn Đức" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="producer.register").count() == 1
    desk = client.get("/producer/")
    assert desk.status_code == 200
    assert desk.context["producer"] == producer


def test_registration_with_bad_input_keeps_it_and_saves_nothing(client, new):
    response = client.post(
        "/register/",
        form_data(new, tax_code="12345", password2="khác-hẳn-2026", phone="12ab"),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"tax_code", "password2", "phone"}
    body = response.content.decode()
    assert 'value="HTX Nông nghiệp Mãn Đức"' in body
    assert 'value="12345"' in body
    assert f'<option value="{new["commune"].pk}" selected>' in body
    assert Producer.objects.count() == 0
    assert not User.objects.filter(username="namhtx").exists()


def test_duplicate_tax_code_gives_a_clear_field_message(client, units, new):
    producer_with_owner(
        commune=units["commune"], tax_code="5400123456", registration_no="5400000009"
    )

    response = client.post("/register/", form_data(new, registration_no="5400000001"))

    assert response.status_code == 200
    assert response.context["form"].errors["tax_code"] == [
        "A producer with this tax code is already registered. If it is yours, ask its owner "
        "to invite you instead of registering it again."
    ]
    assert Producer.objects.count() == 1
    assert not User.objects.filter(username="namhtx").exists()


def test_register_page_offers_todays_map_without_districts(client, units, new):
    response = client.get("/register/")

    form = response.context["form"]
    assert "district" not in form.fields
    assert list(form.fields["province"].queryset) == [new["province"]]
    assert 'name="district"' not in response.text


def test_commune_must_lie_in_the_chosen_province(client, new):
    elsewhere = UnitFactory(scheme=UnitScheme.TWO_TIER, code="19", short_name="Thái Nguyên")
    response = client.post("/register/", form_data(new, province=elsewhere.pk))

    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert Producer.objects.count() == 0


def test_commune_is_required(client, new):
    response = client.post("/register/", form_data(new, commune=""))

    assert "commune" in response.context["form"].errors


def test_taken_username_and_email_are_field_errors(client, new):
    user_with_role(None, username="namhtx", email="nam@mandu.vn")

    response = client.post("/register/", form_data(new))

    assert set(response.context["form"].errors) == {"username", "account_email"}


def test_signed_in_users_are_sent_to_their_desk(client, units):
    _producer, owner = producer_with_owner(commune=units["commune"])
    client.force_login(owner)

    response = client.get("/register/")

    assert response.status_code == 302
    assert response["Location"] == "/producer/"
