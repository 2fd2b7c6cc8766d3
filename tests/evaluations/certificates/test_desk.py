"""Each role's desk opens on what that person must do now (issue 13): the council member's
sheets and sessions, the working group's dossiers to check, the office's products to decide
and late units, the producer's returned dossiers, drafts and certificates nearing their end;
each with a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluations.councils.services.scoring import conflict_declare
from evaluations.enums import DossierState
from evaluations.models import Certificate, Dossier, Round
from ocop.core.desk import DESK_LIMIT
from ocop.core.enums import Role
from tests.evaluations.certificates.conftest import days_ago
from tests.evaluations.councils.conftest import accepted_dossier, score
from tests.factories import producer_with_owner, product_for, user_with_role
from tests.fixtures.results_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


def desk(client, user):
    client.force_login(user)
    response = client.get("/desk/")
    assert response.status_code == 200
    return response


def section(response, key):
    found = [s for s in response.context["sections"] if s.key == key]
    return found[0] if found else None


def titles(response, key) -> list[str]:
    return [t.title for t in section(response, key).tasks]


def waiting(dossier: Dossier, *, state=DossierState.SUBMITTED, days=0) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(
        state=state, level="", submitted_at=timezone.now() - datetime.timedelta(days=days)
    )
    dossier.refresh_from_db()
    return dossier


# --- council members ------------------------------------------------------------------------


def test_a_council_member_sees_the_products_to_score_until_each_is_done(
    client, items, district_council
):
    member = district_council.members.filter(role="member").first()

    before = desk(client, member.user)
    score(items[0], member)
    conflict_declare(
        item=items[1], has_conflict=True, reason="Người nhà của chủ thể", actor=member.user
    )
    after = desk(client, member.user)

    assert sorted(titles(before, "sheets")) == sorted(i.dossier.product.name for i in items)
    assert titles(after, "sheets") == [items[2].dossier.product.name]
    task = section(after, "sheets").tasks[0]
    assert task.url == f"/sessions/{items[2].session_id}/items/{items[2].pk}/sheet/"
    assert task.due == items[2].session.date
    page = after.content.decode()
    assert "You have no role yet" not in page
    assert 'data-section="sheets"' in page


def test_the_secretary_has_sessions_but_no_sheet(client, items, district_council):
    secretary = district_council.members.get(role="secretary")

    response = desk(client, secretary.user)

    assert section(response, "sheets").total == 0
    assert titles(response, "sessions") == [district_council.name]


# --- working groups -------------------------------------------------------------------------


def test_the_working_group_sees_its_dossiers_to_check_oldest_first(
    client, round_148, producers, forms, district_officer
):
    (p1, o1), (p2, o2), (p3, o3) = producers
    newer = waiting(accepted_dossier(round_148, product_for(p1, number=1, name="Mới"), o1), days=1)
    older = waiting(
        accepted_dossier(round_148, product_for(p2, number=1, name="Cũ"), o2),
        state=DossierState.RESUBMITTED,
        days=5,
    )
    draft = accepted_dossier(round_148, product_for(p3, number=1, name="Nháp"), o3)
    Dossier.objects.filter(pk=draft.pk).update(state=DossierState.DRAFT)

    response = desk(client, district_officer)

    assert titles(response, "to_check") == [older.product.name, newer.product.name]
    assert section(response, "to_check").tasks[0].due == round_148.first_level_deadline
    assert section(response, "to_check").more_url == "/inbox/"


def test_a_commune_officer_with_nothing_to_check_is_told_why(client, units):
    officer = user_with_role(Role.COMMUNE_OFFICER, units["commune"], username="xa")

    response = desk(client, officer)

    assert section(response, "to_check").total == 0
    assert "No dossier waits for your working group" in response.content.decode()


def test_the_desk_costs_the_same_with_one_and_many_dossiers(
    client, round_148, units, forms, district_officer
):
    def add(n):
        producer, owner = producer_with_owner(commune=units["commune"], username=f"p{n}")
        waiting(accepted_dossier(round_148, product_for(producer, number=1), owner), days=n)

    add(0)
    client.force_login(district_officer)
    with CaptureQueriesContext(connection) as one:
        client.get("/desk/")
    for n in range(1, DESK_LIMIT + 3):
        add(n)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/desk/")

    to_check = section(response, "to_check")
    assert (len(to_check.tasks), to_check.total, to_check.more) == (DESK_LIMIT, 12 + 1, 3)
    # One more query: the count, once the section holds more than it lists.
    assert len(many) == len(one) + 1
    assert len(many) <= 20


# --- the OCOP offices -----------------------------------------------------------------------


def test_the_office_sees_products_to_decide_then_its_draft_to_issue(
    client, results, district_decision, province_officer, district_officer
):
    district = desk(client, district_officer)
    province = desk(client, province_officer)

    # The district's two 3★ are on the draft decision; the province's 4★ waits for one.
    assert section(district, "to_decide").total == 0
    assert titles(district, "draft_decisions") == [str(district_decision)]
    assert titles(province, "to_decide") == [results["province"][0].dossier.product.name]
    assert section(province, "draft_decisions").total == 0


@pytest.mark.dates
def test_the_province_office_sees_the_units_past_the_first_level_deadline(
    client, dossiers, round_148, province_officer, units
):
    # A round of today (the test world's 148 rounds are entered as history).
    Round.objects.filter(pk=round_148.pk).update(
        historical=False, submission_deadline=days_ago(10), first_level_deadline=days_ago(1)
    )
    waiting(dossiers[0], days=12)

    response = desk(client, province_officer)

    late = section(response, "late_units")
    assert [t.title for t in late.tasks] == [units["district"].name]
    assert late.tasks[0].due == days_ago(1)
    assert "3 dossiers still held (1 not checked)" in late.tasks[0].detail
    assert 'data-testid="desk-late"' in response.content.decode()


@pytest.mark.dates
def test_no_unit_is_late_before_the_deadline(client, dossiers, round_148, province_officer):
    response = desk(client, province_officer)

    assert round_148.first_level_deadline >= timezone.localdate()
    assert section(response, "late_units").total == 0


# --- producers ------------------------------------------------------------------------------


@pytest.mark.dates
def test_the_producer_sees_returned_dossiers_drafts_and_certificates_ending(
    client, certificates, dossiers, producers, round_148
):
    producer, owner = producers[0]
    returned = dossiers[0]
    Dossier.objects.filter(pk=returned.pk).update(state=DossierState.RETURNED)
    certificate = next(c for c in certificates if c.producer_id == producer.pk)
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=40)
    )

    response = desk(client, owner)

    assert titles(response, "returned") == [returned.product.name]
    assert section(response, "returned").tasks[0].due == round_148.submission_deadline
    assert titles(response, "expiring") == [certificate.product_name]
    assert section(response, "expiring").tasks[0].url == f"/certificates/{certificate.number}/"
    assert section(response, "drafts").total == 0
    # Work comes before information.
    keys = [s.key for s in response.context["sections"]]
    assert keys.index("returned") < keys.index("open_rounds")


def test_the_producer_desk_names_the_rounds_taking_dossiers(client, round_148, producers):
    _, owner = producers[0]

    response = desk(client, owner)

    rounds = section(response, "open_rounds")
    assert [t.title for t in rounds.tasks] == [str(round_148)]
    assert rounds.tasks[0].url == f"/dossiers/new/?round={round_148.pk}"
    assert rounds.info


def test_an_account_without_a_role_is_told_so(client, units):
    from ocop.core.models import User

    nobody = User.objects.create_user(username="nobody", password="x" * 12)

    response = desk(client, nobody)

    assert response.context["sections"] == []
    assert 'data-testid="desk-nothing"' in response.content.decode()


def test_the_province_office_sees_which_forms_block_how_many_products(
    client, producers, province_officer, district_officer, forms
):
    for index, (producer, _owner) in enumerate(producers[:2]):
        product_for(producer, number=7, name=f"Mứt cam {index}")

    province = desk(client, province_officer)
    district = desk(client, district_officer)

    blocked = section(province, "blocked_forms")
    assert blocked.tasks[0].title.startswith("7.")
    assert blocked.tasks[0].detail.startswith("2 products of your province")
    assert blocked.tasks[0].url == "/criteria/148-2023/7/"
    assert section(district, "blocked_forms") is None


# --- query counts: each role's desk costs the same however much waits on it -----------------


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/desk/")
    assert response.status_code == 200
    return len(captured)


def test_the_producer_desk_costs_the_same_with_more_dossiers_and_certificates(
    client, certificates, dossiers, producers, round_148, forms
):
    producer, owner = producers[0]
    Dossier.objects.filter(pk=dossiers[0].pk).update(state=DossierState.RETURNED)
    before = _queries(client, owner)
    for number in (2, 3):
        extra = accepted_dossier(round_148, product_for(producer, number=number), owner)
        Dossier.objects.filter(pk=extra.pk).update(state=DossierState.RETURNED)
    Certificate.objects.filter(producer=producer).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=30)
    )
    after = _queries(client, owner)

    assert len(section(desk(client, owner), "returned").tasks) == 3
    assert after == before


def test_the_council_member_desk_costs_the_same_with_more_sheets(
    client, session, dossiers, district_council, district_officer
):
    from evaluations.councils.services.sessions import session_add_dossiers

    member = district_council.members.filter(role="member").first()
    session_add_dossiers(session=session, dossiers=dossiers[:1], actor=district_officer)
    before = _queries(client, member.user)
    session_add_dossiers(session=session, dossiers=dossiers[1:], actor=district_officer)
    after = _queries(client, member.user)

    assert section(desk(client, member.user), "sheets").total == 3
    assert after == before


@pytest.mark.dates
def test_the_office_desk_costs_the_same_when_units_fall_late(
    client, results, province_officer, district_officer, round_148, units
):
    before = _queries(client, province_officer)
    Round.objects.filter(pk=round_148.pk).update(
        historical=False, submission_deadline=days_ago(10), first_level_deadline=days_ago(1)
    )
    for n in range(2):
        producer, owner = producer_with_owner(commune=units["commune"], username=f"late{n}")
        accepted_dossier(round_148, product_for(producer, number=1), owner)
    after = _queries(client, province_officer)

    assert section(desk(client, province_officer), "late_units").total == 1
    assert after == before
    assert _queries(client, district_officer) <= 20


def test_the_administrator_desk_lists_erasure_requests_and_forms_to_correct(
    client, role_users, producers, forms
):
    from ocop.core.services.privacy import deletion_request_create

    admin = role_users[Role.ADMINISTRATOR]
    _, owner = producers[0]
    product_for(producers[0][0], number=7, name="Mứt cam")
    deletion_request_create(user=owner, reason="Tôi không còn làm ở HTX", actor=owner)

    response = desk(client, admin)

    assert [t.title for t in section(response, "deletion_requests").tasks] == [
        owner.get_full_name() or owner.username
    ]
    forms_to_correct = section(response, "blocked_forms")
    assert not forms_to_correct.info
    assert forms_to_correct.tasks[0].detail.startswith("1 product cannot be registered")
    assert "desk-nothing" not in response.content.decode()
