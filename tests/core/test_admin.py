import pytest

from ocop.core.enums import Role
from ocop.core.models import AuditEntry, User

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


def test_administrator_creates_a_district_officer_with_jurisdiction(client, role_users, units):
    admin = role_users[Role.ADMINISTRATOR]
    client.force_login(admin)

    response = _add_user(client, roles=["district_officer"], jurisdiction=units["district"].pk)

    assert response.status_code == 302
    user = User.objects.get(username="canbo.tanlac")
    assert user.roles == [Role.DISTRICT_OFFICER]
    assert user.jurisdiction == units["district"]
    entry = AuditEntry.objects.filter(action="user.set_access").order_by("-seq").first()
    assert (entry.actor, entry.object_id) == (admin, str(user.pk))


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
