import datetime

import pytest
from django.apps import apps

from ocop.core.enums import Role

pytestmark = pytest.mark.django_db


PUBLIC = ["catalogue", "criteria", "verify_search"]
OFFICE = ["council_list", "certificate_list", "decision_list"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.PRODUCER_MEMBER, [*PUBLIC, "dossier_list", "certificate_list"]),
        (Role.COMMUNE_OFFICER, [*PUBLIC, "inbox", *OFFICE]),
        (Role.DISTRICT_OFFICER, [*PUBLIC, "inbox", *OFFICE]),
        (
            Role.PROVINCE_OFFICER,
            [
                *PUBLIC,
                "inbox",
                "round_list",
                *OFFICE,
                "potential",
                "report_progress",
                "report_funnel",
                "report_years",
                "inspection_plan",
                "report_followup",
                "result_import",
            ],
        ),
        (Role.ADMINISTRATOR, [*PUBLIC, "council_list", "result_import"]),
    ],
)
def test_each_role_gets_its_evaluations_entries(role_users, role, expected):
    items = apps.get_app_config("evaluations").navigation(role_users[role])

    assert [item.key for item in items] == expected
    assert [str(i.label) for i in items if i.key == "inbox"] in ([], ["Dossier inbox"])


def test_a_council_member_without_a_role_gets_the_sessions(units):
    from evaluations.councils.services.councils import council_add_member, council_create
    from tests.factories import UserFactory, user_with_role

    officer = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="wg")
    council = council_create(
        level="district",
        unit=units["district"],
        name="Hội đồng",
        decision_number="1/QĐ-UBND",
        decision_date=datetime.date(2025, 1, 2),
        term_start=datetime.date(2025, 1, 2),
        actor=officer,
    )
    expert = UserFactory(username="chuyengia")
    council_add_member(council=council, user=expert, role="member", actor=officer)

    items = apps.get_app_config("evaluations").navigation(expert)

    assert [item.key for item in items] == [*PUBLIC, "session_list"]


def test_anonymous_visitors_see_the_scoring_forms_only():
    from django.contrib.auth.models import AnonymousUser

    items = apps.get_app_config("evaluations").navigation(AnonymousUser())

    assert [(item.key, item.public) for item in items] == [(key, True) for key in PUBLIC]
