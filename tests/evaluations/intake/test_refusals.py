"""Refusals on the intake pages once the dossier has moved on: the page says why, keeps the
input where it has a form of its own, and changes nothing."""

import pytest
from django.utils import timezone

from evaluations.enums import DossierState
from evaluations.intake.services.dossiers import dossier_accept, dossier_submit
from evaluations.models import Dossier, SelfAssessmentAnswer

# The ready dossier, built once per module (and per `dates` day): tests/fixtures/.
from tests.fixtures.dossier_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_saving_answers_of_a_submitted_dossier_keeps_the_ticks_and_says_why(
    client, ready_dossier, owner
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    before = list(SelfAssessmentAnswer.objects.values_list("criterion_key", "option_key"))
    client.force_login(owner)

    response = client.post(
        f"/dossiers/{ready_dossier.pk}/self-assessment/", {"answer-A.1.a": "A.1.a.1"}
    )

    assert response.status_code == 400
    assert response.context["form"]["answer-A.1.a"].value() == "A.1.a.1"
    assert _messages(response) == [
        "This dossier is “Submitted”: only a draft or a returned dossier can be changed."
    ]
    assert list(SelfAssessmentAnswer.objects.values_list("criterion_key", "option_key")) == before


def test_choosing_documents_of_a_submitted_dossier_keeps_the_choice_and_says_why(
    client, ready_dossier, owner, library
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    client.force_login(owner)
    label = library["label"]

    response = client.post(f"/dossiers/{ready_dossier.pk}/documents/", {"documents": [label.pk]})

    assert response.status_code == 400
    assert response.context["selected"] == {label.pk}
    assert len(_messages(response)) == 1
    assert ready_dossier.documents.count() == len(library)


def test_extending_a_submitted_dossier_goes_back_to_the_check_page_with_the_reason(
    client, ready_dossier, owner, province_officer
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    client.force_login(province_officer)
    until = ready_dossier.round.submission_deadline + timezone.timedelta(days=5)

    response = client.post(
        f"/dossiers/{ready_dossier.pk}/extend-deadline/",
        {"until": until.isoformat(), "reason": "Mưa lũ"},
        follow=True,
    )

    assert response.redirect_chain == [(f"/inbox/{ready_dossier.pk}/", 302)]
    assert len(_messages(response)) == 1
    assert Dossier.objects.get(pk=ready_dossier.pk).deadline_extended_to is None


def test_accepting_an_accepted_dossier_is_a_message_on_the_check_page(
    client, ready_dossier, owner, district_officer
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    today = timezone.localdate()
    dossier_accept(
        dossier=ready_dossier,
        actor=district_officer,
        samples_count=5,
        samples_received_on=today,
    )
    client.force_login(district_officer)

    response = client.post(
        f"/inbox/{ready_dossier.pk}/accept/",
        {"samples_count": "3", "samples_received_on": today.isoformat()},
        follow=True,
    )

    assert response.redirect_chain == [(f"/inbox/{ready_dossier.pk}/", 302)]
    assert _messages(response) == [
        "This dossier is “Accepted by the working group”: "
        "it cannot become “Accepted by the working group”."
    ]
    dossier = Dossier.objects.get(pk=ready_dossier.pk)
    assert (dossier.state, dossier.samples_count) == (DossierState.ACCEPTED, 5)


def test_the_check_page_shows_a_refused_return_with_its_rows(
    client, ready_dossier, owner, district_officer
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    client.force_login(district_officer)

    response = client.post(
        f"/inbox/{ready_dossier.pk}/return/",
        {
            "reasons-TOTAL_FORMS": "1",
            "reasons-INITIAL_FORMS": "0",
            "reasons-0-item": "document:label",
            "reasons-0-reason": "",
        },
    )

    assert response.status_code == 400
    assert response.context["return_formset"].forms[0]["item"].value() == "document:label"
    assert response.context["accept_form"].is_bound is False
    assert Dossier.objects.get(pk=ready_dossier.pk).state == DossierState.SUBMITTED
