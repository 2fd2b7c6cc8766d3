"""The scoring services against the engine: consolidation, quorum, spread, recusal, each
regime's outcome, and the refusals (nothing changed, no audit entry)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone, translation

from evaluations.councils.selectors import eligible_dossiers, item_consolidation
from evaluations.councils.services.councils import council_update
from evaluations.councils.services.scoring import (
    conflict_declare,
    item_finalise,
    item_record_discussion,
    sheet_save,
    sheet_submit,
    sheets_reopen,
)
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.selectors import form_spec
from evaluations.engine.stars import round_half_up_2dp
from evaluations.enums import DossierState, ItemState, Outcome, SheetState
from evaluations.exceptions import SessionError
from evaluations.models import ConflictDeclaration, Dossier, LevelResult, ScoreSheet, SessionItem
from ocop.core.models import AuditEntry
from products.models import ProducerMember
from tests.evaluations.councils.conftest import (
    accepted_dossier,
    answers_at,
    open_round,
    score,
    total_of,
)

# The district session's items, built once per module (and per `dates` day): tests/fixtures/.
from tests.fixtures.items_world import *  # noqa: F403


def scorers(members):
    return members["chair"] + members["vice_chair"] + members["member"]


def spec_of(item):
    return form_spec(item.dossier.scoring_form)


def footprint(item):
    return (
        SessionItem.objects.get(pk=item.pk).state,
        Dossier.objects.get(pk=item.dossier_id).state,
        LevelResult.objects.count(),
        sorted(ScoreSheet.objects.filter(item=item).values_list("state", "total")),
        AuditEntry.objects.count(),
    )


# --- consolidation ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_mean_shown_is_the_members_mean_rounded_half_up(items, members):
    item = items[0]
    spec = spec_of(item)
    choices = ["best", "best", "mid", "best", "mid"]
    for member, choice in zip(scorers(members), choices, strict=True):
        score(item, member, choice)

    consolidation = item_consolidation(item)

    totals = [total_of(spec, c) for c in choices]
    exact = sum(totals) / Decimal(5)
    assert consolidation.result.display_mean == round_half_up_2dp(exact)
    assert consolidation.result.spread == max(totals) - min(totals)
    assert consolidation.result.quorum_met
    assert [m.status for m in consolidation.members] == ["submitted"] * 5
    assert sorted(m.sheet.total for m in consolidation.submitted) == sorted(totals)


@pytest.mark.django_db
def test_finalising_records_the_result_moves_the_dossier_and_audits_once(items, members):
    item = items[0]
    for member in scorers(members):
        score(item, member, "best")
    audits = AuditEntry.objects.count()
    spec = spec_of(item)

    result = item_finalise(
        item=item, comments="Cần cải tiến bao bì", actor=members["chair"][0].user
    )

    best = total_of(spec, "best")
    assert result.display_mean == round_half_up_2dp(best)
    assert result.level == "district"
    assert result.comments == "Cần cải tiến bao bì"
    assert Decimal(result.details["parts"]["A"]) > 0
    assert SessionItem.objects.get(pk=item.pk).state == ItemState.FINAL
    assert AuditEntry.objects.count() == audits + 1
    entry = AuditEntry.objects.latest("seq")
    assert entry.action == "session_item.finalise"
    assert entry.data["stars"] == result.stars
    assert len(entry.data["sheets"]) == 5


# --- quorum -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_finalising_without_quorum_is_refused_and_changes_nothing(items, members):
    item = items[0]
    chair = members["chair"][0]
    for member in scorers(members)[:3]:  # 3 of 5: 3/4 needs 4
        score(item, member, "best")
    before = footprint(item)

    with pytest.raises(SessionError) as refused:
        item_finalise(item=item, actor=chair.user)

    assert "Quorum not met: 3 of 5 members who may score have submitted" in " ".join(
        refused.value.problems
    )
    assert footprint(item) == before


@pytest.mark.django_db
def test_quorum_needs_the_chair(items, members):
    item = items[0]
    for member in scorers(members)[1:]:  # everybody but the chair: 4 of 5
        score(item, member, "best")

    consolidation = item_consolidation(item)

    assert not consolidation.result.quorum_met
    assert "The chair has not submitted a score sheet." in consolidation.blockers


@pytest.mark.django_db
def test_four_of_five_with_the_chair_is_a_quorum(items, members):
    item = items[0]
    for member in scorers(members)[:4]:
        score(item, member, "best")

    result = item_finalise(item=item, actor=members["chair"][0].user)

    assert result.details["submitted"] == 4
    assert result.details["eligible"] == 5


@pytest.mark.django_db
def test_only_the_chair_finalises(items, members):
    item = items[0]
    for member in scorers(members):
        score(item, member, "best")
    before = footprint(item)

    for user in (members["vice_chair"][0].user, members["secretary"][0].user):
        with pytest.raises(PermissionDenied):
            item_finalise(item=item, actor=user)

    assert footprint(item) == before


# --- recusal ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_of_the_producer_is_recused_automatically_and_left_out(
    session, dossiers, members, district_officer
):
    relative = members["hdh5"]
    producer = dossiers[0].product.producer
    ProducerMember.objects.create(producer=producer, user=relative.user, role="member")

    items = session_add_dossiers(session=session, dossiers=dossiers[:1], actor=district_officer)
    item = items[0]

    declaration = ConflictDeclaration.objects.get(item=item, member=relative)
    assert declaration.has_conflict and declaration.automatic
    assert producer.name in declaration.reason
    with pytest.raises(SessionError):
        conflict_declare(item=item, has_conflict=False, actor=relative.user)
    assert not ScoreSheet.objects.filter(item=item, member=relative).exists()
    # 4 eligible: 3 sheets with the chair meet 3/4.
    spec = spec_of(item)
    for member, choice in zip(scorers(members)[:3], ["best", "mid", "best"], strict=True):
        score(item, member, choice)
    consolidation = item_consolidation(item)
    assert consolidation.result.eligible_count == 4
    assert consolidation.result.quorum_met
    expected = (total_of(spec, "best") * 2 + total_of(spec, "mid")) / 3
    assert consolidation.result.display_mean == round_half_up_2dp(expected)
    assert [m.status for m in consolidation.recused] == ["recused"]


@pytest.mark.django_db
def test_a_declared_conflict_needs_a_reason_and_recuses(items, members):
    item = items[1]
    member = members["member"][0]

    with pytest.raises(ValidationError) as refused:
        conflict_declare(item=item, has_conflict=True, reason="  ", actor=member.user)
    assert "reason" in refused.value.message_dict
    assert not ConflictDeclaration.objects.filter(item=item, member=member).exists()

    conflict_declare(item=item, has_conflict=True, reason="Vợ là xã viên HTX", actor=member.user)

    assert not ScoreSheet.objects.filter(item=item, member=member).exists()
    assert AuditEntry.objects.latest("seq").action == "conflict.declare"


@pytest.mark.django_db
def test_the_secretary_and_strangers_cannot_declare_or_score(items, members, other_user):
    item = items[0]
    for user in (members["secretary"][0].user, other_user):
        with pytest.raises(Http404):
            conflict_declare(item=item, has_conflict=False, actor=user)


@pytest.mark.django_db
def test_a_member_of_another_council_cannot_score_this_agenda(items, province_council):
    outsider = province_council.members.get(role="chair")

    with pytest.raises(Http404):
        conflict_declare(item=items[0], has_conflict=False, actor=outsider.user)


# --- score sheets -------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_answer_that_is_not_an_option_is_refused_and_nothing_saved(items, members):
    item = items[0]
    member = members["member"][0]
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    sheet = ScoreSheet.objects.get(item=item, member=member)
    key = next(iter(answers_at(spec_of(item))))
    audits = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        sheet_save(sheet=sheet, answers={key: "zz"}, notes={}, actor=member.user)

    assert refused.value.message_dict[key] == [f"This is not an option of criterion {key}."]
    sheet.refresh_from_db()
    assert sheet.answers == {}
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
def test_saving_a_draft_audits_real_changes_only(items, members):
    item = items[0]
    member = members["member"][0]
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    sheet = ScoreSheet.objects.get(item=item, member=member)
    answers = dict(list(answers_at(spec_of(item)).items())[:3])
    audits = AuditEntry.objects.count()

    sheet_save(sheet=sheet, answers=answers, notes={}, actor=member.user)
    sheet_save(sheet=sheet, answers=answers, notes={}, actor=member.user)

    assert AuditEntry.objects.count() == audits + 1
    assert ScoreSheet.objects.get(pk=sheet.pk).answers == answers


@pytest.mark.django_db
def test_an_incomplete_sheet_cannot_be_submitted(items, members):
    item = items[0]
    member = members["member"][0]
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    sheet = ScoreSheet.objects.get(item=item, member=member)
    answers = answers_at(spec_of(item))
    answers.pop(next(iter(answers)))

    with pytest.raises(SessionError) as refused:
        sheet_submit(sheet=sheet, answers=answers, notes={}, actor=member.user)

    assert refused.value.message == "Answer every criterion before submitting: 1 left."
    assert ScoreSheet.objects.get(pk=sheet.pk).state == SheetState.DRAFT


@pytest.mark.django_db
def test_a_submitted_sheet_is_locked_and_cannot_be_submitted_twice(items, members):
    item = items[0]
    member = members["member"][0]
    sheet = score(item, member, "best")
    answers = answers_at(spec_of(item), "worst")
    before = footprint(item)

    with pytest.raises(SessionError, match="submitted and locked"):
        sheet_save(sheet=sheet, answers=answers, notes={}, actor=member.user)
    with pytest.raises(SessionError, match="already submitted"):
        sheet_submit(sheet=sheet, answers=answers, notes={}, actor=member.user)

    assert footprint(item) == before


@pytest.mark.django_db
def test_nobody_else_touches_a_members_sheet(items, members):
    item = items[0]
    member = members["member"][0]
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    sheet = ScoreSheet.objects.get(item=item, member=member)

    with pytest.raises(Http404):
        sheet_save(sheet=sheet, answers={}, notes={}, actor=members["chair"][0].user)


@pytest.mark.django_db
def test_submitting_freezes_the_form_revision(items, members):
    item = items[0]
    score(item, members["member"][0], "best")

    item.dossier.scoring_form.refresh_from_db()
    assert item.dossier.scoring_form.frozen_at is not None


# --- spread -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_wide_spread_blocks_until_reopened_and_rescored(items, members):
    item = items[0]
    chair = members["chair"][0]
    spec = spec_of(item)
    assert total_of(spec, "best") - total_of(spec, "worst") > 10
    sheets = {m.user.username: score(item, m, "best") for m in scorers(members)[:3]}
    sheets |= {m.user.username: score(item, m, "worst") for m in scorers(members)[3:]}
    before = footprint(item)

    with pytest.raises(SessionError) as refused:
        item_finalise(item=item, actor=chair.user)
    assert "reopen sheets for re-scoring" in " ".join(refused.value.problems)
    assert footprint(item) == before

    with pytest.raises(ValidationError):
        sheets_reopen(item=item, sheets=[sheets["hdh4"]], reason=" ", actor=chair.user)
    with pytest.raises(PermissionDenied):
        sheets_reopen(item=item, sheets=[sheets["hdh4"]], reason="x", actor=members["hdh2"].user)
    reopened = sheets_reopen(
        item=item,
        sheets=[sheets["hdh4"], sheets["hdh5"]],
        reason="Chênh lệch quá 10 điểm",
        actor=chair.user,
    )
    assert [s.state for s in reopened] == [SheetState.DRAFT] * 2
    assert AuditEntry.objects.latest("seq").action == "score_sheet.reopen"
    assert not item_consolidation(item).can_finalise  # back to 3 of 5

    for username in ("hdh4", "hdh5"):
        sheet = ScoreSheet.objects.get(pk=sheets[username].pk)
        assert sheet.reopen_reason == "Chênh lệch quá 10 điểm"
        sheet_submit(
            sheet=sheet, answers=answers_at(spec, "best"), notes={}, actor=members[username].user
        )

    result = item_finalise(item=item, actor=chair.user)
    assert result.spread == 0


@pytest.mark.django_db
def test_a_discussion_conclusion_lets_a_wide_spread_stand_if_the_council_allows_it(
    items, members, district_officer
):
    item = items[0]
    chair = members["chair"][0]
    council_update(
        council=item.session.council, discussion_clears_spread=True, actor=district_officer
    )
    for member, choice in zip(scorers(members), ["best"] * 4 + ["worst"], strict=True):
        score(item, member, choice)
    assert item_consolidation(item).discussion_needed

    item_record_discussion(item=item, conclusion="Hội đồng thống nhất giữ điểm", actor=chair.user)

    result = item_finalise(item=item, actor=chair.user)
    assert result.details["discussion"] == "Hội đồng thống nhất giữ điểm"


# --- outcomes by regime -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("regime", "choice", "outcome", "state"),
    [
        ("148/2023", "best", Outcome.FORWARDED, DossierState.FORWARDED),
        ("148/2023", "worst", Outcome.NOT_RECOGNISED, DossierState.NOT_RECOGNISED),
        ("1048/2019", "best", Outcome.FORWARDED, DossierState.FORWARDED),
    ],
)
def test_district_outcomes_follow_the_regime(
    regime,
    choice,
    outcome,
    state,
    district_council,
    producers,
    forms,
    regimes,
    required_documents,
    units,
    province_officer,
    district_officer,
    members,
):
    round_obj = open_round(province_officer, units["province"], regime=regime, number=7)
    from tests.factories import product_for

    producer, owner = producers[0]
    dossier = accepted_dossier(round_obj, product_for(producer, number=1, name="Gạo"), owner)
    session = session_create(
        council=district_council,
        round=round_obj,
        date=timezone.localdate(),
        place="UBND huyện",
        actor=district_officer,
    )
    item = session_add_dossiers(session=session, dossiers=[dossier], actor=district_officer)[0]
    for member in scorers(members):
        score(item, member, choice)

    result = item_finalise(item=item, actor=members["chair"][0].user)

    assert result.outcome == outcome
    dossier.refresh_from_db()
    assert dossier.state == state
    if outcome == Outcome.FORWARDED:
        assert dossier.level == "province" and result.to_level == "province"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("regime", "outcome", "state"),
    [
        ("148/2023", Outcome.RECOGNISED, DossierState.RECOGNISED),
        ("1048/2019", Outcome.FORWARDED, DossierState.FORWARDED),
    ],
)
def test_a_three_star_product_at_the_district(
    regime,
    outcome,
    state,
    district_council,
    producers,
    forms,
    regimes,
    required_documents,
    units,
    province_officer,
    district_officer,
    members,
):
    """3★ (50 to 70, every minimum kept): the district recognises it under 148/2023; under
    1048/2019 the district forwards everything from 50 to the province."""
    from evaluations.councils.services.scoring import sheet_submit
    from evaluations.engine.scoring import score_sheet
    from tests.evaluations.councils.conftest import answers_below
    from tests.factories import product_for

    round_obj = open_round(province_officer, units["province"], regime=regime, number=8)
    producer, owner = producers[0]
    dossier = accepted_dossier(round_obj, product_for(producer, number=1, name="Gạo"), owner)
    session = session_create(
        council=district_council,
        round=round_obj,
        date=timezone.localdate(),
        place="UBND huyện",
        actor=district_officer,
    )
    item = session_add_dossiers(session=session, dossiers=[dossier], actor=district_officer)[0]
    spec = spec_of(item)
    answers = answers_below(spec, Decimal(70))
    total = score_sheet(form=spec, answers=answers).total
    assert 50 <= total < 70
    for member in scorers(members):
        conflict_declare(item=item, has_conflict=False, actor=member.user)
        sheet_submit(
            sheet=item.sheets.get(member=member), answers=answers, notes={}, actor=member.user
        )

    result = item_finalise(item=item, actor=members["chair"][0].user)

    assert (result.stars, result.outcome) == (3, outcome)
    assert result.display_mean == round_half_up_2dp(total)
    assert Dossier.objects.get(pk=dossier.pk).state == state


@pytest.mark.django_db
def test_a_forwarded_dossier_is_scored_afresh_by_the_province(
    items, members, province_council, round_148, province_officer, district_officer
):
    item = items[0]
    for member in scorers(members):
        score(item, member, "best")
    item_finalise(item=item, actor=members["chair"][0].user)
    dossier = Dossier.objects.get(pk=item.dossier_id)

    province_session = session_create(
        council=province_council,
        round=round_148,
        date=timezone.localdate(),
        place="UBND tỉnh",
        actor=province_officer,
    )
    assert list(eligible_dossiers(province_session)) == [dossier]
    # The district's working group cannot put it on the province's agenda.
    with pytest.raises(PermissionDenied):
        session_create(
            council=province_council,
            round=round_148,
            date=timezone.localdate(),
            place="x",
            actor=district_officer,
        )
    province_item = session_add_dossiers(
        session=province_session, dossiers=[dossier], actor=province_officer
    )[0]
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.UNDER_EVALUATION
    assert province_item.sheets.count() == 0  # afresh
    for member in province_council.members.filter(role__in=["chair", "vice_chair", "member"]):
        score(province_item, member, "mid")

    result = item_finalise(
        item=province_item, actor=province_council.members.get(role="chair").user
    )

    assert result.level == "province"
    assert dossier.results.count() == 2


@pytest.mark.django_db
def test_a_dossier_is_on_one_agenda_at_a_time(items, session, district_officer, dossiers):
    before = SessionItem.objects.count()

    with pytest.raises(SessionError):
        session_add_dossiers(session=session, dossiers=dossiers[:1], actor=district_officer)

    assert SessionItem.objects.count() == before
    assert not eligible_dossiers(session).exists()


# --- races --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_finalise_clicks_at_once_make_one_result(
    forms, regimes, required_documents, units, role_users, producers
):
    from ocop.core.enums import Role
    from tests.evaluations.councils.conftest import make_council
    from tests.factories import product_for

    officer = role_users[Role.DISTRICT_OFFICER]
    council = make_council("district", units["district"], officer, prefix="race")
    round_obj = open_round(role_users[Role.PROVINCE_OFFICER], units["province"])
    producer, owner = producers[0]
    dossier = accepted_dossier(round_obj, product_for(producer, number=1, name="Gạo"), owner)
    session = session_create(
        council=council, round=round_obj, date=timezone.localdate(), place="UBND", actor=officer
    )
    item = session_add_dossiers(session=session, dossiers=[dossier], actor=officer)[0]
    scoring = list(council.members.filter(role__in=["chair", "vice_chair", "member"]))
    for member in scoring:
        score(item, member, "best")
    chair = council.members.get(role="chair").user
    barrier = threading.Barrier(2)
    outcomes = []

    def finalise():
        try:
            translation.activate("en")
            barrier.wait()
            item_finalise(item=SessionItem.objects.get(pk=item.pk), actor=chair)
            outcomes.append("final")
        except SessionError as refusal:
            outcomes.append(refusal.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=finalise) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == [
        "The result of this product is final: nothing can be changed.",
        "final",
    ]
    assert LevelResult.objects.filter(item=item).count() == 1
    assert AuditEntry.objects.filter(action="session_item.finalise").count() == 1
