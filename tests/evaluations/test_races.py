"""Races: many people press the same button at the same moment (issue 16).

Each test starts 50 real threads, each with its own PostgreSQL connection, held at a barrier
and released together against committed data (`transaction=True`): exactly one attempt per
object succeeds, every other one gets the service's clear refusal (an `EvaluationError` with
its Vietnamese message), there is one audit entry per success, and the audit chain still
verifies. No IntegrityError, no deadlock, no second success. Decision 0032.

The assertions are on outcomes only, never on timing; which thread wins is not asserted.
"""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext

from evaluations.certificates.services import decision_issue
from evaluations.councils.services.scoring import conflict_declare, item_finalise, sheet_submit
from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.selectors import form_spec
from evaluations.enums import DecisionState, ItemState, SheetState
from evaluations.exceptions import EvaluationError
from evaluations.models import Certificate, Decision, LevelResult, ScoreSheet, SessionItem
from ocop.core.audit import verify_audit_chain
from ocop.core.models import AuditEntry
from tests.evaluations.certificates.conftest import _score_all, scan
from tests.evaluations.councils.conftest import (
    answers_at,
    make_council,
)
from tests.fixtures.committed_world import CouncilWorld as World

pytestmark = [pytest.mark.races, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 50
DONE = "done"


def vietnamese(msgid: str) -> str:
    """The refusal as a user of the Vietnamese interface reads it (and proof it is translated)."""
    with translation.override("vi"):
        message = gettext(msgid)
    assert message != msgid, f"no Vietnamese for {msgid!r}"
    return message


def at_once(actions: list) -> list[str]:
    """Run each action in its own thread (its own database connection), all released by one
    barrier; what each one ended with: DONE, the refusal's message, or anything else raised
    (an IntegrityError, a deadlock) as its repr, which the caller's assertions then show."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str | None] = [None] * len(actions)

    def run(index, action):
        try:
            translation.activate("vi")  # a thread starts in the default language
            barrier.wait()
            action()
            outcomes[index] = DONE
        except EvaluationError as refusal:
            outcomes[index] = refusal.message
        except Exception as error:  # reported as the outcome, which the assertions show
            outcomes[index] = repr(error)
        finally:
            translation.deactivate()
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck (a deadlock?)"
    return outcomes


def one_success(outcomes: list[str], refusal: str) -> None:
    assert Counter(outcomes) == Counter({DONE: 1, refusal: len(outcomes) - 1})


def audit_count(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def chain_verifies() -> None:
    report = verify_audit_chain()
    assert (report.ok, report.reason) == (True, "")


# --- (a) finalising one level result -------------------------------------------------------


def test_fifty_finalise_clicks_make_one_result():
    world = World(1)
    item = world.items[0]
    for member in world.scorers:
        conflict_declare(item=item, has_conflict=False, actor=member.user)
        sheet = item.sheets.get(member=member)
        spec = form_spec(sheet.scoring_form)
        sheet_submit(sheet=sheet, answers=answers_at(spec), notes={}, actor=member.user)
    before = audit_count("session_item.finalise")

    outcomes = at_once(
        [
            lambda: item_finalise(item=SessionItem.objects.get(pk=item.pk), actor=world.chair)
            for _ in range(ATTEMPTS)
        ]
    )

    one_success(
        outcomes, vietnamese("The result of this product is final: nothing can be changed.")
    )
    assert LevelResult.objects.filter(item=item).count() == 1
    assert SessionItem.objects.get(pk=item.pk).state == ItemState.FINAL
    assert audit_count("session_item.finalise") - before == 1
    chain_verifies()


# --- (b) issuing one decision ----------------------------------------------------------------


def test_fifty_issue_clicks_make_one_set_of_certificates(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = World(2)
    results = [_score_all(item, world.council, Decimal(70)) for item in world.items]
    decision = world.draft("1520/QĐ-UBND", results)
    before = audit_count("decision.issue")

    outcomes = at_once(
        [
            lambda: decision_issue(
                decision=Decision.objects.get(pk=decision.pk),
                signed_scan=scan(),
                actor=world.district_officer,
            )
            for _ in range(ATTEMPTS)
        ]
    )

    one_success(outcomes, vietnamese("This decision is already issued: it cannot change."))
    decision.refresh_from_db()
    assert decision.state == DecisionState.ISSUED
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2]
    assert audit_count("decision.issue") - before == 1
    # One signed scan stored: the refused attempts wrote no file.
    assert [p.name for p in (tmp_path / "media").rglob("*") if p.is_file()] == [
        decision.signed_scan.name.rsplit("/", 1)[-1]
    ]
    chain_verifies()


# --- (c) submitting one score sheet ----------------------------------------------------------


def test_fifty_submit_clicks_submit_one_sheet():
    world = World(1)
    item = world.items[0]
    member = world.scorers[0]
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    sheet = item.sheets.get(member=member)
    answers = answers_at(form_spec(sheet.scoring_form))
    before = audit_count("score_sheet.submit")

    outcomes = at_once(
        [
            lambda: sheet_submit(
                sheet=ScoreSheet.objects.get(pk=sheet.pk),
                answers=answers,
                notes={},
                actor=member.user,
            )
            for _ in range(ATTEMPTS)
        ]
    )

    one_success(outcomes, vietnamese("This score sheet is already submitted."))
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED
    assert audit_count("score_sheet.submit") - before == 1
    chain_verifies()


# --- (d) numbering certificates in one province ------------------------------------------


DECISIONS = 10
PER_DECISION = 2


def test_concurrent_decisions_of_one_province_number_without_gap_or_duplicate(settings, tmp_path):
    """Ten decisions of Hoà Bình in one year (nine of Tân Lạc's People's Committee, one of
    the province's), each clicked five times at once: 50 attempts, ten issues, and the
    province's twenty certificates numbered 1 to 20 of the year, no gap, no duplicate."""
    settings.MEDIA_ROOT = tmp_path / "media"
    world = World(DECISIONS * PER_DECISION)
    district_results = [
        _score_all(item, world.council, Decimal(70)) for item in world.items[:-PER_DECISION]
    ]
    decisions = [
        world.draft(f"{100 + index}/QĐ-UBND", district_results[start : start + PER_DECISION])
        for index, start in enumerate(range(0, len(district_results), PER_DECISION))
    ]
    # The last dossiers go on to the province council, whose results the province issues.
    province_council = make_council(
        "province",
        world.units["province"],
        world.province_officer,
        prefix="hdt",
        scoring=3,
        secretary=False,
    )
    forwarded = [_score_all(item, world.council, Decimal(101)).dossier for item in world.items[-2:]]
    province_session = session_create(
        council=province_council,
        round=world.round,
        date=timezone.localdate(),
        place="UBND tỉnh Hoà Bình",
        actor=world.province_officer,
    )
    province_items = session_add_dossiers(
        session=province_session, dossiers=forwarded, actor=world.province_officer
    )
    province_results = [_score_all(i, province_council, Decimal(90)) for i in province_items]
    decisions.append(
        world.draft(
            "2365/QĐ-UBND",
            province_results,
            issuer=world.units["province"],
            actor=world.province_officer,
        )
    )
    assert len(decisions) == DECISIONS
    before = audit_count("decision.issue")
    issuers = {d.pk: d.issuer.level for d in decisions}
    actors = {"district": world.district_officer, "province": world.province_officer}

    def issue(decision):
        return lambda: decision_issue(
            decision=Decision.objects.get(pk=decision.pk),
            signed_scan=scan(),
            actor=actors[issuers[decision.pk]],
        )

    attempts = [issue(d) for d in decisions for _ in range(ATTEMPTS // DECISIONS)]
    outcomes = at_once(attempts)

    refusal = vietnamese("This decision is already issued: it cannot change.")
    assert Counter(outcomes) == Counter({DONE: DECISIONS, refusal: ATTEMPTS - DECISIONS})
    per_decision = ATTEMPTS // DECISIONS
    for index in range(DECISIONS):
        mine = outcomes[index * per_decision : (index + 1) * per_decision]
        assert mine.count(DONE) == 1
    assert Decision.objects.filter(state=DecisionState.ISSUED).count() == DECISIONS
    year = timezone.localdate().year
    numbered = Certificate.objects.filter(province_code=world.units["province"].code, year=year)
    assert sorted(numbered.values_list("sequence", flat=True)) == list(
        range(1, DECISIONS * PER_DECISION + 1)
    )
    assert numbered.values("number").distinct().count() == DECISIONS * PER_DECISION
    # A decision's certificates are numbered consecutively, in its items' order.
    for decision in decisions:
        sequences = list(
            Certificate.objects.filter(decision=decision)
            .order_by("item__order")
            .values_list("sequence", flat=True)
        )
        assert sequences == list(range(sequences[0], sequences[0] + PER_DECISION))
    assert audit_count("decision.issue") - before == DECISIONS
    chain_verifies()


# --- drafting: the same results on two decisions -------------------------------------------


def test_fifty_drafts_of_the_same_results_make_one_decision():
    world = World(2)
    results = [_score_all(item, world.council, Decimal(70)) for item in world.items]
    before = audit_count("decision.create")

    outcomes = at_once(
        [
            lambda number=number: world.draft(f"{number}/QĐ-UBND", results)
            for number in range(1, ATTEMPTS + 1)
        ]
    )

    one_success(
        outcomes,
        vietnamese(
            "Some results cannot go on this decision (not recognised at this level, or "
            "already on a decision): nothing was saved."
        ),
    )
    assert Decision.objects.count() == 1
    assert audit_count("decision.create") - before == 1
    chain_verifies()
