"""Issue 10, part 5: the dossier services refuse free text past its limit (the forms do too),
and nothing moves or is saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from evaluations.enums import DossierState
from evaluations.exceptions import DossierError
from evaluations.intake.services.dossiers import (
    AnswerInput,
    dossier_extend_deadline,
    dossier_return,
    dossier_save_answers,
    dossier_submit,
    dossier_withdraw,
)
from evaluations.models import Dossier
from ocop.core.limits import NOTE_MAX_LENGTH, REASON_MAX_LENGTH
from ocop.core.models import AuditEntry

# The ready dossier, built once per module (and per `dates` day): tests/fixtures/.
from tests.fixtures.dossier_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_a_return_reason_too_long_is_refused(ready_dossier, owner, district_officer):
    dossier_submit(dossier=ready_dossier, actor=owner)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as caught:
        dossier_return(
            dossier=ready_dossier,
            reasons=[("document", "lab_test", "x" * (REASON_MAX_LENGTH + 1))],
            actor=district_officer,
        )

    assert caught.value.code == "max_length"
    assert Dossier.objects.get(pk=ready_dossier.pk).state == DossierState.SUBMITTED
    assert AuditEntry.objects.count() == audit_before


def test_a_withdrawal_reason_too_long_is_refused(dossier, owner):
    with pytest.raises(ValidationError) as caught:
        dossier_withdraw(dossier=dossier, actor=owner, reason="x" * (REASON_MAX_LENGTH + 1))

    assert list(caught.value.error_dict) == ["reason"]
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.DRAFT


def test_an_extension_reason_too_long_is_refused(ready_dossier, province_officer):
    with pytest.raises(ValidationError) as caught:
        dossier_extend_deadline(
            dossier=ready_dossier,
            until=timezone.localdate() + datetime.timedelta(days=3),
            reason="x" * (REASON_MAX_LENGTH + 1),
            actor=province_officer,
        )

    assert [e.code for e in caught.value.error_dict["reason"]] == ["max_length"]
    assert Dossier.objects.get(pk=ready_dossier.pk).deadline_extended_to is None


def test_a_criterion_note_too_long_is_refused(dossier, owner):
    with pytest.raises(DossierError) as caught:
        dossier_save_answers(
            dossier=dossier,
            answers={"A.1.a": AnswerInput("", "x" * (NOTE_MAX_LENGTH + 1), ())},
            actor=owner,
        )

    assert f"at most {NOTE_MAX_LENGTH} characters" in caught.value.message
    assert not dossier.answers.exists()
