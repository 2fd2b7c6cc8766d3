"""Every (from, to) pair of ITEM_TRANSITIONS and SHEET_TRANSITIONS: a pair the table allows
succeeds through its service; any other is refused with SessionError and writes nothing
(no state change, no audit entry). A state no service moves to (an item back to
"scoring") is checked on the table itself: no state may move there."""

import pytest

from evaluations.councils.models import SheetReopening
from evaluations.councils.services.scoring import (
    conflict_declare,
    item_finalise,
    sheet_submit,
    sheets_reopen,
)
from evaluations.councils.workflow import (
    ITEM_TRANSITIONS,
    SHEET_TRANSITIONS,
    item_actions,
    item_can_move,
    item_is_open,
    sheet_actions,
    sheet_can_move,
)
from evaluations.criteria.selectors import form_spec
from evaluations.enums import DossierState, ItemState, SheetState
from evaluations.exceptions import SessionError
from evaluations.models import DossierEvent, LevelResult, ScoreSheet, SessionItem
from ocop.core.models import AuditEntry
from tests.evaluations.councils.conftest import answers_at, score

# --- the tables ---------------------------------------------------------------------------


def test_the_tables_cover_every_state():
    assert set(ITEM_TRANSITIONS) == set(ItemState)
    assert set(SHEET_TRANSITIONS) == set(SheetState)


def test_nothing_moves_an_item_back_to_scoring():
    # Items are created scoring; no service and no move of the table brings one back.
    assert ITEM_TRANSITIONS.sources(ItemState.SCORING) == frozenset()
    assert not item_can_move(ItemState.FINAL, ItemState.SCORING)
    assert (item_is_open(ItemState.SCORING), item_is_open(ItemState.FINAL)) == (True, False)


# --- agenda items -------------------------------------------------------------------------


def _scorers(members):
    return members["chair"] + members["vice_chair"] + members["member"]


def _item_footprint(item):
    return (
        SessionItem.objects.get(pk=item.pk).state,
        LevelResult.objects.filter(item=item).count(),
        DossierEvent.objects.filter(dossier_id=item.dossier_id).count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("source", list(ITEM_TRANSITIONS), ids=str)
def test_every_item_pair_to_final(source, items, members):
    item = items[0]
    for member in _scorers(members):
        score(item, member)
    chair = members["chair"][0].user
    SessionItem.objects.filter(pk=item.pk).update(state=source)
    before = _item_footprint(item)

    if ITEM_TRANSITIONS.can_move(source, ItemState.FINAL):
        result = item_finalise(item=item, actor=chair)

        assert SessionItem.objects.get(pk=item.pk).state == ItemState.FINAL
        assert result.item_id == item.pk
        assert AuditEntry.objects.count() == before[-1] + 1
        assert AuditEntry.objects.latest("seq").action == "session_item.finalise"
    else:
        with pytest.raises(SessionError) as refused:
            item_finalise(item=item, actor=chair)

        assert refused.value.message == (
            "The result of this product is final: nothing can be changed."
        )
        assert _item_footprint(item) == before


# --- score sheets -------------------------------------------------------------------------


def _sheet_footprint(sheet):
    row = ScoreSheet.objects.get(pk=sheet.pk)
    return (
        row.state,
        row.total,
        row.reopened_count,
        SheetReopening.objects.filter(sheet=sheet).count(),
        AuditEntry.objects.count(),
    )


def _sheet_in(item, member, state):
    """The member's sheet in `state`, reached through the services."""
    if state == SheetState.SUBMITTED:
        return score(item, member)
    conflict_declare(item=item, has_conflict=False, actor=member.user)
    return item.sheets.get(member=member)


def _attempt(sheet, target, chair):
    if target == SheetState.SUBMITTED:
        spec = form_spec(sheet.scoring_form)
        return sheet_submit(
            sheet=sheet, answers=answers_at(spec), notes={}, actor=sheet.member.user
        )
    return sheets_reopen(item=sheet.item, sheets=[sheet], reason="Chênh lệch lớn", actor=chair)


REFUSALS = {
    (SheetState.SUBMITTED, SheetState.SUBMITTED): "This score sheet is already submitted.",
    (SheetState.DRAFT, SheetState.DRAFT): "Only submitted sheets of this product can be reopened.",
}
SHEET_PAIRS = SHEET_TRANSITIONS.pairs()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "target"), SHEET_PAIRS, ids=[f"{s}->{t}" for s, t in SHEET_PAIRS]
)
def test_every_sheet_pair(source, target, items, members):
    item = items[0]
    member = members["member"][0]
    chair = members["chair"][0].user
    sheet = _sheet_in(item, member, source)
    before = _sheet_footprint(sheet)

    if SHEET_TRANSITIONS.can_move(source, target):
        _attempt(sheet, target, chair)

        assert ScoreSheet.objects.get(pk=sheet.pk).state == target
        action = "score_sheet.submit" if target == SheetState.SUBMITTED else "score_sheet.reopen"
        # The move's one entry (a form's first submitted sheet also freezes the form).
        written = [e.action for e in AuditEntry.objects.order_by("seq")[before[-1] :]]
        assert written[-1] == action
        assert written.count(action) == 1
    else:
        with pytest.raises(SessionError) as refused:
            _attempt(sheet, target, chair)

        assert refused.value.message == REFUSALS[(source, target)]
        assert _sheet_footprint(sheet) == before


# --- the buttons --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_buttons_follow_the_tables(items, members):
    item = items[0]
    chair, other = members["chair"][0], members["member"][0]
    draft = _sheet_in(item, other, SheetState.DRAFT)

    assert item_actions(chair.user, item) == dict.fromkeys(
        ("reopen", "excuse", "discuss", "finalise"), True
    )
    assert not any(item_actions(other.user, item).values())
    assert sheet_actions(other.user, draft) == {"save": True, "submit": True, "reopen": False}
    assert sheet_actions(other.user, draft, excused=True)["submit"] is False
    assert sheet_actions(chair.user, draft) == {"save": False, "submit": False, "reopen": False}

    submitted = score(item, members["member"][1])
    assert sheet_actions(chair.user, submitted)["reopen"] is True
    assert sheet_actions(submitted.member.user, submitted)["submit"] is False

    item.state = ItemState.FINAL
    assert not any(item_actions(chair.user, item).values())
    assert not any(sheet_actions(other.user, draft, item=item).values())
    assert not any(sheet_actions(chair.user, submitted, item=item).values())


def test_sheet_can_move_reads_the_table():
    assert sheet_can_move(SheetState.DRAFT, SheetState.SUBMITTED)
    assert sheet_can_move(SheetState.SUBMITTED, SheetState.DRAFT)
    assert not sheet_can_move(SheetState.DRAFT, SheetState.DRAFT)


# --- putting dossiers on the agenda -------------------------------------------------------


@pytest.mark.django_db
def test_the_agenda_moves_dossiers_through_dossier_start_evaluation(
    session, dossiers, district_officer
):
    from evaluations.councils.services.sessions import session_add_dossiers
    from evaluations.enums import DossierAction

    audits = AuditEntry.objects.count()

    items = session_add_dossiers(session=session, dossiers=dossiers, actor=district_officer)

    assert [i.dossier.state for i in items] == [DossierState.UNDER_EVALUATION] * len(dossiers)
    for dossier in dossiers:
        event = DossierEvent.objects.filter(dossier=dossier).latest("pk")
        assert (event.action, event.from_state, event.to_state, event.note) == (
            DossierAction.START_EVALUATION,
            DossierState.ACCEPTED,
            DossierState.UNDER_EVALUATION,
            str(session),
        )
    # One entry per dossier (dossier.start_evaluation), then the session's own.
    entries = list(AuditEntry.objects.order_by("seq")[audits:])
    assert [e.action for e in entries] == ["dossier.start_evaluation"] * len(dossiers) + [
        "session.add_dossiers"
    ]
