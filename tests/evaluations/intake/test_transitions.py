"""Every (from, to) pair of DOSSIER_TRANSITIONS through its service: legal moves succeed with
one event and one audit entry, illegal ones are refused and change nothing."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone, translation

from evaluations.enums import DossierAction, DossierState
from evaluations.exceptions import TransitionNotAllowed
from evaluations.intake.services.dossiers import (
    dossier_accept,
    dossier_extend_deadline,
    dossier_resubmit,
    dossier_return,
    dossier_start_evaluation,
    dossier_submit,
    dossier_withdraw,
)
from evaluations.intake.workflow import DOSSIER_TRANSITIONS
from evaluations.models import Dossier, DossierEvent, DossierVersion
from ocop.core.models import AuditEntry
from tests.factories import UserFactory, producer_with_owner

# The ready dossier, built once per module: tests/fixtures/dossier_world.py.
from tests.fixtures.dossier_world import *  # noqa: F403

# Each target state and the service that moves a dossier there, with who acts.
MOVES = {
    DossierState.SUBMITTED: ("producer", DossierAction.SUBMIT, dossier_submit, {}),
    DossierState.RESUBMITTED: ("producer", DossierAction.RESUBMIT, dossier_resubmit, {}),
    DossierState.WITHDRAWN: ("producer", DossierAction.WITHDRAW, dossier_withdraw, {}),
    DossierState.RETURNED: (
        "officer",
        DossierAction.RETURN,
        dossier_return,
        {"reasons": [("document", "label", "Nhãn chưa ghi hạn sử dụng")]},
    ),
    DossierState.ACCEPTED: (
        "officer",
        DossierAction.ACCEPT,
        dossier_accept,
        {"samples_count": 5, "samples_received_on": None},
    ),
    DossierState.UNDER_EVALUATION: (
        "officer",
        DossierAction.START_EVALUATION,
        dossier_start_evaluation,
        {},
    ),
}
PAIRS = [(source, target) for source in DOSSIER_TRANSITIONS for target in MOVES]


def _put_in_state(dossier, state):
    version = 0 if state == DossierState.DRAFT else 1
    Dossier.objects.filter(pk=dossier.pk).update(state=state, version=version)
    dossier.refresh_from_db()
    return dossier


def _attempt(dossier, target, *, owner, officer):
    who, _action, service, kwargs = MOVES[target]
    kwargs = dict(kwargs)
    if "samples_received_on" in kwargs:
        kwargs["samples_received_on"] = timezone.localdate()
    return service(dossier=dossier, actor=owner if who == "producer" else officer, **kwargs)


def _footprint(dossier):
    row = Dossier.objects.get(pk=dossier.pk)
    return (
        row.state,
        row.version,
        DossierEvent.objects.filter(dossier=dossier).count(),
        DossierVersion.objects.filter(dossier=dossier).count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), PAIRS, ids=[f"{s}->{t}" for s, t in PAIRS])
def test_every_pair_of_the_transition_table(source, target, ready_dossier, owner, district_officer):
    dossier = _put_in_state(ready_dossier, source)
    events = DossierEvent.objects.filter(dossier=dossier).count()
    audits = AuditEntry.objects.count()

    if target in DOSSIER_TRANSITIONS[source]:
        moved = _attempt(dossier, target, owner=owner, officer=district_officer)

        assert Dossier.objects.get(pk=dossier.pk).state == target == moved.state
        assert DossierEvent.objects.filter(dossier=dossier).count() == events + 1
        assert AuditEntry.objects.count() == audits + 1
        event = DossierEvent.objects.filter(dossier=dossier).latest("pk")
        assert (event.from_state, event.to_state, event.action) == (
            source,
            target,
            MOVES[target][1],
        )
        assert AuditEntry.objects.latest("seq").action == f"dossier.{MOVES[target][1]}"
    else:
        before = _footprint(dossier)

        with pytest.raises(TransitionNotAllowed):
            _attempt(dossier, target, owner=owner, officer=district_officer)

        assert _footprint(dossier) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "target"),
    [
        (DossierState.ACCEPTED, DossierState.RETURNED),
        (DossierState.WITHDRAWN, DossierState.SUBMITTED),
    ],
)
def test_illegal_moves_are_refused_even_for_superusers(source, target, ready_dossier):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    dossier = _put_in_state(ready_dossier, source)
    before = _footprint(dossier)

    with pytest.raises(TransitionNotAllowed) as refused:
        _attempt(dossier, target, owner=root, officer=root)

    assert "cannot become" in refused.value.message
    assert _footprint(dossier) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "source"),
    [
        (DossierState.SUBMITTED, DossierState.DRAFT),
        (DossierState.RESUBMITTED, DossierState.RETURNED),
        (DossierState.WITHDRAWN, DossierState.SUBMITTED),
        (DossierState.RETURNED, DossierState.SUBMITTED),
        (DossierState.ACCEPTED, DossierState.SUBMITTED),
        (DossierState.UNDER_EVALUATION, DossierState.ACCEPTED),
    ],
)
def test_only_the_producer_or_the_working_group_may_move(
    target, source, ready_dossier, owner, district_officer, other_district_officer, units
):
    dossier = _put_in_state(ready_dossier, source)
    _, stranger = producer_with_owner(commune=units["commune"], username="stranger")
    before = _footprint(dossier)

    # Another producer's member, the officer of another district, and the other side.
    for owner_, officer in ((stranger, other_district_officer), (district_officer, owner)):
        with pytest.raises(PermissionDenied):
            _attempt(dossier, target, owner=owner_, officer=officer)

    assert _footprint(dossier) == before


@pytest.mark.django_db
def test_the_province_officer_may_also_act_as_working_group(ready_dossier, province_officer):
    dossier = _put_in_state(ready_dossier, DossierState.SUBMITTED)

    dossier_accept(
        dossier=dossier,
        samples_count=5,
        samples_received_on=timezone.localdate(),
        actor=province_officer,
    )

    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.ACCEPTED


@pytest.mark.django_db
@pytest.mark.dates
def test_extend_deadline_is_the_province_officers_and_audited(
    ready_dossier, province_officer, district_officer, round_148
):
    until = round_148.submission_deadline + timezone.timedelta(days=10)
    with pytest.raises(PermissionDenied):
        dossier_extend_deadline(
            dossier=ready_dossier, until=until, reason="Lũ", actor=district_officer
        )
    audits = AuditEntry.objects.count()

    dossier = dossier_extend_deadline(
        dossier=ready_dossier, until=until, reason="Lũ cuốn trôi đường", actor=province_officer
    )

    assert dossier.deadline_extended_to == until
    assert dossier.submission_deadline == until
    event = DossierEvent.objects.filter(dossier=dossier).latest("pk")
    assert (event.action, event.note) == (DossierAction.EXTEND_DEADLINE, "Lũ cuốn trôi đường")
    assert AuditEntry.objects.count() == audits + 1
    assert AuditEntry.objects.latest("seq").data["until"] == until.isoformat()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_one_succeeds_one_is_refused(
    forms, regimes, required_documents, units, province_officer, cooperative
):
    from evaluations.intake.services.dossiers import dossier_create
    from tests.evaluations.intake.conftest import complete, make_document, open_round
    from tests.factories import product_for

    producer, owner = cooperative
    round_obj = open_round(province_officer, units["province"])
    product = product_for(producer, number=1, name="Cam")
    dossier = dossier_create(round=round_obj, product=product, kind="first", actor=owner)
    library = {
        kind: make_document(producer, kind, uploaded_by=owner)
        for kind in (
            "business_registration",
            "product_standard",
            "lab_test",
            "label",
            "product_story",
        )
    }
    complete(dossier, owner, library)
    barrier = threading.Barrier(2)
    outcomes = []

    def submit():
        try:
            translation.activate("en")
            barrier.wait()
            dossier_submit(dossier=Dossier.objects.get(pk=dossier.pk), actor=owner)
            outcomes.append("submitted")
        except TransitionNotAllowed as refusal:
            outcomes.append(refusal.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == [
        "This dossier is “Submitted”: it cannot become “Submitted”.",
        "submitted",
    ]
    assert Dossier.objects.get(pk=dossier.pk).version == 1
    assert DossierVersion.objects.filter(dossier=dossier).count() == 1
    assert DossierEvent.objects.filter(dossier=dossier, action=DossierAction.SUBMIT).count() == 1


def test_the_table_covers_every_state():
    assert set(DOSSIER_TRANSITIONS) == set(DossierState)
    assert DOSSIER_TRANSITIONS.sources(DossierState.UNDER_EVALUATION) == {
        DossierState.ACCEPTED,
        DossierState.FORWARDED,
    }


def test_a_table_leading_out_of_itself_is_refused():
    from ocop.core.workflow import Transitions

    with pytest.raises(ValueError, match="not in the table"):
        Transitions(DossierState, {DossierState.DRAFT: {DossierState.SUBMITTED}})


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(DOSSIER_TRANSITIONS), ids=str)
def test_the_buttons_follow_the_table(state, ready_dossier, owner, district_officer):
    from evaluations.intake.workflow import dossier_actions

    dossier = _put_in_state(ready_dossier, state)
    allowed = DOSSIER_TRANSITIONS[state]

    producer = dossier_actions(owner, dossier)
    officer = dossier_actions(district_officer, dossier)

    assert (producer["submit"], producer["resubmit"], producer["withdraw"]) == (
        DossierState.SUBMITTED in allowed,
        DossierState.RESUBMITTED in allowed,
        DossierState.WITHDRAWN in allowed,
    )
    assert (officer["return"], officer["accept"]) == (
        DossierState.RETURNED in allowed,
        DossierState.ACCEPTED in allowed,
    )
    assert not any(producer[k] for k in ("return", "accept", "check"))
    assert not any(officer[k] for k in ("submit", "resubmit", "withdraw", "edit"))
