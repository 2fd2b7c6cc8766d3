import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from ocop.core.roles import declared_role_permissions
from ocop.core.services.users import user_set_access
from tests.factories import UserFactory, phu_tho_units, user_with_role

pytestmark = pytest.mark.django_db


def test_role_groups_exist_with_exactly_the_declared_permissions():
    declared = declared_role_permissions()

    for role in Role:
        group = Group.objects.get(name=role.value)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == declared[role.value]


def test_district_officer_without_jurisdiction_is_refused(units):
    user = UserFactory()

    with pytest.raises(ValidationError) as error:
        user_set_access(user=user, roles=[Role.DISTRICT_OFFICER], jurisdiction=None, actor=None)

    assert error.value.code == "jurisdiction_level"
    assert list(user.groups.all()) == []


def test_district_officer_with_a_province_jurisdiction_is_refused(units):
    user = UserFactory()

    with pytest.raises(ValidationError):
        user_set_access(
            user=user, roles=[Role.DISTRICT_OFFICER], jurisdiction=units["province"], actor=None
        )


def test_two_officer_roles_on_one_account_are_refused(units):
    user = UserFactory()

    with pytest.raises(ValidationError) as error:
        user_set_access(
            user=user,
            roles=[Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER],
            jurisdiction=units["district"],
            actor=None,
        )

    assert error.value.code == "several_officer_roles"


def test_administrator_role_makes_the_account_staff():
    user = user_with_role(Role.ADMINISTRATOR)

    assert user.is_staff is True
    assert user.role_names == frozenset({"administrator"})


def test_removing_the_administrator_role_removes_staff():
    user = user_with_role(Role.ADMINISTRATOR)

    user = user_set_access(user=user, roles=[Role.PRODUCER_MEMBER], jurisdiction=None, actor=None)

    assert user.is_staff is False
    assert user.roles == [Role.PRODUCER_MEMBER]


def test_set_access_writes_one_audit_entry_with_before_and_after(units):
    actor = user_with_role(Role.ADMINISTRATOR)
    user = UserFactory()
    commune = phu_tho_units(units)["commune"]
    before = AuditEntry.objects.count()

    user_set_access(user=user, roles=[Role.COMMUNE_OFFICER], jurisdiction=commune, actor=actor)

    entry = AuditEntry.objects.get(seq=before + 1)
    assert AuditEntry.objects.count() == before + 1
    assert entry.action == "user.set_access"
    assert entry.actor == actor
    assert entry.data["to"] == {
        "roles": ["commune_officer"],
        "jurisdiction": commune.pk,
        "is_staff": False,
    }


@pytest.mark.dates
def test_an_officer_area_is_given_on_todays_map_and_an_old_one_may_be_kept(units):
    """Issue 12: no district (nor any unit abolished in 2025) is given as a new area; an
    account that already had one keeps it when its roles change."""
    actor = user_with_role(Role.ADMINISTRATOR)
    user = UserFactory()
    for role, unit in ((Role.DISTRICT_OFFICER, "district"), (Role.COMMUNE_OFFICER, "commune")):
        with pytest.raises(ValidationError) as refused:
            user_set_access(user=user, roles=[role], jurisdiction=units[unit], actor=actor)
        assert refused.value.code == "jurisdiction_abolished"
        assert refused.value.messages[0].startswith(units[unit].name)
        assert "…–30" in refused.value.messages[0]
    assert list(user.groups.all()) == []

    legacy = user_with_role(Role.COMMUNE_OFFICER, units["commune"])  # loaded with its history
    kept = user_set_access(
        user=legacy, roles=[Role.COMMUNE_OFFICER], jurisdiction=units["commune"], actor=actor
    )
    assert kept.jurisdiction == units["commune"]


def test_setting_the_same_access_again_records_nothing(units):
    user = user_with_role(Role.DISTRICT_OFFICER, units["district"])
    before = AuditEntry.objects.count()

    user_set_access(
        user=user, roles=[Role.DISTRICT_OFFICER], jurisdiction=units["district"], actor=None
    )

    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    ("role", "audit", "units_page"),
    [
        (Role.PRODUCER_MEMBER, False, False),
        (Role.COMMUNE_OFFICER, False, True),
        (Role.DISTRICT_OFFICER, False, True),
        (Role.PROVINCE_OFFICER, True, True),
        (Role.ADMINISTRATOR, True, True),
    ],
)
def test_role_permissions(role_users, role, audit, units_page):
    user = role_users[role]

    assert user.has_perm("core.view_audit_log") is audit
    assert user.has_perm("core.browse_units") is units_page


def test_user_without_role_has_no_permission():
    user = UserFactory()

    assert user.has_perm("core.view_audit_log") is False
    assert user.has_perm("core.browse_units") is False
