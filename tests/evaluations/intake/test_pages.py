"""The producer's pages: list, registration, self-assessment, documents, submit, history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.enums import DossierState
from evaluations.intake.services.dossiers import (
    dossier_create,
    dossier_resubmit,
    dossier_return,
    dossier_submit,
)
from evaluations.models import Dossier, SelfAssessmentAnswer
from ocop.core.limits import REASON_MAX_LENGTH
from tests.evaluations.intake.conftest import best_answers
from tests.factories import producer_with_owner, product_for

# The ready dossier, built once per module (and per `dates` day): tests/fixtures/.
from tests.fixtures.dossier_world import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _answers_post(spec, **extra):
    data = {f"answer-{k}": a.option for k, a in best_answers(spec).items()}
    data.update(extra)
    return data


def test_dossier_list_shows_the_producers_dossiers_and_open_rounds(client, dossier, owner):
    client.force_login(owner)

    response = client.get("/dossiers/")

    assert response.status_code == 200
    assert list(response.context["dossiers"]) == [dossier]
    assert [r.pk for r in response.context["open_rounds"]] == [dossier.round_id]


def test_dossier_list_query_count_does_not_grow(client, round_148, cooperative, owner, forms):
    client.force_login(owner)

    def add():
        product = product_for(cooperative[0], number=1)
        dossier_create(round=round_148, product=product, kind="first", actor=owner)

    add()
    with CaptureQueriesContext(connection) as one:
        client.get("/dossiers/")
    add()
    add()
    with CaptureQueriesContext(connection) as three:
        response = client.get("/dossiers/")

    assert len(response.context["dossiers"]) == 3
    assert len(one) == len(three)


def test_register_a_product_from_the_page(client, round_148, product, owner, units):
    client.force_login(owner)
    assert client.get(f"/dossiers/new/?round={round_148.pk}").status_code == 200

    response = client.post(
        "/dossiers/new/", {"round": round_148.pk, "product": product.pk, "kind": "first"}
    )

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == f"/dossiers/{dossier.pk}/"
    assert dossier.first_level_unit == units["district"]


def test_an_upgrade_without_certificate_keeps_the_input_with_a_field_message(
    client, round_148, product, owner
):
    client.force_login(owner)

    response = client.post(
        "/dossiers/new/", {"round": round_148.pk, "product": product.pk, "kind": "upgrade"}
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == ["current_certificate_number"]
    assert form["kind"].value() == "upgrade"
    assert Dossier.objects.count() == 0


def test_an_unverified_form_is_refused_on_the_page(client, round_148, cooperative, owner):
    jam = product_for(cooperative[0], number=7, name="Mứt cam")
    client.force_login(owner)

    response = client.post(
        "/dossiers/new/", {"round": round_148.pk, "product": jam.pk, "kind": "first"}
    )

    assert response.status_code == 400
    assert "is not verified yet" in response.context["form"].errors["product"][0]


def test_the_registration_marks_products_whose_form_is_not_verified_and_names_the_office(
    client, round_148, cooperative, owner
):
    jam = product_for(cooperative[0], number=7, name="Mứt cam")
    orange = product_for(cooperative[0], number=1, name="Cam Mãn Đức")
    client.force_login(owner)

    response = client.get("/dossiers/new/")

    labels = dict(response.context["form"].fields["product"].choices)
    assert labels[jam.pk].endswith("⚠ scoring form not verified yet")
    assert "⚠" not in labels[orange.pk]
    page = response.content.decode()
    assert 'data-testid="round-offices"' in page
    assert f"run by the OCOP office of {round_148.province.name}" in page


def test_the_product_form_marks_the_sets_whose_form_is_not_verified(client, cooperative, owner):
    client.force_login(owner)

    response = client.get("/producer/products/new/")

    field = response.context["form"].fields["product_set"]
    labels = [str(label) for _, label in field.choices]
    marked = [label for label in labels if "⚠" in label]
    assert marked and all(label.startswith("7.") for label in marked)
    assert "Sets marked ⚠" in str(field.help_text)


def test_self_assessment_page_lists_every_criterion_with_its_options(client, dossier, owner):
    client.force_login(owner)

    response = client.get(f"/dossiers/{dossier.pk}/self-assessment/")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-testid="criterion"') == 32
    assert 'name="answer-A.1.đ"' in body
    assert 'data-testid="answered">0 / 32 answered' in body


def test_self_assessment_saves_a_draft_with_notes_and_evidence(client, dossier, owner, library):
    client.force_login(owner)
    label = library["label"]

    response = client.post(
        f"/dossiers/{dossier.pk}/self-assessment/",
        {
            "answer-A.1.a": "A.1.a.3",
            "note-A.1.a": "Vùng trồng cam 12 ha",
            "docs-A.1.a": [label.pk],
            "answer-B.4.a": "B.4.a.1",
        },
    )

    assert response.status_code == 302
    answers = {a.criterion_key: a for a in SelfAssessmentAnswer.objects.filter(dossier=dossier)}
    assert sorted(answers) == ["A.1.a", "B.4.a"]
    assert answers["A.1.a"].note == "Vùng trồng cam 12 ha"
    assert list(answers["A.1.a"].documents.all()) == [label]
    page = client.get(f"/dossiers/{dossier.pk}/self-assessment/").content.decode()
    assert 'value="A.1.a.3" checked' in page
    assert "Vùng trồng cam 12 ha</textarea>" in page


def test_live_totals_count_the_answered_criteria_only(client, dossier, owner):
    client.force_login(owner)

    response = client.post(
        f"/dossiers/{dossier.pk}/self-assessment/totals/",
        {"answer-A.1.a": "A.1.a.3", "answer-C.12.a": "C.12.a.1"},
        headers={"HX-Request": "true"},
    )

    score = response.context["score"]
    assert response.status_code == 200
    assert (score.answered, score.required, str(score.total)) == (2, 32, "6.00")
    assert 'data-testid="answered">2 / 32 answered' in response.content.decode()


def test_a_choose_one_group_keeps_the_chosen_case_only(client, round_148, cooperative, owner):
    tour = product_for(cooperative[0], number=26, name="Bản Lác")
    dossier = dossier_create(round=round_148, product=tour, kind="first", actor=owner)
    client.force_login(owner)

    response = client.post(
        f"/dossiers/{dossier.pk}/self-assessment/",
        {"case-C.8": "C.8.b", "answer-C.8.a": "C.8.a.3", "answer-C.8.b": "C.8.b.2"},
    )

    assert response.status_code == 302
    assert list(
        SelfAssessmentAnswer.objects.filter(dossier=dossier).values_list(
            "criterion_key", "option_key"
        )
    ) == [("C.8.b", "C.8.b.2")]
    page = client.get(f"/dossiers/{dossier.pk}/self-assessment/").content.decode()
    assert 'value="C.8.b" checked' in page


def test_documents_page_saves_the_choice_and_shows_the_checklist(client, dossier, owner, library):
    client.force_login(owner)
    page = client.get(f"/dossiers/{dossier.pk}/documents/")
    assert [i.status for i in page.context["checklist"]][:5] == ["missing"] * 5

    response = client.post(
        f"/dossiers/{dossier.pk}/documents/", {"documents": [library["label"].pk]}
    )

    assert response.status_code == 302
    assert list(dossier.documents.all()) == [library["label"]]
    checklist = {i.kind: i.status for i in client.get(response.url).context["checklist"]}
    assert checklist["label"] == "ok"
    assert checklist["lab_test"] == "missing"
    assert checklist["business_plan"] == "missing"


def test_submit_from_the_page(client, ready_dossier, owner):
    client.force_login(owner)
    detail = client.get(f"/dossiers/{ready_dossier.pk}/")
    assert detail.context["actions"]["submit"] is True
    assert detail.context["problems"] == []

    response = client.post(f"/dossiers/{ready_dossier.pk}/submit/")

    assert response.status_code == 302
    assert Dossier.objects.get(pk=ready_dossier.pk).state == DossierState.SUBMITTED
    # Once submitted, the confirmation page sends back to the dossier.
    again = client.get(f"/dossiers/{ready_dossier.pk}/submit/")
    assert (again.status_code, again.url) == (302, f"/dossiers/{ready_dossier.pk}/")


def test_an_incomplete_dossier_shows_why_it_cannot_be_submitted(client, dossier, owner):
    client.force_login(owner)

    client.post(f"/dossiers/{dossier.pk}/submit/")
    response = client.get(f"/dossiers/{dossier.pk}/")

    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.DRAFT
    assert [str(m) for m in response.context["messages"]] == [
        "The dossier cannot be submitted yet."
    ]
    assert response.context["problems"][0].startswith(
        "32 criteria are not answered yet, among them: A.1.a "
    )


def test_withdraw_from_the_page(client, dossier, owner):
    client.force_login(owner)

    client.post(f"/dossiers/{dossier.pk}/withdraw/", {"reason": "Chưa kịp chuẩn bị"})

    dossier.refresh_from_db()
    assert dossier.state == DossierState.WITHDRAWN
    assert dossier.events.latest("pk").note == "Chưa kịp chuẩn bị"


def test_a_withdrawal_reason_past_its_limit_withdraws_nothing(client, dossier, owner):
    client.force_login(owner)

    response = client.post(
        f"/dossiers/{dossier.pk}/withdraw/", {"reason": "x" * (REASON_MAX_LENGTH + 1)}, follow=True
    )

    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT
    assert "1000" in response.content.decode()


def test_history_shows_the_events_and_the_diff(client, ready_dossier, owner, district_officer):
    dossier_submit(dossier=ready_dossier, actor=owner)
    dossier_return(
        dossier=ready_dossier, reasons=[("other", "", "Bổ sung ảnh")], actor=district_officer
    )
    SelfAssessmentAnswer.objects.filter(dossier=ready_dossier, criterion_key="A.1.a").update(
        option_key="A.1.a.1"
    )
    dossier_resubmit(dossier=ready_dossier, actor=owner)
    client.force_login(owner)

    response = client.get(f"/dossiers/{ready_dossier.pk}/history/")

    assert [e.action for e in response.context["events"]] == [
        "create",
        "submit",
        "return",
        "resubmit",
    ]
    diff = response.context["diff"]
    assert [(a.key, a.old_points, a.new_points) for a in diff.answers] == [("A.1.a", "5", "1")]
    body = response.content.decode()
    assert "Bổ sung ảnh" in body
    assert 'data-testid="diff-answer" data-key="A.1.a"' in body


@pytest.mark.parametrize(
    "path",
    [
        "/dossiers/{pk}/",
        "/dossiers/{pk}/self-assessment/",
        "/dossiers/{pk}/documents/",
        "/dossiers/{pk}/history/",
    ],
)
def test_another_producers_member_gets_404(client, dossier, units, path):
    _, stranger = producer_with_owner(commune=units["commune"], username="stranger")
    client.force_login(stranger)

    assert client.get(path.format(pk=dossier.pk)).status_code == 404


@pytest.mark.parametrize("action", ["submit", "withdraw", "self-assessment", "documents"])
def test_another_producers_member_cannot_act_by_url(client, dossier, units, action):
    _, stranger = producer_with_owner(commune=units["commune"], username="stranger")
    client.force_login(stranger)

    assert client.post(f"/dossiers/{dossier.pk}/{action}/", {}).status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.DRAFT


def test_officers_cannot_edit_the_producers_dossier(client, dossier, district_officer):
    client.force_login(district_officer)

    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 200
    assert client.get(f"/dossiers/{dossier.pk}/self-assessment/").status_code == 404
    assert client.post(f"/dossiers/{dossier.pk}/submit/").status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, dossier):
    response = client.get(f"/dossiers/{dossier.pk}/")

    assert response.status_code == 302
    assert response.url.startswith("/account/login/")


def test_a_returned_criterion_shows_the_working_groups_reason(
    client, ready_dossier, owner, district_officer
):
    dossier_submit(dossier=ready_dossier, actor=owner)
    dossier_return(
        dossier=ready_dossier,
        reasons=[("criterion", "B.4.a", "Chưa có hợp đồng phân phối")],
        actor=district_officer,
    )
    client.force_login(owner)

    body = client.get(f"/dossiers/{ready_dossier.pk}/self-assessment/").content.decode()
    detail = client.get(f"/dossiers/{ready_dossier.pk}/").content.decode()

    assert body.count('data-testid="returned-criterion"') == 1
    assert "Returned: Chưa có hợp đồng phân phối" in body
    assert "Criterion B.4.a a) Khu vực phân phối chính:" in detail


def test_history_names_changed_product_data(client, ready_dossier, owner, district_officer):
    dossier_submit(dossier=ready_dossier, actor=owner)
    dossier_return(
        dossier=ready_dossier, reasons=[("other", "", "Ghi rõ quy cách")], actor=district_officer
    )
    ready_dossier.product.packaging = "Hộp 5 kg"
    ready_dossier.product.save(update_fields=["packaging"])
    dossier_resubmit(dossier=ready_dossier, actor=owner)
    client.force_login(owner)

    diff = client.get(f"/dossiers/{ready_dossier.pk}/history/").context["diff"]

    assert [(c.name, c.old, c.new) for c in diff.product] == [("packaging", "", "Hộp 5 kg")]
