"""The council's pages: the session list and agenda, the declaration, the score sheet with
live totals, and the chair's consolidation with re-scoring, discussion and finalising."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.councils.services.scoring import conflict_declare
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.selectors import form_spec
from evaluations.enums import ItemState, SheetState
from evaluations.intake.forms import answer_field, note_field
from evaluations.models import (
    ConflictDeclaration,
    ScoreSheet,
    SelfAssessmentAnswer,
)
from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from products.models import ProducerMember
from tests.evaluations.councils.conftest import answers_at, score
from tests.evaluations.intake.conftest import make_document
from tests.factories import user_with_role

# `items` and what they are built from: built once for the module's tests that use them.
from tests.fixtures.items_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


def url(session, item=None, suffix=""):
    base = f"/sessions/{session.pk}/"
    if item is not None:
        base += f"items/{item.pk}/"
    return base + suffix


def scorers(members):
    return members["chair"] + members["vice_chair"] + members["member"]


def sheet_post(spec, choice="best", **extra):
    data = {answer_field(k): v for k, v in answers_at(spec, choice).items()}
    return data | extra


@pytest.fixture
def outsider(units):
    return user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="dabac2")


# --- list and agenda ----------------------------------------------------------------------


def test_members_and_the_working_group_see_the_session_list(
    client, session, items, members, district_officer, outsider
):
    for user in (members["hdh3"].user, district_officer):
        client.force_login(user)
        response = client.get("/sessions/")
        assert response.status_code == 200
        assert list(response.context["sessions"]) == [session]
    client.force_login(outsider)
    assert list(client.get("/sessions/").context["sessions"]) == []


def test_the_session_list_is_404_for_producers_and_login_for_anonymous(client, producers):
    assert client.get("/sessions/").status_code == 302
    client.force_login(producers[0][1])
    assert client.get("/sessions/").status_code == 404


def test_session_list_queries_do_not_grow(client, district_council, round_148, district_officer):
    from django.utils import timezone

    def make():
        session_create(
            council=district_council,
            round=round_148,
            date=timezone.localdate(),
            place="UBND",
            actor=district_officer,
        )

    client.force_login(district_officer)
    make()
    with CaptureQueriesContext(connection) as one:
        client.get("/sessions/")
    make()
    make()
    with CaptureQueriesContext(connection) as three:
        response = client.get("/sessions/")
    assert len(response.context["sessions"]) == 3
    assert len(three) == len(one)


def test_a_member_sees_what_to_do_on_each_product(client, items, members):
    client.force_login(members["hdh3"].user)

    response = client.get(url(items[0].session))

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('data-testid="declare-link"') == 3
    assert "Gạo nếp cẩm" in body


def test_the_session_page_is_404_for_strangers(client, session, outsider, producers, other_user):
    for user in (outsider, producers[0][1], other_user):
        client.force_login(user)
        assert client.get(url(session)).status_code == 404


def test_session_page_queries_do_not_grow_with_products(
    client, district_council, round_148, producers, members, district_officer
):
    """1 and 3 products of the same product set (each scoring form's spec is read once)."""
    from django.utils import timezone

    from tests.evaluations.councils.conftest import accepted_dossier
    from tests.factories import product_for

    chair = members["chair"][0]
    client.force_login(chair.user)

    def session_with(count):
        session = session_create(
            council=district_council,
            round=round_148,
            date=timezone.localdate(),
            place="UBND",
            actor=district_officer,
        )
        dossiers = [
            accepted_dossier(round_148, product_for(producer, number=1), owner)
            for producer, owner in producers[:count]
        ]
        for item in session_add_dossiers(
            session=session, dossiers=dossiers, actor=district_officer
        ):
            score(item, chair, "best")
        return session

    one_session = session_with(1)
    three_session = session_with(3)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(one_session)).status_code == 200
    with CaptureQueriesContext(connection) as three:
        response = client.get(url(three_session))

    assert len(response.context["rows"]) == 3
    assert len(three) == len(one)


# --- declaration --------------------------------------------------------------------------


def test_declaring_no_conflict_leads_to_the_sheet(client, items, members):
    item = items[0]
    member = members["hdh3"]
    client.force_login(member.user)

    assert client.get(url(item.session, item, "declare/")).status_code == 200
    response = client.post(url(item.session, item, "declare/"), {"has_conflict": "no"})

    assert response.status_code == 302
    assert response["Location"] == url(item.session, item, "sheet/")
    assert ScoreSheet.objects.filter(item=item, member=member).exists()


def test_declaring_a_conflict_without_reason_keeps_the_input(client, items, members):
    item = items[0]
    member = members["hdh3"]
    client.force_login(member.user)

    response = client.post(url(item.session, item, "declare/"), {"has_conflict": "yes"})

    assert response.status_code == 400
    assert "Give the reason for the conflict of interest." in response.content.decode()
    assert not ConflictDeclaration.objects.filter(item=item, member=member).exists()
    response = client.post(
        url(item.session, item, "declare/"), {"has_conflict": "yes", "reason": "Anh ruột"}
    )
    assert response.status_code == 302
    # Recused: the sheet and the declaration page are 404 from now on.
    assert client.get(url(item.session, item, "sheet/")).status_code == 404
    assert client.get(url(item.session, item, "declare/")).status_code == 404
    body = client.get(url(item.session)).content.decode()
    assert "You are recused from this product" in body


def test_the_sheet_url_is_404_for_the_secretary_strangers_and_the_recused(
    client, session, dossiers, members, district_officer, outsider
):
    ProducerMember.objects.create(
        producer=dossiers[0].product.producer, user=members["hdh5"].user, role="member"
    )
    item = session_add_dossiers(session=session, dossiers=dossiers[:1], actor=district_officer)[0]
    for user in (members["secretary"][0].user, members["hdh5"].user, outsider, district_officer):
        client.force_login(user)
        for suffix in ("sheet/", "declare/"):
            assert client.get(url(session, item, suffix)).status_code == 404


def test_a_sheet_of_another_session_is_404(client, items, members, district_council, round_148):
    item = items[0]
    client.force_login(members["hdh3"].user)
    conflict_declare(item=item, has_conflict=False, actor=members["hdh3"].user)

    response = client.get(f"/sessions/{item.session_id + 999}/items/{item.pk}/sheet/")

    assert response.status_code == 404


# --- the sheet ----------------------------------------------------------------------------


def test_the_sheet_shows_the_producers_answer_and_live_totals(client, items, members):
    item = items[0]
    member = members["hdh3"]
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    client.force_login(member.user)
    spec = form_spec(item.dossier.scoring_form)

    key, option = next(iter(answers_at(spec, "worst").items()))
    producer = item.dossier.product.producer
    document = make_document(producer, "lab_test", uploaded_by=producer.members.first().user)
    answer = SelfAssessmentAnswer.objects.create(
        dossier=item.dossier, criterion_key=key, option_key=option, note="Có hợp đồng bao tiêu"
    )
    answer.documents.add(document)

    page = client.get(url(item.session, item, "sheet/"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="sheet-form"' in body
    assert body.count('data-testid="producer-choice"') == 1
    assert "Có hợp đồng bao tiêu" in body
    # The member opens the producer's evidence; the secretary may not.
    download = client.get(url(item.session, item, f"documents/{document.pk}/"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.force_login(members["secretary"][0].user)
    assert client.get(url(item.session, item, f"documents/{document.pk}/")).status_code == 404
    client.force_login(member.user)
    # A document of the producer's library that is not in this dossier is not served.
    other = make_document(producer, "label", uploaded_by=producer.members.first().user)
    assert client.get(url(item.session, item, f"documents/{other.pk}/")).status_code == 404

    totals = client.post(url(item.session, item, "sheet/totals/"), sheet_post(spec))
    assert totals.status_code == 200
    from evaluations.engine.scoring import score_sheet
    from evaluations.engine.validation import points

    best = score_sheet(form=spec, answers=answers_at(spec, "best")).total
    assert f"Total {points(best)} / 100" in totals.content.decode()


def test_saving_then_submitting_a_sheet(client, items, members):
    item = items[0]
    member = members["hdh3"]
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    client.force_login(member.user)
    spec = form_spec(item.dossier.scoring_form)
    first_key = next(iter(answers_at(spec)))

    data = sheet_post(spec, "best", save="1") | {note_field(first_key): "Bao bì đẹp"}
    response = client.post(url(item.session, item, "sheet/"), data)
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(item=item, member=member)
    assert sheet.state == SheetState.DRAFT
    assert sheet.notes == {first_key: "Bao bì đẹp"}

    response = client.post(url(item.session, item, "sheet/"), sheet_post(spec, "best", submit="1"))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED
    page = client.get(url(item.session, item, "sheet/")).content.decode()
    assert 'data-testid="sheet-locked"' in page
    # Posting again to a locked sheet changes nothing.
    audits = AuditEntry.objects.count()
    response = client.post(url(item.session, item, "sheet/"), sheet_post(spec, "worst", submit="1"))
    assert response.status_code == 400
    assert "already submitted" in response.content.decode()
    assert AuditEntry.objects.count() == audits


def test_submitting_an_incomplete_sheet_keeps_the_ticks(client, items, members):
    item = items[0]
    member = members["hdh3"]
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    client.force_login(member.user)
    spec = form_spec(item.dossier.scoring_form)
    data = sheet_post(spec, "best", submit="1")
    dropped = next(k for k in data if k.startswith("answer-"))
    kept = next(k for k in data if k.startswith("answer-") and k != dropped)
    del data[dropped]

    response = client.post(url(item.session, item, "sheet/"), data)

    assert response.status_code == 400
    body = response.content.decode()
    assert "Answer every criterion before submitting: 1 left." in body
    assert f'name="{kept}" id="{kept}-' in body and "checked" in body
    assert ScoreSheet.objects.get(item=item, member=member).answers == {}


def test_an_option_that_does_not_exist_is_refused(client, items, members):
    item = items[0]
    member = members["hdh3"]
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    client.force_login(member.user)
    spec = form_spec(item.dossier.scoring_form)
    key = next(iter(answers_at(spec)))

    response = client.post(
        url(item.session, item, "sheet/"), {answer_field(key): "zz", "save": "1"}
    )

    assert response.status_code == 400
    assert ScoreSheet.objects.get(item=item, member=member).answers == {}


# --- consolidation ------------------------------------------------------------------------


def test_the_chair_sees_who_submitted_not_what_until_their_own_sheet(client, items, members):
    item = items[0]
    chair = members["chair"][0]
    score(item, members["hdh3"], "best")
    client.force_login(chair.user)

    page = client.get(url(item.session, item))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="independence"' in body
    assert page.context["result"] is None
    assert "submitted" in body

    score(item, chair, "best")
    page = client.get(url(item.session, item))
    assert page.context["result"] is not None
    assert 'data-testid="mean"' in page.content.decode()


def test_the_consolidation_is_404_for_members_and_the_working_group(
    client, items, members, district_officer
):
    item = items[0]
    for user in (members["hdh3"].user, district_officer):
        client.force_login(user)
        assert client.get(url(item.session, item)).status_code == 404


def test_the_chair_reopens_discusses_and_finalises_through_the_pages(client, items, members):
    item = items[0]
    chair = members["chair"][0]
    sheets = {}
    for member, choice in zip(scorers(members), ["best"] * 3 + ["worst"] * 2, strict=True):
        sheets[member.user.username] = score(item, member, choice)
    client.force_login(chair.user)

    # Spread too wide: finalising is refused with the reason.
    response = client.post(url(item.session, item, "finalise/"), {"comments": ""})
    assert response.status_code == 400
    assert "reopen sheets for re-scoring" in response.content.decode()
    # Reopening needs a reason; the choice is kept.
    response = client.post(
        url(item.session, item, "reopen/"), {"sheets": [sheets["hdh4"].pk, sheets["hdh5"].pk]}
    )
    assert response.status_code == 400
    assert "Give the reason for re-scoring." in response.content.decode()
    response = client.post(
        url(item.session, item, "reopen/"),
        {"sheets": [sheets["hdh4"].pk, sheets["hdh5"].pk], "reason": "Chênh lệch lớn"},
    )
    assert response.status_code == 302
    assert ScoreSheet.objects.get(pk=sheets["hdh4"].pk).state == SheetState.DRAFT
    # The member sees the reason on the session page.
    client.force_login(members["hdh4"].user)
    assert "Chênh lệch lớn" in client.get(url(item.session)).content.decode()
    client.force_login(chair.user)
    # 3 of 5 with the chair: no quorum until they re-score.
    assert client.post(url(item.session, item, "finalise/"), {}).status_code == 400
    spec = form_spec(item.dossier.scoring_form)
    for username in ("hdh4", "hdh5"):
        client.force_login(members[username].user)
        client.post(url(item.session, item, "sheet/"), sheet_post(spec, "mid", submit="1"))
    client.force_login(chair.user)
    response = client.post(url(item.session, item, "discussion/"), {"conclusion": "Giữ điểm"})
    assert response.status_code == 302

    response = client.post(url(item.session, item, "finalise/"), {"comments": "Cải tiến nhãn"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.FINAL
    assert item.result.comments == "Cải tiến nhãn"
    body = client.get(url(item.session, item)).content.decode()
    assert 'data-testid="final-result"' in body


def test_only_the_chair_can_post_the_chairs_actions(client, items, members):
    item = items[0]
    for member in scorers(members):
        score(item, member, "best")
    client.force_login(members["secretary"][0].user)

    for suffix, data in (
        ("finalise/", {}),
        ("discussion/", {"conclusion": "x"}),
        ("reopen/", {"sheets": [item.sheets.first().pk], "reason": "x"}),
    ):
        response = client.post(url(item.session, item, suffix), data)
        assert response.status_code == 403
    item.refresh_from_db()
    assert item.state == ItemState.SCORING
    client.force_login(members["hdh3"].user)
    assert client.post(url(item.session, item, "finalise/"), {}).status_code == 404


def test_the_live_totals_are_404_for_anyone_but_a_member_who_scores(
    client, items, members, outsider, district_officer
):
    item = items[0]
    for user in (members["secretary"][0].user, outsider, district_officer):
        client.force_login(user)
        assert client.post(url(item.session, item, "sheet/totals/"), {}).status_code == 404
    client.force_login(members["hdh3"].user)
    assert client.post(url(item.session, item, "sheet/totals/"), {}).status_code == 200
    assert client.get(url(item.session, item, "sheet/totals/")).status_code == 405
