"""The council pages (list, set up, edit, members) and a session's preparation (set up,
agenda), as the working group, the administrator and council members see them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.councils.services.scoring import conflict_declare
from evaluations.councils.services.sessions import session_create
from evaluations.enums import DossierState
from evaluations.models import Council, CouncilMember, Dossier, Session, SessionItem
from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from tests.evaluations.councils.conftest import make_council
from tests.factories import UserFactory, phu_tho_units, user_with_role

# The district session's items, built once per module (and per `dates` day): tests/fixtures/.
from tests.fixtures.items_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


@pytest.fixture
def other_district_officer(units):
    return user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="dabac")


@pytest.fixture
def producer(role_users):
    return role_users[Role.PRODUCER_MEMBER]


@pytest.fixture
def admin(role_users):
    return role_users[Role.ADMINISTRATOR]


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def audit_actions(action):
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


COUNCIL_POST = {
    "level": "district",
    # A district council of the old map: its term starts before 01/07/2025.
    "name": "Hội đồng OCOP huyện Tân Lạc 2025",
    "decision_number": "12/QĐ-UBND",
    "decision_date": "2025-01-05",
    "term_start": "2025-01-05",
    "term_end": "2030-12-31",
    "quorum": "0.75",
    "spread_threshold": "10",
}


# --- the list ------------------------------------------------------------------------------


def test_council_list_shows_the_officers_councils_with_member_counts(
    client, district_council, province_council, district_officer
):
    client.force_login(district_officer)

    response = client.get(url("council_list"))

    assert response.status_code == 200
    assert list(response.context["councils"]) == [district_council]
    assert response.context["councils"][0].member_count == 6
    body = response.content.decode()
    assert district_council.name in body
    assert "Huyện Tân Lạc" in body
    assert district_council.decision_number in body
    assert "New council" in body


def test_province_officer_sees_the_councils_below(
    client, district_council, province_council, province_officer
):
    client.force_login(province_officer)

    response = client.get(url("council_list"))

    assert set(response.context["councils"]) == {district_council, province_council}
    counts = {c.pk: c.member_count for c in response.context["councils"]}
    assert counts == {district_council.pk: 6, province_council.pk: 3}


def test_a_member_without_a_role_sees_their_council_only(
    client, district_council, province_council, members
):
    client.force_login(members["hdh2"].user)

    response = client.get(url("council_list"))

    assert response.status_code == 200
    assert list(response.context["councils"]) == [district_council]
    # All the council's members are counted, not only the row that made it visible.
    assert response.context["councils"][0].member_count == 6
    assert "New council" not in response.content.decode()


def test_council_list_refuses_users_without_access(client, district_council, producer):
    assert_login_redirect(client.get(url("council_list")))
    client.force_login(producer)
    assert client.get(url("council_list")).status_code == 404
    client.force_login(UserFactory(username="nobody"))
    assert client.get(url("council_list")).status_code == 404


def test_other_districts_officer_lists_nothing(client, district_council, other_district_officer):
    client.force_login(other_district_officer)

    response = client.get(url("council_list"))

    assert response.status_code == 200
    assert list(response.context["councils"]) == []
    assert "No council has been set up yet." in response.content.decode()


def test_council_list_query_count_does_not_grow(client, units, district_officer):
    client.force_login(district_officer)
    make_council("district", units["district"], district_officer, prefix="a", scoring=3)
    with CaptureQueriesContext(connection) as one:
        client.get(url("council_list"))
    make_council("district", units["district"], district_officer, prefix="b", scoring=4)
    make_council("district", units["district"], district_officer, prefix="c", scoring=5)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url("council_list"))

    assert len(response.context["councils"]) == 3
    assert len(one) == len(three)


# --- setting up a council --------------------------------------------------------------------


def test_new_council_form_offers_the_officers_units(client, units, district_officer):
    client.force_login(district_officer)

    response = client.get(url("council_create"))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["unit"].queryset) == [units["district"], units["commune"]]
    assert form.initial == {"level": "district", "unit": units["district"].pk}
    assert form["quorum"].value() == Decimal("0.75")
    assert form["spread_threshold"].value() == Decimal(10)


def test_province_officer_may_choose_the_province_or_its_districts(client, units, province_officer):
    client.force_login(province_officer)

    form = client.get(url("council_create")).context["form"]

    assert list(form.fields["unit"].queryset) == [
        units["province"],
        units["other_district"],
        units["district"],
    ]


def test_administrator_chooses_among_the_provinces_of_todays_map(client, units, admin):
    client.force_login(admin)
    new = phu_tho_units(units)

    response = client.get(url("council_create"))

    assert response.status_code == 200
    choices = list(response.context["form"].fields["unit"].queryset)
    assert choices == [new["province"]]
    assert "Huyện Tân Lạc" not in response.content.decode()


def test_a_council_of_today_is_set_up_on_todays_map(client, units):
    """Issue 12: a district council whose term starts in 2026 is refused (districts were
    abolished on 01/07/2025); Phú Thọ's officer sets up the province council."""
    new = phu_tho_units(units)
    officer = user_with_role(Role.PROVINCE_OFFICER, new["province"], username="pt")
    district_officer = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="h")
    today_term = {"decision_date": "2026-01-05", "term_start": "2026-01-05"}

    client.force_login(district_officer)
    refused = client.post(
        url("council_create"), COUNCIL_POST | today_term | {"unit": units["district"].pk}
    )
    client.force_login(officer)
    form = client.get(url("council_create")).context["form"]
    created = client.post(
        url("council_create"),
        COUNCIL_POST
        | today_term
        | {"level": "province", "unit": new["province"].pk, "name": "Hội đồng OCOP Phú Thọ"},
    )

    assert refused.status_code == 400
    assert (
        "Huyện Tân Lạc did not exist when this term starts"
        in refused.context["form"].errors["unit"][0]
    )
    # Under 1489/2025 only the province's council scores: no commune, no district offered.
    assert list(form.fields["unit"].queryset) == [new["province"]]
    assert [value for value, _label in form.fields["level"].choices] == ["province"]
    assert created.status_code == 302
    assert Council.objects.get().unit == new["province"]


def test_set_up_a_council(client, units, district_officer):
    client.force_login(district_officer)

    response = client.post(url("council_create"), COUNCIL_POST | {"unit": units["district"].pk})

    council = Council.objects.get()
    assert response.status_code == 302
    assert response.url == url("council_detail", council.pk)
    assert council.unit == units["district"]
    assert council.term_end == datetime.date(2030, 12, 31)
    assert council.quorum == Decimal("0.75")
    [entry] = audit_actions("council.create")
    assert entry.actor == district_officer
    assert entry.object_id == str(council.pk)
    page = client.get(response.url).content.decode()
    assert "The council is set up. Now add its members." in page


def test_a_council_only_at_a_level_that_scores_when_its_term_starts(units, admin):
    """Under 1489/2025 the commune checks dossiers but does not score: no commune council for
    a 2026 term, even through the service; under 148/2023 the district's was one."""
    from evaluations.councils.services.councils import council_create

    values = {
        "name": "Hội đồng OCOP",
        "decision_number": "1/QĐ-UBND",
        "decision_date": datetime.date(2026, 1, 5),
        "term_start": datetime.date(2026, 1, 5),
        "actor": admin,
    }
    with pytest.raises(ValidationError) as refused:
        council_create(level="commune", unit=units["new_commune"], **values)

    assert "no commune council scores" in refused.value.message_dict["level"][0].lower()
    assert not Council.objects.exists()


def test_set_up_a_council_as_administrator(client, units, admin):
    client.force_login(admin)
    province = phu_tho_units(units)["province"]

    response = client.post(
        url("council_create"),
        COUNCIL_POST
        | {"level": "province", "unit": province.pk, "term_end": "", "term_start": "2026-01-05"},
    )

    council = Council.objects.get()
    assert response.status_code == 302
    assert council.level == "province"
    assert council.term_end is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"term_end": "2024-12-31"}, "term_end", "The term cannot end before it starts."),
        ({"level": "province"}, "unit", "The unit must be a province."),
        ({"quorum": "0.3"}, "quorum", "The quorum is a share between 0.5 and 1"),
        ({"spread_threshold": "-1"}, "spread_threshold", "cannot be negative"),
        ({"name": "  "}, "name", "This field is required."),
        ({"decision_date": "2025-02-01"}, "term_start", "cannot start before the establishing"),
    ],
)
def test_bad_council_input_is_kept_with_the_message(
    client, units, district_officer, changes, field, message
):
    client.force_login(district_officer)
    data = COUNCIL_POST | {"unit": units["district"].pk} | changes

    response = client.post(url("council_create"), data)

    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert 'value="12/QĐ-UBND"' in response.content.decode()
    assert not Council.objects.exists()
    assert not audit_actions("council.create")


def test_a_unit_outside_the_jurisdiction_cannot_be_chosen(client, units, district_officer):
    client.force_login(district_officer)

    response = client.post(
        url("council_create"),
        COUNCIL_POST | {"unit": units["other_district"].pk},
    )

    assert response.status_code == 400
    assert "unit" in response.context["form"].errors
    assert not Council.objects.exists()


def test_new_council_refuses_users_who_may_not(client, district_council, members, producer):
    assert_login_redirect(client.get(url("council_create")))
    for user in (producer, members["hdh1"].user, UserFactory(username="nobody")):
        client.force_login(user)
        assert client.get(url("council_create")).status_code == 404
        assert client.post(url("council_create"), COUNCIL_POST).status_code == 404
    assert Council.objects.count() == 1


# --- the council's page -----------------------------------------------------------------------


def test_council_page_for_its_working_group(client, district_council, items, district_officer):
    client.force_login(district_officer)

    response = client.get(url("council_detail", district_council.pk))

    assert response.status_code == 200
    assert response.context["can_manage"]
    assert response.context["can_prepare"]
    body = response.content.decode()
    for text in (
        district_council.name,
        "Hà Thành viên 1",
        "Chair",
        "Vice-chair",
        "Secretary",
        "Phòng Nông nghiệp",
        "Hội trường UBND huyện Tân Lạc",
        "Add a member",
        "New session",
        "75%",
    ):
        assert text in body
    assert body.count('data-testid="member-remove"') == 6
    [session] = response.context["sessions"]
    assert session.product_count == 3
    assert url("session_detail", session.pk) in body
    assert url("session_create", district_council.pk) in body


def test_council_page_for_a_member_has_no_actions(client, district_council, members):
    client.force_login(members["hdh3"].user)

    response = client.get(url("council_detail", district_council.pk))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Hà Thành viên 1" in body
    assert 'data-testid="member-remove"' not in body
    assert "Add a member" not in body
    assert "New session" not in body
    assert "hdh1" not in body  # usernames are for the managers


def test_province_officer_manages_but_does_not_prepare_a_district_session(
    client, district_council, province_officer
):
    client.force_login(province_officer)

    response = client.get(url("council_detail", district_council.pk))

    assert response.status_code == 200
    assert response.context["can_manage"]
    assert not response.context["can_prepare"]
    assert "New session" not in response.content.decode()


def test_council_page_is_404_for_users_who_may_not_see_it(
    client, district_council, province_council, members, other_district_officer, producer
):
    page = url("council_detail", district_council.pk)
    assert_login_redirect(client.get(page))
    for user in (other_district_officer, producer, UserFactory(username="nobody")):
        client.force_login(user)
        assert client.get(page).status_code == 404
    # A member of the district council does not see the province council.
    client.force_login(members["hdh1"].user)
    assert client.get(url("council_detail", province_council.pk)).status_code == 404
    assert client.get(url("council_detail", 999999)).status_code == 404


# --- editing a council ------------------------------------------------------------------------


def test_edit_a_council(client, district_council, district_officer):
    client.force_login(district_officer)
    page = url("council_edit", district_council.pk)
    form = client.get(page).context["form"]
    assert form.initial["name"] == district_council.name
    data = {k: form[k].value() for k in form.fields} | {
        "quorum": "0.8",
        "term_end": "2027-12-31",
    }
    data = {k: ("" if v is None else v) for k, v in data.items()}

    response = client.post(page, data)

    assert response.status_code == 302
    assert response.url == url("council_detail", district_council.pk)
    district_council.refresh_from_db()
    assert district_council.quorum == Decimal("0.8")
    assert district_council.term_end == datetime.date(2027, 12, 31)
    [entry] = audit_actions("council.update")
    assert set(entry.data) == {"quorum", "term_end"}


def test_bad_edit_is_kept_and_nothing_saved(client, district_council, district_officer):
    client.force_login(district_officer)
    page = url("council_edit", district_council.pk)
    data = {
        "name": "Tên mới",
        "decision_number": "1/QĐ",
        "decision_date": "2025-01-02",
        "term_start": "2025-01-02",
        "term_end": "2024-12-31",
        "quorum": "1.5",
        "spread_threshold": "10",
    }

    response = client.post(page, data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "The term cannot end before it starts." in errors["term_end"]
    assert "quorum" in errors
    assert 'value="Tên mới"' in response.content.decode()
    district_council.refresh_from_db()
    assert district_council.name != "Tên mới"
    assert not audit_actions("council.update")


def test_edit_is_404_for_members_and_other_officers(
    client, district_council, members, other_district_officer
):
    page = url("council_edit", district_council.pk)
    assert_login_redirect(client.get(page))
    for user in (members["hdh1"].user, other_district_officer):
        client.force_login(user)
        assert client.get(page).status_code == 404
        assert client.post(page, {"name": "x"}).status_code == 404


# --- members ---------------------------------------------------------------------------------


def test_add_a_member_by_username(client, district_council, district_officer):
    UserFactory(username="chuyengia", first_name="Chuyên gia", last_name="Lê")
    client.force_login(district_officer)

    response = client.post(
        url("council_member_add", district_council.pk),
        {
            "username": "ChuyenGia ",
            "role": "member",
            "organisation": "Sở KH&CN",
            "title": "Chuyên viên",
        },
    )

    assert response.status_code == 302
    assert response.url == url("council_detail", district_council.pk)
    member = district_council.members.get(user__username="chuyengia")
    assert (member.role, member.organisation, member.title) == (
        "member",
        "Sở KH&CN",
        "Chuyên viên",
    )
    [entry] = [e for e in audit_actions("council.add_member") if e.data["member"] == member.pk]
    assert entry.actor == district_officer
    assert (
        "Lê Chuyên gia is now a member of the council." in client.get(response.url).content.decode()
    )


@pytest.mark.parametrize(
    ("username", "role", "message"),
    [
        ("khongco", "member", "No active account with this username."),
        ("nghiviec", "member", "No active account with this username."),
        ("hdh2", "member", "This person is already a member of the council."),
        ("chuyengia", "chair", "The council already has a chair."),
        ("", "member", "This field is required."),
    ],
)
def test_bad_member_input_is_kept_with_the_message(
    client, district_council, district_officer, username, role, message
):
    UserFactory(username="chuyengia")
    UserFactory(username="nghiviec", is_active=False)
    client.force_login(district_officer)
    before = CouncilMember.objects.count()
    entries = AuditEntry.objects.count()

    response = client.post(
        url("council_member_add", district_council.pk),
        {"username": username, "role": role, "organisation": "Sở Công Thương"},
    )

    assert response.status_code == 400
    form = response.context["member_form"]
    assert message in " ".join(form.errors.get("username", []) + form.errors.get("role", []))
    body = response.content.decode()
    assert message in body
    assert 'value="Sở Công Thương"' in body
    # The page is the council's page, with its members.
    assert "Hà Thành viên 1" in body
    assert CouncilMember.objects.count() == before
    assert AuditEntry.objects.count() == entries


def test_adding_a_member_is_404_for_users_who_may_not(
    client, district_council, members, other_district_officer
):
    UserFactory(username="chuyengia")
    page = url("council_member_add", district_council.pk)
    data = {"username": "chuyengia", "role": "member"}
    assert_login_redirect(client.post(page, data))
    for user in (members["hdh1"].user, other_district_officer):
        client.force_login(user)
        assert client.post(page, data).status_code == 404
    assert not CouncilMember.objects.filter(user__username="chuyengia").exists()


def test_remove_a_member(client, district_council, members, district_officer):
    client.force_login(district_officer)
    secretary = members["hdhtk"]

    response = client.post(url("council_member_remove", district_council.pk, secretary.pk))

    assert response.status_code == 302
    assert response.url == url("council_detail", district_council.pk)
    assert not CouncilMember.objects.filter(pk=secretary.pk).exists()
    [entry] = audit_actions("council.remove_member")
    assert entry.data["member"] == secretary.pk
    page = client.get(response.url).content.decode()
    assert "Đinh Thư ký is no longer a member of the council." in page


def test_a_member_who_declared_cannot_be_removed(client, items, members, district_officer):
    member = members["hdh2"]
    conflict_declare(item=items[0], has_conflict=False, actor=member.user)
    client.force_login(district_officer)

    response = client.post(url("council_member_remove", member.council_id, member.pk), follow=True)

    assert response.status_code == 200
    assert "has score sheets in this council" in response.content.decode()
    assert CouncilMember.objects.filter(pk=member.pk).exists()
    assert not audit_actions("council.remove_member")


def test_removing_is_404_for_users_who_may_not_or_another_councils_member(
    client, district_council, province_council, members, other_district_officer, district_officer
):
    member = members["hdh5"]
    page = url("council_member_remove", district_council.pk, member.pk)
    assert_login_redirect(client.post(page))
    for user in (members["hdh1"].user, other_district_officer):
        client.force_login(user)
        assert client.post(page).status_code == 404
    client.force_login(district_officer)
    # The member through another council's address.
    assert (
        client.post(url("council_member_remove", province_council.pk, member.pk)).status_code == 404
    )
    assert client.get(page).status_code == 405
    assert CouncilMember.objects.filter(pk=member.pk).exists()


# --- setting up a session ---------------------------------------------------------------------


def test_set_up_a_session(client, district_council, round_148, district_officer):
    client.force_login(district_officer)
    page = url("session_create", district_council.pk)
    response = client.get(page)
    assert response.status_code == 200
    assert list(response.context["form"].fields["round"].queryset) == [round_148]
    day = timezone.localdate() + datetime.timedelta(days=7)

    response = client.post(
        page, {"round": round_148.pk, "date": day.isoformat(), "place": "Phòng họp số 2"}
    )

    session = Session.objects.get()
    assert response.status_code == 302
    assert response.url == url("session_agenda", session.pk)
    assert (session.council, session.round, session.date, session.place) == (
        district_council,
        round_148,
        day,
        "Phòng họp số 2",
    )
    [entry] = audit_actions("session.create")
    assert entry.actor == district_officer


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": "2024-06-01"}, "date", "The council's term starts on"),
        ({"place": "   "}, "place", "This field is required."),
        ({"round": ""}, "round", "This field is required."),
    ],
)
def test_bad_session_input_is_kept(
    client, district_council, round_148, district_officer, changes, field, message
):
    client.force_login(district_officer)
    data = {"round": round_148.pk, "date": "2026-03-02", "place": "Nhà văn hoá xã"} | changes

    response = client.post(url("session_create", district_council.pk), data)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert message.replace("'", "&#x27;") in body
    if field != "place":
        assert 'value="Nhà văn hoá xã"' in body
    assert not Session.objects.exists()
    assert not audit_actions("session.create")


def test_session_setup_is_404_for_all_but_the_levels_working_group(
    client, district_council, round_148, members, province_officer, other_district_officer
):
    page = url("session_create", district_council.pk)
    data = {"round": round_148.pk, "date": "2026-03-02", "place": "Nhà văn hoá"}
    assert_login_redirect(client.get(page))
    for user in (province_officer, other_district_officer, members["hdh1"].user):
        client.force_login(user)
        assert client.get(page).status_code == 404
        assert client.post(page, data).status_code == 404
    assert not Session.objects.exists()


# --- the agenda -------------------------------------------------------------------------------


def test_agenda_lists_the_ready_dossiers(client, session, dossiers, district_officer):
    client.force_login(district_officer)

    response = client.get(url("session_agenda", session.pk))

    assert response.status_code == 200
    assert {d.pk for d in response.context["eligible"]} == {d.pk for d in dossiers}
    body = response.content.decode()
    for text in ("Gạo nếp cẩm", "Mật ong bạc hà", "Chè shan tuyết", "HTX Số 1", "Accepted"):
        assert text in body
    assert body.count('data-testid="dossier-choice"') == 3


def test_put_dossiers_on_the_agenda(client, session, dossiers, district_officer):
    client.force_login(district_officer)
    chosen = dossiers[:2]

    response = client.post(url("session_agenda", session.pk), {"dossiers": [d.pk for d in chosen]})

    assert response.status_code == 302
    assert response.url == url("session_detail", session.pk)
    assert {i.dossier_id for i in session.items.all()} == {d.pk for d in chosen}
    states = dict(Dossier.objects.values_list("pk", "state"))
    assert states[chosen[0].pk] == DossierState.UNDER_EVALUATION
    assert states[dossiers[2].pk] == DossierState.ACCEPTED
    [entry] = audit_actions("session.add_dossiers")
    assert sorted(entry.data["dossiers"]) == sorted(d.pk for d in chosen)

    page = client.get(url("session_agenda", session.pk)).content.decode()
    assert page.count('data-testid="agenda-item"') == 2
    assert page.count('data-testid="dossier-choice"') == 1


def test_agenda_needs_a_choice(client, session, dossiers, district_officer):
    client.force_login(district_officer)

    response = client.post(url("session_agenda", session.pk), {})

    assert response.status_code == 400
    assert "Choose at least one dossier." in response.content.decode()
    assert not SessionItem.objects.exists()


def test_agenda_refusal_keeps_the_selection(client, session, dossiers, district_officer):
    client.force_login(district_officer)
    # The second dossier is no longer ready (returned meanwhile, say).
    Dossier.objects.filter(pk=dossiers[1].pk).update(state=DossierState.RETURNED)

    response = client.post(
        url("session_agenda", session.pk), {"dossiers": [dossiers[0].pk, dossiers[1].pk]}
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "Some dossiers cannot be put on this session&#x27;s agenda" in body
    assert response.context["selected"] == {dossiers[0].pk, dossiers[1].pk}
    assert f'value="{dossiers[0].pk}" checked' in body
    assert f'value="{dossiers[2].pk}" checked' not in body
    assert not SessionItem.objects.exists()
    assert Dossier.objects.get(pk=dossiers[0].pk).state == DossierState.ACCEPTED
    assert not audit_actions("session.add_dossiers")


def test_agenda_refuses_a_dossier_of_another_round(client, session, dossiers, district_officer):
    client.force_login(district_officer)

    response = client.post(url("session_agenda", session.pk), {"dossiers": ["999999", "abc"]})

    assert response.status_code == 400
    assert "not of this session" in response.content.decode()
    assert not SessionItem.objects.exists()


def test_agenda_shows_dossiers_forwarded_from_the_lower_level(
    client, province_council, round_148, dossiers, province_officer
):
    Dossier.objects.filter(pk=dossiers[0].pk).update(state=DossierState.FORWARDED, level="province")
    session = session_create(
        council=province_council,
        round=round_148,
        date=timezone.localdate(),
        place="UBND tỉnh",
        actor=province_officer,
    )
    client.force_login(province_officer)

    response = client.get(url("session_agenda", session.pk))

    assert response.status_code == 200
    assert [d.pk for d in response.context["eligible"]] == [dossiers[0].pk]
    body = response.content.decode()
    assert "Forwarded from the lower level" in body
    assert "Huyện Tân Lạc" in body


def test_agenda_is_404_for_all_but_the_levels_working_group(
    client, session, dossiers, members, province_officer, other_district_officer
):
    page = url("session_agenda", session.pk)
    assert_login_redirect(client.get(page))
    for user in (province_officer, other_district_officer, members["hdh1"].user):
        client.force_login(user)
        assert client.get(page).status_code == 404
        assert client.post(page, {"dossiers": [dossiers[0].pk]}).status_code == 404
    assert not SessionItem.objects.exists()


def test_agenda_query_count_does_not_grow(client, session, dossiers, district_officer):
    client.force_login(district_officer)
    others = [d.pk for d in dossiers[1:]]
    Dossier.objects.filter(pk__in=others).update(state=DossierState.RETURNED)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url("session_agenda", session.pk))
    assert len(response.context["eligible"]) == 1
    Dossier.objects.filter(pk__in=others).update(state=DossierState.ACCEPTED)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url("session_agenda", session.pk))

    assert len(response.context["eligible"]) == 3
    assert len(one) == len(three)
