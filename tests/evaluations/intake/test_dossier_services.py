"""Registering a product to a round, and the self-assessment as a draft."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluations.criteria.selectors import form_spec
from evaluations.enums import DossierAction, DossierState
from evaluations.exceptions import DossierError
from evaluations.intake.selectors import open_rounds_for_producer
from evaluations.intake.services.dossiers import (
    AnswerInput,
    dossier_create,
    dossier_save_answers,
    dossier_set_documents,
)
from evaluations.models import Dossier, DossierEvent, SelfAssessmentAnswer
from ocop.core.enums import Role
from ocop.core.models import AuditEntry, UnitSuccession
from tests.evaluations.intake.conftest import make_document, open_round
from tests.factories import phu_tho_units, producer_with_owner, product_for, user_with_role

pytestmark = pytest.mark.django_db


def test_create_registers_a_draft_on_the_current_verified_form_for_the_district(
    round_148, product, owner, units
):
    dossier = dossier_create(round=round_148, product=product, kind="first", actor=owner)

    assert (dossier.state, dossier.version, dossier.kind) == (DossierState.DRAFT, 0, "first")
    assert dossier.scoring_form.key == "148/2023:01"
    assert dossier.scoring_form.is_current and dossier.scoring_form.is_verified
    assert dossier.first_level_unit == units["district"]
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.action, event.actor) == (DossierAction.CREATE, owner)
    assert (
        AuditEntry.objects.filter(action="dossier.create", object_id=str(dossier.pk)).count() == 1
    )


def test_under_1489_the_commune_of_todays_map_receives_the_dossier(
    forms, regimes, required_documents, units, product, owner
):
    """The producer is recorded in Mãn Đức (old map); today's Phú Thọ round sends its dossier
    to Xã Tân Lạc, the commune Mãn Đức was merged into."""
    new = phu_tho_units(units)
    officer = user_with_role(Role.PROVINCE_OFFICER, new["province"], username="pt")
    round_1489 = open_round(officer, new["province"], regime="1489/2025")

    dossier = dossier_create(round=round_1489, product=product, kind="first", actor=owner)

    assert dossier.first_level_unit == new["commune"]
    assert round_1489 in open_rounds_for_producer(product.producer)


def test_a_producer_of_a_split_commune_is_asked_which_commune_it_is_in_today(
    forms, regimes, required_documents, units, product, owner
):
    new = phu_tho_units(units)
    UnitSuccession.objects.filter(old=units["commune"]).update(partly=True)
    UnitSuccession.objects.create(old=units["commune"], new=new["other_commune"], partly=True)
    officer = user_with_role(Role.PROVINCE_OFFICER, new["province"], username="pt")
    round_1489 = open_round(officer, new["province"], regime="1489/2025")

    with pytest.raises(ValidationError) as refused:
        dossier_create(round=round_1489, product=product, kind="first", actor=owner)

    assert "was split among several communes" in refused.value.message_dict["round"][0]
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("kind", ["upgrade", "reevaluation"])
def test_upgrade_and_reevaluation_need_the_certificate_number(round_148, product, owner, kind):
    with pytest.raises(ValidationError) as refused:
        dossier_create(round=round_148, product=product, kind=kind, actor=owner)

    assert list(refused.value.message_dict) == ["current_certificate_number"]
    dossier = dossier_create(
        round=round_148,
        product=product,
        kind=kind,
        current_certificate_number=" 125/GCN-UBND ",
        actor=owner,
    )
    assert dossier.current_certificate_number == "125/GCN-UBND"


def test_a_first_registration_records_no_certificate(round_148, product, owner):
    dossier = dossier_create(
        round=round_148, product=product, kind="first", current_certificate_number="X", actor=owner
    )

    assert dossier.current_certificate_number == ""


def test_an_unverified_form_is_refused_with_a_clear_message(round_148, cooperative, owner):
    juice = product_for(cooperative[0], number=7, name="Mứt cam")

    with pytest.raises(ValidationError) as refused:
        dossier_create(round=round_148, product=juice, kind="first", actor=owner)

    message = refused.value.message_dict["product"][0]
    assert "is not verified yet" in message
    # It says whom to ask: the office running the round.
    assert f"The OCOP office of {round_148.province.name}" in message
    assert Dossier.objects.count() == 0


def test_a_round_of_another_province_is_refused(
    forms, regimes, product, owner, other_province, role_users
):
    from ocop.core.enums import Role
    from tests.factories import user_with_role

    officer = user_with_role(Role.PROVINCE_OFFICER, other_province, username="thainguyen")
    elsewhere = open_round(officer, other_province)

    with pytest.raises(ValidationError) as refused:
        dossier_create(round=elsewhere, product=product, kind="first", actor=owner)

    assert list(refused.value.message_dict) == ["round"]


def test_a_closed_round_is_refused(forms, regimes, units, province_officer, product, owner):
    today = datetime.date.today()
    closed = open_round(
        province_officer,
        units["province"],
        submission_deadline=today - datetime.timedelta(days=1),
    )

    with pytest.raises(ValidationError) as refused:
        dossier_create(round=closed, product=product, kind="first", actor=owner)

    assert "stopped taking dossiers" in refused.value.message_dict["round"][0]


def test_one_active_dossier_per_product_and_round(dossier, round_148, product, owner):
    with pytest.raises(ValidationError) as refused:
        dossier_create(round=round_148, product=product, kind="first", actor=owner)

    assert list(refused.value.message_dict) == ["product"]


def test_another_producers_member_may_not_register_the_product(round_148, product, units):
    _, stranger = producer_with_owner(commune=units["commune"], username="other")

    with pytest.raises(PermissionDenied):
        dossier_create(round=round_148, product=product, kind="first", actor=stranger)


def test_save_answers_keeps_a_partial_draft_with_notes_and_evidence(dossier, owner, library):
    label = library["label"]

    dossier_save_answers(
        dossier=dossier,
        answers={
            "A.1.a": AnswerInput(option="A.1.a.3", note="Vùng cam Mãn Đức", documents=(label.pk,)),
            "A.1.b": AnswerInput(note="Chưa chắc"),
        },
        actor=owner,
    )

    rows = {a.criterion_key: a for a in SelfAssessmentAnswer.objects.filter(dossier=dossier)}
    assert (rows["A.1.a"].option_key, rows["A.1.a"].note) == ("A.1.a.3", "Vùng cam Mãn Đức")
    assert list(rows["A.1.a"].documents.all()) == [label]
    assert (rows["A.1.b"].option_key, rows["A.1.b"].note) == ("", "Chưa chắc")
    assert AuditEntry.objects.filter(action="dossier.save_answers").count() == 1


def test_save_answers_clears_what_was_left_out(dossier, owner):
    dossier_save_answers(
        dossier=dossier,
        answers={"A.1.a": AnswerInput(option="A.1.a.3"), "A.1.b": AnswerInput(option="A.1.b.1")},
        actor=owner,
    )

    dossier_save_answers(dossier=dossier, answers={"A.1.a": AnswerInput("A.1.a.2")}, actor=owner)

    assert list(
        SelfAssessmentAnswer.objects.filter(dossier=dossier).values_list(
            "criterion_key", "option_key"
        )
    ) == [("A.1.a", "A.1.a.2")]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"Z.9": AnswerInput("Z.9.1")}, "no criterion Z.9"),
        ({"A.1.a": AnswerInput("A.1.b.1")}, "is not an option"),
    ],
)
def test_save_answers_refuses_unknown_criteria_and_options(dossier, owner, answers, message):
    with pytest.raises(DossierError) as refused:
        dossier_save_answers(dossier=dossier, answers=answers, actor=owner)

    assert message in refused.value.message
    assert SelfAssessmentAnswer.objects.count() == 0


def test_save_answers_refuses_two_cases_of_a_choose_one_group(round_148, cooperative, owner):
    tour = product_for(cooperative[0], number=26, name="Du lịch cộng đồng bản Lác")
    dossier = dossier_create(round=round_148, product=tour, kind="first", actor=owner)

    with pytest.raises(DossierError) as refused:
        dossier_save_answers(
            dossier=dossier,
            answers={"C.8.a": AnswerInput("C.8.a.1"), "C.8.b": AnswerInput("C.8.b.1")},
            actor=owner,
        )

    assert "one case only" in refused.value.message


def test_evidence_must_come_from_the_producers_library(dossier, owner, units):
    other, other_owner = producer_with_owner(commune=units["commune"], username="other")
    foreign = make_document(other, "label", uploaded_by=other_owner)

    with pytest.raises(DossierError):
        dossier_save_answers(
            dossier=dossier,
            answers={"A.1.a": AnswerInput("A.1.a.1", documents=(foreign.pk,))},
            actor=owner,
        )
    with pytest.raises(DossierError):
        dossier_set_documents(dossier=dossier, documents=[foreign], actor=owner)


def test_a_submitted_dossier_cannot_be_edited(ready_dossier, owner):
    Dossier.objects.filter(pk=ready_dossier.pk).update(state=DossierState.SUBMITTED)

    with pytest.raises(DossierError) as refused:
        dossier_save_answers(dossier=ready_dossier, answers={}, actor=owner)

    assert "only a draft or a returned dossier" in refused.value.message


def test_documents_of_another_product_are_not_in_the_library(dossier, cooperative, owner):
    other_product = product_for(cooperative[0], number=1, name="Bưởi")
    foreign = make_document(cooperative[0], "lab_test", uploaded_by=owner, product=other_product)

    with pytest.raises(DossierError):
        dossier_set_documents(dossier=dossier, documents=[foreign], actor=owner)


def test_form_spec_of_a_dossier_has_32_criteria(dossier):
    assert len(list(form_spec(dossier.scoring_form).leaf_criteria())) == 32
