import pytest

from ocop.core.enums import Role
from ocop.core.models import AuditEntry, User
from tests.factories import phu_tho_units

pytestmark = pytest.mark.django_db


def _add_user(client, **extra):
    data = {
        "username": "canbo.tanlac",
        "email": "canbo@tanlac.gov.vn",
        "password1": "mật-khẩu-dài-2026",
        "password2": "mật-khẩu-dài-2026",
        "usable_password": "true",
        "_save": "Save",
        **extra,
    }
    return client.post("/admin/core/user/add/", data)


def test_administrator_creates_a_commune_officer_on_todays_map(client, role_users, units):
    admin = role_users[Role.ADMINISTRATOR]
    client.force_login(admin)
    commune = phu_tho_units(units)["commune"]

    response = _add_user(client, roles=["commune_officer"], jurisdiction=commune.pk)

    assert response.status_code == 302
    user = User.objects.get(username="canbo.tanlac")
    assert user.roles == [Role.COMMUNE_OFFICER]
    assert user.jurisdiction == commune
    entry = AuditEntry.objects.filter(action="user.set_access").order_by("-seq").first()
    assert (entry.actor, entry.object_id) == (admin, str(user.pk))


def test_admin_refuses_a_district_since_districts_were_abolished(client, role_users, units):
    client.force_login(role_users[Role.ADMINISTRATOR])

    response = _add_user(client, roles=["district_officer"], jurisdiction=units["district"].pk)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["jurisdiction"]
    assert errors[0].startswith("Huyện Tân Lạc") and "01/07/2025" in errors[0]
    assert not User.objects.filter(username="canbo.tanlac").exists()


def test_admin_refuses_an_officer_without_a_matching_jurisdiction(client, role_users, units):
    client.force_login(role_users[Role.ADMINISTRATOR])

    response = _add_user(client, roles=["district_officer"], jurisdiction=units["province"].pk)

    assert response.status_code == 200
    assert "jurisdiction" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="canbo.tanlac").exists()


def test_administrator_cannot_edit_audit_entries(client, role_users):
    client.force_login(role_users[Role.ADMINISTRATOR])
    entry = AuditEntry.objects.first()

    response = client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("role", [Role.PROVINCE_OFFICER, Role.PRODUCER_MEMBER])
def test_non_administrators_do_not_reach_the_admin(client, role_users, role):
    client.force_login(role_users[role])

    response = client.get("/admin/core/user/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
