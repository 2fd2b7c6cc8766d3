"""Opening rounds and who sees them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.intake.selectors import rounds_visible_to
from evaluations.models import CriteriaVersion, Regime, Round
from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from tests.evaluations.intake.conftest import open_round
from tests.factories import producer_with_owner, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def loaded(forms, regimes):
    return None


def _post(client, **overrides):
    today = timezone.localdate()
    data = {
        "year": today.year,
        "number": 1,
        "title": "Đợt 1",
        "regime": Regime.objects.get(code="148/2023").pk,
        "criteria_version": CriteriaVersion.objects.get(code="148/2023").pk,
        "submission_deadline": (today + datetime.timedelta(days=30)).isoformat(),
        "first_level_deadline": (today + datetime.timedelta(days=60)).isoformat(),
        "province_deadline": (today + datetime.timedelta(days=90)).isoformat(),
    }
    data.update(overrides)
    return client.post("/rounds/new/", data)


def test_round_open_is_audited(loaded, units, province_officer):
    round_obj = open_round(province_officer, units["province"])

    entry = AuditEntry.objects.get(action="round.open")
    assert (entry.actor, entry.object_id) == (province_officer, str(round_obj.pk))
    assert entry.data["regime"] == "148/2023"


def test_deadlines_out_of_order_get_field_messages(loaded, units, province_officer):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as refused:
        open_round(
            province_officer,
            units["province"],
            submission_deadline=today + datetime.timedelta(days=10),
            first_level_deadline=today + datetime.timedelta(days=5),
            province_deadline=today + datetime.timedelta(days=1),
        )

    assert sorted(refused.value.message_dict) == ["first_level_deadline", "province_deadline"]
    assert Round.objects.count() == 0


def test_a_round_number_is_used_once_a_year(loaded, units, province_officer):
    open_round(province_officer, units["province"])

    with pytest.raises(ValidationError) as refused:
        open_round(province_officer, units["province"])

    assert list(refused.value.message_dict) == ["number"]


def test_only_the_provinces_officers_open_its_rounds(loaded, units, role_users, other_province):
    outsider = user_with_role(Role.PROVINCE_OFFICER, other_province, username="thainguyen")
    for user in (role_users[Role.DISTRICT_OFFICER], outsider, role_users[Role.PRODUCER_MEMBER]):
        with pytest.raises(PermissionDenied):
            open_round(user, units["province"])


def test_open_round_page(client, loaded, units, province_officer):
    client.force_login(province_officer)
    page = client.get("/rounds/new/")
    assert page.status_code == 200
    assert page.context["form"].initial["number"] == 1

    response = _post(client)

    round_obj = Round.objects.get()
    assert response.status_code == 302
    assert response.url == f"/rounds/{round_obj.pk}/"
    assert (round_obj.province, round_obj.created_by) == (units["province"], province_officer)


def test_open_round_page_keeps_the_input_with_field_messages(client, loaded, province_officer):
    client.force_login(province_officer)
    today = timezone.localdate()

    response = _post(
        client,
        first_level_deadline=today.isoformat(),
        title="Đợt đặc biệt",
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["first_level_deadline"]
    assert "cannot be before the submission deadline" in form.errors["first_level_deadline"][0]
    assert form["title"].value() == "Đợt đặc biệt"


@pytest.mark.parametrize("role", [Role.DISTRICT_OFFICER, Role.PRODUCER_MEMBER, Role.ADMINISTRATOR])
def test_open_round_page_is_404_for_others(client, loaded, role_users, role):
    client.force_login(role_users[role])

    assert client.get("/rounds/new/").status_code == 404
    assert _post(client).status_code == 404


def test_rounds_are_visible_in_their_province_only(
    loaded, units, province_officer, role_users, other_province
):
    here = open_round(province_officer, units["province"])
    officer_elsewhere = user_with_role(Role.PROVINCE_OFFICER, other_province, username="tn")
    elsewhere = open_round(officer_elsewhere, other_province)
    _, member = producer_with_owner(commune=units["commune"], username="htx")

    assert list(rounds_visible_to(province_officer)) == [here]
    assert list(rounds_visible_to(role_users[Role.DISTRICT_OFFICER])) == [here]
    assert list(rounds_visible_to(role_users[Role.COMMUNE_OFFICER])) == [here]
    assert list(rounds_visible_to(member)) == [here]
    assert list(rounds_visible_to(officer_elsewhere)) == [elsewhere]
    assert list(rounds_visible_to(role_users[Role.PRODUCER_MEMBER])) == []  # no producer


def test_round_pages_and_404_outside_the_province(
    client, loaded, units, province_officer, other_province
):
    round_obj = open_round(province_officer, units["province"])
    _, member = producer_with_owner(commune=units["commune"], username="htx")
    outsider = user_with_role(Role.PROVINCE_OFFICER, other_province, username="tn")

    client.force_login(member)
    detail = client.get(f"/rounds/{round_obj.pk}/")
    assert (detail.status_code, detail.context["can_register"]) == (200, True)
    client.force_login(province_officer)
    assert client.get("/rounds/").status_code == 200
    assert client.get(f"/rounds/{round_obj.pk}/").status_code == 200
    client.force_login(outsider)
    assert client.get(f"/rounds/{round_obj.pk}/").status_code == 404


def test_round_list_query_count_does_not_grow(client, loaded, units, province_officer):
    client.force_login(province_officer)
    open_round(province_officer, units["province"], number=1)
    with CaptureQueriesContext(connection) as one:
        client.get("/rounds/")
    open_round(province_officer, units["province"], number=2)
    open_round(province_officer, units["province"], number=3)
    with CaptureQueriesContext(connection) as three:
        response = client.get("/rounds/")

    assert len(response.context["rounds"]) == 3
    assert len(one) == len(three)


def test_object_permissions_agree_with_the_selectors(
    loaded, units, province_officer, role_users, other_province
):
    round_obj = open_round(province_officer, units["province"])
    _, member = producer_with_owner(commune=units["commune"], username="htx")
    outsider = user_with_role(Role.PROVINCE_OFFICER, other_province, username="tn")

    assert member.has_perm("evaluations.view_round", round_obj)
    assert role_users[Role.COMMUNE_OFFICER].has_perm("evaluations.view_round", round_obj)
    assert not outsider.has_perm("evaluations.view_round", round_obj)
    assert not role_users[Role.PRODUCER_MEMBER].has_perm("evaluations.view_round", round_obj)
    assert province_officer.has_perm("evaluations.open_round", units["province"])
    assert not outsider.has_perm("evaluations.open_round", units["province"])
