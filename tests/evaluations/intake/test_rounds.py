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
from tests.factories import phu_tho_units, producer_with_owner, user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


@pytest.fixture
def loaded(forms, regimes):
    return None


@pytest.fixture
def new_map(units):
    """Today's Phú Thọ (which absorbed Hoà Bình) and its province officer."""
    new = phu_tho_units(units)
    return {**new, "officer": user_with_role(Role.PROVINCE_OFFICER, new["province"], username="pt")}


def _post(client, **overrides):
    today = timezone.localdate()
    data = {
        "year": today.year,
        "number": 1,
        "title": "Đợt 1",
        "regime": Regime.objects.get(code="1489/2025").pk,
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


def test_open_round_page(client, loaded, new_map):
    officer = new_map["officer"]
    client.force_login(officer)
    page = client.get("/rounds/new/")
    assert page.status_code == 200
    assert page.context["form"].initial["number"] == 1
    assert page.context["form"].initial["regime"].code == "1489/2025"

    response = _post(client)

    round_obj = Round.objects.get()
    assert response.status_code == 302
    assert response.url == f"/rounds/{round_obj.pk}/"
    assert (round_obj.province, round_obj.created_by) == (new_map["province"], officer)
    assert (round_obj.regime.code, round_obj.historical) == ("1489/2025", False)


def test_a_round_opened_today_is_refused_an_older_regime_unless_entered_as_history(
    loaded, units, new_map
):
    """Issue 12: a round of this year under 1048/2019 (or 148/2023) is refused, with what to
    do; entered as history, it is accepted for a year that regime was in force."""
    officer, province = new_map["officer"], new_map["province"]
    today = timezone.localdate()
    for code in ("1048/2019", "148/2023"):
        with pytest.raises(ValidationError) as refused:
            open_round(officer, province, regime=code, historical=False, year=today.year)
        assert list(refused.value.message_dict) == ["regime"]
        assert "1489/2025" in refused.value.message_dict["regime"][0]
        with pytest.raises(ValidationError) as refused:
            open_round(officer, province, regime=code, historical=True, year=today.year)
        assert list(refused.value.message_dict) == ["regime"]
    assert Round.objects.count() == 0

    # 1048/2019 ran until 23/02/2023 and 148/2023 from the next day: 2023 had both. Those
    # years' rounds are Hoà Bình's, entered by today's Phú Thọ.
    old = units["province"]
    for number, (code, year) in enumerate((("1048/2019", 2022), ("1048/2019", 2023)), start=1):
        assert open_round(
            officer, old, regime=code, historical=True, year=year, number=number
        ).historical
    with pytest.raises(ValidationError) as refused:
        open_round(officer, old, regime="1048/2019", historical=True, year=2024, number=3)
    assert "not in force in 2024" in refused.value.message_dict["regime"][0]
    with pytest.raises(ValidationError) as refused:
        open_round(officer, province, historical=True, year=today.year + 1, number=4)
    assert list(refused.value.message_dict) == ["year"]


def test_an_abolished_province_takes_rounds_only_as_history_of_its_years(
    loaded, units, new_map, province_officer
):
    """Hoà Bình (merged into Phú Thọ on 01/07/2025) cannot open today's round; its 2024
    round can be entered as history, a 2026 one cannot."""
    old = units["province"]
    with pytest.raises(ValidationError) as refused:
        open_round(province_officer, old, regime="1489/2025", historical=False)
    assert list(refused.value.message_dict) == ["historical"]
    with pytest.raises(ValidationError) as refused:
        open_round(province_officer, old, regime="1489/2025", historical=True, year=2026)
    assert "did not exist in 2026" in refused.value.message_dict["year"][0]
    # An officer of today's Phú Thọ enters it too: Hoà Bình lies inside Phú Thọ's history.
    entered = open_round(new_map["officer"], old, historical=True, year=2024)
    assert (entered.province, entered.regime.code, entered.year) == (old, "148/2023", 2024)


def test_the_round_page_says_plainly_it_was_entered_as_history(client, loaded, units, new_map):
    round_obj = open_round(new_map["officer"], units["province"], historical=True, year=2024)
    client.force_login(new_map["officer"])

    page = client.get(f"/rounds/{round_obj.pk}/")
    listing = client.get("/rounds/")

    assert "entered as history, under 148/2023" in page.text
    assert 'data-testid="round-historical"' in listing.text


def test_open_round_page_refuses_an_older_regime_with_what_to_do(client, loaded, new_map):
    client.force_login(new_map["officer"])
    older = Regime.objects.get(code="148/2023").pk

    refused = _post(client, regime=older, title="Đợt cũ")
    accepted = _post(client, regime=older, historical="on", year=2025, title="Đợt 2025")

    assert refused.status_code == 400
    form = refused.context["form"]
    assert list(form.errors) == ["regime"]
    assert "Entered as history" in form.errors["regime"][0]
    assert form["title"].value() == "Đợt cũ"
    assert accepted.status_code == 302
    assert Round.objects.get().historical


def test_open_round_page_keeps_the_input_with_field_messages(client, loaded, new_map):
    client.force_login(new_map["officer"])
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


def test_phu_tho_enters_a_past_round_of_hoa_binh_from_the_page(client, loaded, units, new_map):
    """The office of a province that absorbed others chooses which one a past round was of."""
    client.force_login(new_map["officer"])
    old = units["province"]

    page = client.get("/rounds/new/")
    not_history = _post(client, province=old.pk, year=2024, title="Đợt 2024")
    older = Regime.objects.get(code="148/2023").pk
    entered = _post(
        client, province=old.pk, year=2024, historical="on", regime=older, title="Đợt 2024"
    )

    choices = list(page.context["form"].fields["province"].queryset)
    assert choices == [new_map["province"], old]
    assert not_history.status_code == 400
    assert "historical" in not_history.context["form"].errors
    assert entered.status_code == 302
    round_obj = Round.objects.get()
    assert (round_obj.province, round_obj.year, round_obj.historical) == (old, 2024, True)


def test_an_office_without_merged_provinces_gets_no_province_select(
    client, loaded, province_officer
):
    client.force_login(province_officer)

    assert "province" not in client.get("/rounds/new/").context["form"].fields
