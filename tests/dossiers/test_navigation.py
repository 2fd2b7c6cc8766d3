import pytest
from django.apps import apps

from ocop.core.enums import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.PRODUCER_MEMBER, ["criteria", "dossier_list"]),
        (Role.COMMUNE_OFFICER, ["criteria", "inbox"]),
        (Role.DISTRICT_OFFICER, ["criteria", "inbox"]),
        (Role.PROVINCE_OFFICER, ["criteria", "inbox", "round_list"]),
        (Role.ADMINISTRATOR, ["criteria"]),
    ],
)
def test_each_role_gets_its_evaluations_entries(role_users, role, expected):
    items = apps.get_app_config("evaluations").navigation(role_users[role])

    assert [item.key for item in items] == expected
    assert [str(i.label) for i in items if i.key == "inbox"] in ([], ["Dossier inbox"])


def test_anonymous_visitors_see_the_scoring_forms_only():
    from django.contrib.auth.models import AnonymousUser

    items = apps.get_app_config("evaluations").navigation(AnonymousUser())

    assert [(item.key, item.public) for item in items] == [("criteria", True)]
