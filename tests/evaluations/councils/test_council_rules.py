"""A council result cannot be bent (issue 10, part 3): recusal that holds whatever changes,
re-scoring that must finish (or be excused, with a reason), the spread rule as a council
setting, nothing derived from others' totals before one's own sheet, no result before the
session's date, and the minutes that record all of it."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.html import escape

from evaluations.councils.minutes import minutes_context, minutes_html
from evaluations.councils.models import SheetReopening
from evaluations.councils.selectors import item_consolidation
from evaluations.councils.services.councils import council_add_member, council_update
from evaluations.councils.services.scoring import (
    conflict_declare,
    item_finalise,
    item_record_discussion,
    sheet_excuse,
    sheet_save,
    sheet_submit,
    sheets_reopen,
)
from evaluations.councils.services.sessions import (
    pending_sheets,
    session_add_dossiers,
    session_create,
    session_reschedule,
)
from evaluations.criteria.selectors import form_spec
from evaluations.enums import SheetState
from evaluations.exceptions import SessionError
from evaluations.models import ConflictDeclaration, Council, LevelResult, ScoreSheet, SessionItem
from ocop.core.models import AuditEntry, Notification
from products.models import ProducerMember
from tests.evaluations.councils.conftest import answers_at, score, total_of

# `items` and what they are built from: built once for the module's tests that use them.
from tests.fixtures.items_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


def scorers(members):
    return members["chair"] + members["vice_chair"] + members["member"]


def spec_of(item):
    return form_spec(item.dossier.scoring_form)


def url(session, item=None, suffix=""):
    base = f"/sessions/{session.pk}/"
    if item is not None:
        base += f"items/{item.pk}/"
    return base + suffix


def footprint(item):
    return (
        SessionItem.objects.get(pk=item.pk).state,
        LevelResult.objects.count(),
        sorted(ScoreSheet.objects.filter(item=item).values_list("state", "total")),
        AuditEntry.objects.count(),
    )


# --- automatic recusal holds when membership changes and at submission ---------------------


def test_a_producers_member_added_after_the_agenda_is_recused_at_once(
    items, producers, district_council, district_officer
):
    item = items[0]
    producer, owner = producers[0]

    member = council_add_member(
        council=district_council, user=owner, role="member", actor=district_officer
    )

    declaration = ConflictDeclaration.objects.get(item=item, member=member)
    assert (declaration.has_conflict, declaration.automatic) == (True, True)
    assert producer.name in declaration.reason
    # Not recused from the other producers' products.
    assert not ConflictDeclaration.objects.filter(member=member).exclude(item=item).exists()
    assert AuditEntry.objects.latest("seq").data["recused_items"] == [item.pk]
    consolidation = item_consolidation(item)
    assert [m.status for m in consolidation.members if m.member.pk == member.pk] == ["recused"]
    with pytest.raises(SessionError):
        conflict_declare(item=item, has_conflict=False, actor=owner)
    assert not ScoreSheet.objects.filter(item=item, member=member).exists()


def test_declaring_no_conflict_as_a_member_of_the_producer_recuses(items, members, producers):
    item = items[0]
    member = members["hdh3"]
    ProducerMember.objects.create(producer=producers[0][0], user=member.user, role="member")

    declaration = conflict_declare(item=item, has_conflict=False, actor=member.user)

    assert (declaration.has_conflict, declaration.automatic) == (True, True)
    assert not ScoreSheet.objects.filter(item=item, member=member).exists()


def test_a_member_who_joined_the_producer_cannot_submit_and_is_recused(items, members, producers):
    item = items[0]
    member = members["hdh3"]
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    sheet = ScoreSheet.objects.get(item=item, member=member)
    ProducerMember.objects.create(producer=producers[0][0], user=member.user, role="member")

    with pytest.raises(SessionError) as refused:
        sheet_submit(
            sheet=sheet, answers=answers_at(spec_of(item), "best"), notes={}, actor=member.user
        )

    assert "recused" in refused.value.message
    sheet.refresh_from_db()
    assert (sheet.state, sheet.total) == (SheetState.DRAFT, None)
    declaration = ConflictDeclaration.objects.get(item=item, member=member)
    assert (declaration.has_conflict, declaration.automatic) == (True, True)
    assert AuditEntry.objects.latest("seq").action == "conflict.recuse"
    consolidation = item_consolidation(item)
    assert [m.status for m in consolidation.members if m.member.pk == member.pk] == ["recused"]


# --- a reopened sheet: resubmitted, or the member excused with a reason -------------------


@pytest.fixture
def reopened(items, members):
    """Everybody scored the first product; the chair reopened hdh5's sheet."""
    item = items[0]
    sheets = {m.user.username: score(item, m, "best") for m in scorers(members)}
    sheets_reopen(
        item=item,
        sheets=[sheets["hdh5"]],
        reason="Kiểm tra lại tiêu chí C",
        actor=members["hdh1"].user,
    )
    return item, sheets


def test_finalising_waits_for_a_reopened_sheet_even_with_quorum(reopened, members):
    item, _sheets = reopened
    chair = members["chair"][0]
    consolidation = item_consolidation(item)
    assert consolidation.result.quorum_met  # 4 of 5 with the chair
    assert [m.status for m in consolidation.members][-1] == "reopened"
    before = footprint(item)

    with pytest.raises(SessionError) as refused:
        item_finalise(item=item, actor=chair.user)

    assert any(members["hdh5"].name in problem for problem in refused.value.problems)
    assert footprint(item) == before


def test_a_resubmitted_sheet_records_the_totals_before_and_after(reopened, members):
    item, sheets = reopened
    spec = spec_of(item)
    member = members["hdh5"]

    sheet_submit(
        sheet=sheets["hdh5"], answers=answers_at(spec, "middle"), notes={}, actor=member.user
    )

    reopening = SheetReopening.objects.get(sheet=sheets["hdh5"])
    assert reopening.number == 1
    assert reopening.requested_by == members["chair"][0].user
    assert reopening.reason == "Kiểm tra lại tiêu chí C"
    assert reopening.total_before == total_of(spec, "best")
    assert reopening.total_after == total_of(spec, "middle")
    assert reopening.resubmitted_at is not None
    # The members re-scored: with the council's conclusion the result stands.
    item_record_discussion(item=item, conclusion="Giữ kết quả", actor=members["chair"][0].user)
    result = item_finalise(item=item, actor=members["chair"][0].user)
    assert result.details["submitted"] == 5


def test_the_chair_excuses_a_member_with_a_reason(reopened, members):
    item, sheets = reopened
    chair = members["chair"][0]
    sheet = sheets["hdh5"]

    with pytest.raises(ValidationError) as invalid:
        sheet_excuse(sheet=sheet, reason="  ", actor=chair.user)
    assert "reason" in invalid.value.message_dict
    with pytest.raises(ValidationError) as invalid:
        sheet_excuse(sheet=sheet, reason="x" * 2001, actor=chair.user)
    assert "reason" in invalid.value.message_dict
    with pytest.raises(PermissionDenied):
        sheet_excuse(sheet=sheet, reason="Ốm", actor=members["hdh2"].user)
    with pytest.raises(SessionError):  # only a reopened sheet not resubmitted
        sheet_excuse(sheet=sheets["hdh4"], reason="Ốm", actor=chair.user)

    assert item in pending_sheets(item.session)[members["hdh5"]]  # reminded to re-score

    reopening = sheet_excuse(sheet=sheet, reason="Thành viên ốm, vắng mặt", actor=chair.user)

    assert reopening.excuse_reason == "Thành viên ốm, vắng mặt"
    assert AuditEntry.objects.latest("seq").action == "score_sheet.excuse"
    consolidation = item_consolidation(item)
    assert [m.status for m in consolidation.members][-1] == "excused"
    assert item not in pending_sheets(item.session).get(members["hdh5"], [])
    with pytest.raises(SessionError):
        sheet_submit(
            sheet=sheet,
            answers=answers_at(spec_of(item), "best"),
            notes={},
            actor=members["hdh5"].user,
        )
    with pytest.raises(SessionError):
        sheet_save(sheet=sheet, answers={}, notes={}, actor=members["hdh5"].user)
    result = item_finalise(item=item, actor=chair.user)
    assert result.details["submitted"] == 4
    assert result.details["excused"] == [members["hdh5"].pk]


def test_the_chair_excuses_through_the_page(client, reopened, members):
    item, sheets = reopened
    client.force_login(members["chair"][0].user)

    page = client.get(url(item.session, item))
    assert 'data-testid="excuse-form"' in page.content.decode()
    response = client.post(url(item.session, item, "excuse/"), {"sheet": sheets["hdh5"].pk})
    assert response.status_code == 400
    assert "Give the reason for excusing the member." in response.content.decode()
    response = client.post(
        url(item.session, item, "excuse/"), {"sheet": sheets["hdh4"].pk, "reason": "Ốm"}
    )
    assert response.status_code == 400
    assert response.context["excuse_form"]["reason"].value() == "Ốm"

    client.force_login(members["secretary"][0].user)
    response = client.post(
        url(item.session, item, "excuse/"), {"sheet": sheets["hdh5"].pk, "reason": "x"}
    )
    assert response.status_code == 403
    client.force_login(members["chair"][0].user)

    response = client.post(
        url(item.session, item, "excuse/"), {"sheet": sheets["hdh5"].pk, "reason": "Ốm"}
    )

    assert response.status_code == 302
    assert SheetReopening.objects.get(sheet=sheets["hdh5"]).excused_by == members["chair"][0].user
    # The member's sheet is locked, with the chair's reason; the agenda says so too.
    client.force_login(members["hdh5"].user)
    body = client.get(url(item.session, item, "sheet/")).content.decode()
    assert 'data-testid="sheet-locked"' in body and "Ốm" in body
    assert 'data-testid="submit-sheet"' not in body
    assert 'data-testid="excused"' in client.get(url(item.session)).content.decode()


# --- the spread rule is a council setting ---------------------------------------------------


@pytest.fixture
def wide(items, members):
    """Four best sheets and one worst: the spread is above the threshold."""
    item = items[0]
    sheets = {}
    for member, choice in zip(scorers(members), ["best"] * 4 + ["worst"], strict=True):
        sheets[member.user.username] = score(item, member, choice)
    assert item_consolidation(item).result.spread_exceeded
    return item, sheets


def test_by_default_a_discussion_alone_does_not_clear_a_wide_spread(wide, members):
    item, sheets = wide
    chair = members["chair"][0]
    assert item.session.council.discussion_clears_spread is False

    item_record_discussion(item=item, conclusion="Đã thảo luận", actor=chair.user)

    with pytest.raises(SessionError) as refused:
        item_finalise(item=item, actor=chair.user)
    assert "re-score" in " ".join(refused.value.problems)

    # The members re-score after the discussion; the conclusion is recorded again.
    sheets_reopen(item=item, sheets=[sheets["hdh5"]], reason="Chênh lệch lớn", actor=chair.user)
    sheet_submit(
        sheet=sheets["hdh5"],
        answers=answers_at(spec_of(item), "worst"),
        notes={},
        actor=members["hdh5"].user,
    )
    assert not item_consolidation(item).can_finalise  # the conclusion predates the sheet
    item_record_discussion(item=item, conclusion="Giữ nguyên kết quả", actor=chair.user)

    result = item_finalise(item=item, actor=chair.user)

    assert result.details["discussion"] == "Giữ nguyên kết quả"
    assert SheetReopening.objects.get(sheet=sheets["hdh5"]).discussion == "Đã thảo luận"


def test_a_council_may_let_a_discussion_alone_clear_a_wide_spread(wide, members, district_officer):
    item, _sheets = wide
    chair = members["chair"][0]
    council_update(
        council=item.session.council, discussion_clears_spread=True, actor=district_officer
    )
    assert AuditEntry.objects.latest("seq").data == {"discussion_clears_spread": True}

    item_record_discussion(item=item, conclusion="Giữ nguyên điểm", actor=chair.user)
    result = item_finalise(item=item, actor=chair.user)

    assert result.details["discussion"] == "Giữ nguyên điểm"


def test_the_spread_rule_is_edited_with_the_councils_settings(
    client, district_council, district_officer
):
    client.force_login(district_officer)
    page = client.get(f"/councils/{district_council.pk}/edit/")
    assert page.context["form"]["discussion_clears_spread"].value() is False
    data = {
        name: value
        for name, value in page.context["form"].initial.items()
        if value is not None and name != "discussion_clears_spread"
    }
    data |= {"discussion_clears_spread": "on"}

    response = client.post(f"/councils/{district_council.pk}/edit/", data)

    assert response.status_code == 302
    district_council.refresh_from_db()
    assert district_council.discussion_clears_spread is True
    detail = client.get(f"/councils/{district_council.pk}/").content.decode()
    assert "written discussion conclusion is enough" in detail


# --- nothing derived from others' totals before one's own sheet ------------------------------


def test_the_spread_is_hidden_from_the_chair_and_secretary_before_their_turn(
    client, items, members
):
    item = items[0]
    chair = members["chair"][0]
    for member, choice in zip(scorers(members)[1:], ["best"] * 3 + ["worst"], strict=True):
        score(item, member, choice)

    for user in (chair.user, members["secretary"][0].user):
        client.force_login(user)
        body = client.get(url(item.session, item)).content.decode()
        assert "differ by" not in body
        assert 'data-testid="spread"' not in body
        assert 'data-testid="blockers"' in body  # the chair's own sheet is still missing
    with pytest.raises(SessionError) as refused:
        item_finalise(item=item, actor=chair.user)
    assert "differ by" not in " ".join(refused.value.problems)

    score(item, chair, "best")
    client.force_login(chair.user)
    assert "differ by" in client.get(url(item.session, item)).content.decode()
    # The secretary: once every member who scores has submitted (all have now).
    client.force_login(members["secretary"][0].user)
    assert "differ by" in client.get(url(item.session, item)).content.decode()


# --- no result before the session's date -----------------------------------------------------


@pytest.fixture
def tomorrow_item(district_council, round_148, dossiers, district_officer, members):
    session = session_create(
        council=district_council,
        round=round_148,
        date=timezone.localdate() + datetime.timedelta(days=1),
        place="Hội trường UBND huyện",
        actor=district_officer,
    )
    [item] = session_add_dossiers(session=session, dossiers=dossiers[:1], actor=district_officer)
    for member in scorers(members):
        score(item, member, "best")
    return item


def test_a_result_cannot_be_finalised_before_the_sessions_date(tomorrow_item, members):
    chair = members["chair"][0]
    before = footprint(tomorrow_item)

    with pytest.raises(SessionError) as refused:
        item_finalise(item=tomorrow_item, actor=chair.user)

    assert "from the session's date" in " ".join(refused.value.problems)
    assert footprint(tomorrow_item) == before


def test_moving_the_session_date_is_audited_and_then_the_result_stands(
    tomorrow_item, members, district_officer
):
    session = tomorrow_item.session
    planned = session.date
    today = timezone.localdate()

    with pytest.raises(PermissionDenied):
        session_reschedule(session=session, date=today, actor=members["chair"][0].user)
    told = Notification.objects.count()
    session_reschedule(session=session, date=today, actor=district_officer)

    # Every member hears of the new date.
    assert Notification.objects.count() == told + session.council.members.count()
    entry = AuditEntry.objects.latest("seq")
    assert entry.action == "session.reschedule"
    assert entry.data == {"from": planned.isoformat(), "to": today.isoformat()}
    item_finalise(item=tomorrow_item, actor=members["chair"][0].user)
    # Once a result is final, the session cannot move after that day.
    with pytest.raises(ValidationError) as invalid:
        session_reschedule(session=session, date=planned, actor=district_officer)
    assert "date" in invalid.value.message_dict
    session.refresh_from_db()
    assert session.date == today


# --- the minutes record the re-scoring -------------------------------------------------------


def test_the_minutes_record_each_rescoring_and_the_excuse(items, members):
    item = items[0]
    chair = members["chair"][0]
    spec = spec_of(item)
    sheets = {m.user.username: score(item, m, "best") for m in scorers(members)}
    item_record_discussion(item=item, conclusion="Thống nhất chấm lại phần C", actor=chair.user)
    sheets_reopen(
        item=item,
        sheets=[sheets["hdh4"], sheets["hdh5"]],
        reason="Thống nhất cách hiểu tiêu chí",
        actor=chair.user,
    )
    sheet_submit(
        sheet=sheets["hdh4"],
        answers=answers_at(spec, "middle"),
        notes={},
        actor=members["hdh4"].user,
    )
    sheet_excuse(sheet=sheets["hdh5"], reason="Vắng mặt do công tác", actor=chair.user)
    item_record_discussion(item=item, conclusion="Giữ nguyên kết quả", actor=chair.user)

    with translation.override("vi"):
        open_minutes = minutes_context(item.session)
    [draft] = [i for i in open_minutes["items"] if i.product == item.dossier.product.name]
    # While not final, the totals before and after are not printed.
    assert [(r.member, r.before, r.after) for r in draft.rescorings] == [
        (members["hdh4"].name, "", "đã nộp lại"),
        (members["hdh5"].name, "", "được miễn chấm lại"),
    ]

    item_finalise(item=item, actor=chair.user)
    html = minutes_html(item.session)

    with translation.override("vi"):
        context = minutes_context(item.session)
    [final] = [i for i in context["items"] if i.product == item.dossier.product.name]
    best, middle = total_of(spec, "best"), total_of(spec, "middle")
    vi = lambda value: f"{value:.2f}".replace(".", ",")  # noqa: E731
    assert [(r.member, r.before, r.after) for r in final.rescorings] == [
        (members["hdh4"].name, vi(best), vi(middle)),
        (members["hdh5"].name, vi(best), "được miễn chấm lại"),
    ]
    assert {r.asked_by for r in final.rescorings} == {f"Chủ tịch Hội đồng {chair.name}"}
    assert {r.reason for r in final.rescorings} == {"Thống nhất cách hiểu tiêu chí"}
    assert {r.discussion for r in final.rescorings} == {"Thống nhất chấm lại phần C"}
    assert "Chấm điểm lại" in html
    assert "Vắng mặt do công tác" in html
    assert "Thống nhất chấm lại phần C" in html
    rows = {row.name: row.text for row in final.rows}
    assert rows[members["hdh5"].name] == "được miễn chấm lại"
    assert rows[members["hdh4"].name] == vi(middle)


# --- one number format per language; criteria named by their text ----------------------------


def vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"


def figures(body):
    """The points shown in the consolidation's totals, mean, spread and final result."""
    return re.findall(r'data-testid="(?:total|mean|spread|final-result)"[^>]*>\s*([^<]*)', body)


@pytest.fixture
def capped(items, members):
    """Mật ong bạc hà: the members score the middle options but one the best; the council
    (whose rules let a discussion alone clear the spread) finalises: a mandatory minimum
    caps the stars below the band of the mean."""
    item = items[1]
    Council.objects.filter(pk=item.session.council_id).update(discussion_clears_spread=True)
    team = scorers(members)
    for member in team:
        score(item, member, "best" if member == team[1] else "middle")
    chair = members["chair"][0]
    item_record_discussion(item=item, conclusion="Thống nhất", actor=chair.user)
    result = item_finalise(item=item, actor=chair.user)
    assert result.stars < result.band_stars
    return item, result


def test_the_chairs_page_writes_points_the_vietnamese_way(client, capped, members):
    item, result = capped
    vietnamese(client)
    client.force_login(members["chair"][0].user)

    body = client.get(url(item.session, item)).content.decode()

    shown = figures(body)
    assert len(shown) >= 7  # five totals, the mean, the spread (and the final result)
    assert all(re.search(r"\d,\d\d", text) for text in shown)
    assert not any(re.search(r"\d\.\d", text) for text in shown)
    assert f"{result.display_mean:.2f}".replace(".", ",") in body


def test_the_chairs_page_names_the_capping_criterion_by_its_text(client, capped, members):
    item, result = capped
    spec = spec_of(item)
    labels = {c.key: c.label.strip().splitlines()[0].strip() for c in spec.criteria()}
    client.force_login(members["chair"][0].user)

    body = client.get(url(item.session, item)).content.decode()

    failed = [entry["criterion"] for entry in result.details["failed_minimums"]]
    assert failed
    for key in failed:
        assert f'data-key="{key}"' in body
        assert escape(labels[key]) in body


def test_the_minutes_say_which_mandatory_criterion_capped_the_stars(capped):
    item, result = capped
    spec = spec_of(item)
    labels = {c.key: c.label.strip().splitlines()[0].strip() for c in spec.criteria()}

    with translation.override("vi"):
        context = minutes_context(item.session)
    [minutes] = [i for i in context["items"] if i.product == item.dossier.product.name]

    failed = [entry["criterion"] for entry in result.details["failed_minimums"]]
    assert len(minutes.caps) == len(failed)
    for key, cap in zip(failed, minutes.caps, strict=True):
        assert f"tiêu chí {key} “{labels[key]}”" in cap
    assert minutes.band_stars == f"{result.band_stars} sao ({'★' * result.band_stars})"
    assert "Hạng sao theo điểm trung bình" in minutes_html(item.session)


def test_the_blank_choice_is_translated(client, district_council, district_officer):
    vietnamese(client)
    client.force_login(district_officer)

    body = client.get(f"/councils/{district_council.pk}/sessions/new/").content.decode()

    assert "- Select an option -" not in body
    assert "- Chọn một mục -" in body


def test_the_working_group_moves_the_session_on_its_page(client, session, district_officer):
    client.force_login(district_officer)
    page = client.get(url(session, suffix="reschedule/"))
    assert page.status_code == 200
    new_date = session.date + datetime.timedelta(days=3)

    response = client.post(url(session, suffix="reschedule/"), {"date": new_date.isoformat()})

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == new_date
    assert AuditEntry.objects.latest("seq").action == "session.reschedule"


def test_a_bad_session_date_is_kept_with_the_message(client, session, district_officer):
    client.force_login(district_officer)

    response = client.post(url(session, suffix="reschedule/"), {"date": "2024-12-31"})

    assert response.status_code == 400
    assert "The council&#x27;s term starts on" in response.content.decode()
    assert response.context["form"]["date"].value() == "2024-12-31"
    response = client.post(url(session, suffix="reschedule/"), {"date": "31/02/2026"})
    assert response.status_code == 400
    assert response.context["form"].errors["date"]


def test_moving_a_session_is_404_for_its_members_and_others(
    client, session, members, province_officer
):
    for user in (members["chair"][0].user, members["secretary"][0].user, province_officer):
        client.force_login(user)
        assert client.get(url(session, suffix="reschedule/")).status_code == 404
        assert (
            client.post(url(session, suffix="reschedule/"), {"date": "2026-01-01"}).status_code
            == 404
        )
