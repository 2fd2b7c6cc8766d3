"""Nothing lost between versions (issue 13): a new version of a document replaces the old one
in every draft or returned dossier that uses it, unless the producer keeps the old one on
purpose; submitting asks once and says what follows; resubmitting shows what changed since
the return; each submission gives a receipt with the dossier's code."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.intake.selectors import dossiers_using_document
from evaluations.intake.services.dossiers import (
    dossier_resubmit,
    dossier_return,
    dossier_submit,
)
from evaluations.models import SelfAssessmentAnswer
from ocop.core.models import AuditEntry
from products.models import EvidenceDocument
from products.services.documents import document_new_version, document_uses
from tests.evaluations.intake.conftest import complete
from tests.factories import product_for
from tests.products.files import PDF

pytestmark = pytest.mark.django_db


def upload(name="kiem-nghiem-2026.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def returned(dossier, owner, officer):
    dossier_submit(dossier=dossier, actor=owner)
    return dossier_return(
        dossier=dossier,
        reasons=[("document", "lab_test", "Phiếu kiểm nghiệm đã cũ")],
        actor=officer,
    )


def new_lab_test(library, owner, **kwargs):
    return document_new_version(
        document=library["lab_test"],
        actor=owner,
        upload=upload(),
        title="Phiếu kiểm nghiệm 2026",
        **kwargs,
    )


def test_a_new_version_replaces_the_old_in_a_returned_dossier_and_its_evidence(
    ready_dossier, owner, library, district_officer
):
    returned(ready_dossier, owner, district_officer)
    old = library["lab_test"]
    answer = SelfAssessmentAnswer.objects.filter(dossier=ready_dossier).first()
    answer.documents.add(old)

    new = new_lab_test(library, owner)

    documents = set(ready_dossier.documents.values_list("pk", flat=True))
    assert new.pk in documents and old.pk not in documents
    assert set(answer.documents.values_list("pk", flat=True)) == {new.pk}
    entry = AuditEntry.objects.get(action="dossier.replace_document")
    assert entry.data == {"old": old.pk, "new": new.pk}
    upload_entry = AuditEntry.objects.get(action="document.new_version")
    assert upload_entry.data["replaced_in"] == [f"dossier-{ready_dossier.pk}"]


def test_the_producer_may_keep_the_old_version_in_a_dossier(ready_dossier, owner, library):
    old = library["lab_test"]

    new = new_lab_test(library, owner, keep=[f"dossier-{ready_dossier.pk}"])

    documents = set(ready_dossier.documents.values_list("pk", flat=True))
    assert old.pk in documents and new.pk not in documents
    assert not AuditEntry.objects.filter(action="dossier.replace_document").exists()
    old.refresh_from_db()
    assert old.superseded_by == new


def test_a_submitted_dossier_keeps_what_it_was_sent_with(ready_dossier, owner, library):
    dossier_submit(dossier=ready_dossier, actor=owner)
    old = library["lab_test"]

    assert document_uses(old) == []
    new_lab_test(library, owner)

    assert old.pk in set(ready_dossier.documents.values_list("pk", flat=True))


def test_a_version_about_another_product_does_not_enter_this_dossier(
    ready_dossier, owner, library, cooperative, forms
):
    other = product_for(cooperative[0], number=2, name="Trứng gà")

    new_lab_test(library, owner, product=other)

    assert library["lab_test"].pk in set(ready_dossier.documents.values_list("pk", flat=True))


def test_the_new_version_page_lists_the_dossiers_and_keeps_a_ticked_one(
    client, ready_dossier, owner, library, district_officer
):
    returned(ready_dossier, owner, district_officer)
    client.force_login(owner)
    url = f"/producer/documents/{library['lab_test'].pk}/new-version/"

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {"title": "Phiếu kiểm nghiệm 2026", "file": upload(), "keep": []},
        follow=True,
    )

    assert 'data-testid="document-uses"' in page
    assert f"/dossiers/{ready_dossier.pk}/" in page
    assert ready_dossier.product.name in page
    messages = [str(m) for m in response.context["messages"]]
    assert any("replaces the old one in 1 draft or returned dossier" in m for m in messages)
    new = EvidenceDocument.objects.get(title="Phiếu kiểm nghiệm 2026")
    assert set(dossiers_using_document(new)) == {ready_dossier}


def test_a_refused_new_version_keeps_the_ticks_and_changes_nothing(
    client, ready_dossier, owner, library
):
    client.force_login(owner)
    url = f"/producer/documents/{library['lab_test'].pk}/new-version/"
    key = f"dossier-{ready_dossier.pk}"

    response = client.post(
        url, {"title": "", "file": upload(), "keep": [key]}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert f'value="{key}" id="keep-{key}" checked' in response.content.decode()
    assert EvidenceDocument.objects.filter(superseded_by__isnull=False).count() == 0
    assert library["lab_test"].pk in set(ready_dossier.documents.values_list("pk", flat=True))


# --- submitting: asked once, a receipt --------------------------------------------------


def test_submitting_asks_once_saying_what_follows_then_gives_a_receipt(
    client, ready_dossier, owner
):
    client.force_login(owner)
    url = f"/dossiers/{ready_dossier.pk}/submit/"

    confirm = client.get(url)
    ready_dossier.refresh_from_db()
    assert ready_dossier.state == "draft"  # a GET changes nothing
    done = client.post(url)
    receipt = client.get(done.url)

    page = confirm.content.decode()
    assert 'data-testid="what-follows"' in page
    assert str(ready_dossier.first_level_unit) in page
    assert 'data-testid="confirm-submit"' in page
    assert done.url == f"/dossiers/{ready_dossier.pk}/receipt/"
    ready_dossier.refresh_from_db()
    assert ready_dossier.state == "submitted"
    body = receipt.content.decode()
    assert ready_dossier.code in body
    assert ready_dossier.code == (
        f"HS-{ready_dossier.round.province.code}-{ready_dossier.round.year}-{ready_dossier.pk:06d}"
    )
    assert body.count('data-testid="receipt-document"') == ready_dossier.documents.count()


def test_a_dossier_not_ready_shows_its_problems_and_no_live_button(client, dossier, owner):
    client.force_login(owner)

    page = client.get(f"/dossiers/{dossier.pk}/submit/").content.decode()

    assert 'data-testid="problems"' in page
    assert 'data-testid="confirm-submit" disabled' in page


def test_resubmitting_shows_what_changed_since_the_return(
    client, ready_dossier, owner, library, district_officer
):
    returned(ready_dossier, owner, district_officer)
    client.force_login(owner)
    url = f"/dossiers/{ready_dossier.pk}/resubmit/"

    unchanged = client.get(url).content.decode()
    new = new_lab_test(library, owner)
    changed = client.get(url)
    client.post(url)

    assert 'data-testid="nothing-changed"' in unchanged
    diff = changed.context["changes"]
    assert [d["id"] for d in diff.documents_added] == [new.pk]
    assert [d["id"] for d in diff.documents_removed] == [library["lab_test"].pk]
    assert 'data-testid="return-reasons"' in changed.content.decode()
    sent = ready_dossier.versions.get(number=2).snapshot["documents"]
    assert new.pk in {d["id"] for d in sent}


def test_the_receipt_is_404_before_any_submission_and_to_strangers(
    client, dossier, ready_dossier, owner, other_district_officer
):
    client.force_login(owner)
    assert client.get(f"/dossiers/{dossier.pk}/receipt/").status_code == 404
    dossier_submit(dossier=ready_dossier, actor=owner)
    assert client.get(f"/dossiers/{ready_dossier.pk}/receipt/").status_code == 200
    client.force_login(other_district_officer)
    assert client.get(f"/dossiers/{ready_dossier.pk}/receipt/").status_code == 404


def test_resubmitting_a_draft_sends_back_to_the_dossier(client, dossier, owner, library):
    complete(dossier, owner, library)
    client.force_login(owner)

    response = client.get(f"/dossiers/{dossier.pk}/resubmit/")

    assert response.status_code == 302
    assert response.url == f"/dossiers/{dossier.pk}/"


def test_the_dossier_page_shows_the_timeline_of_its_states(
    client, ready_dossier, owner, library, district_officer
):
    returned(ready_dossier, owner, district_officer)
    dossier_resubmit(dossier=ready_dossier, actor=owner)
    client.force_login(owner)

    response = client.get(f"/dossiers/{ready_dossier.pk}/")

    steps = [e.to_state for e in response.context["timeline"]]
    assert steps == ["draft", "submitted", "returned", "resubmitted"]
    page = response.content.decode()
    assert page.count('data-testid="timeline-step"') == 4
    assert ready_dossier.code in page


def test_an_old_version_kept_on_purpose_survives_saving_the_dossiers_pages(
    client, ready_dossier, owner, library
):
    old = library["lab_test"]
    new_lab_test(library, owner, keep=[f"dossier-{ready_dossier.pk}"])
    client.force_login(owner)
    ids = sorted(ready_dossier.documents.values_list("pk", flat=True))

    page = client.get(f"/dossiers/{ready_dossier.pk}/documents/")
    client.post(f"/dossiers/{ready_dossier.pk}/documents/", {"documents": ids})

    assert f'value="{old.pk}"' in page.content.decode()
    assert old.pk in set(ready_dossier.documents.values_list("pk", flat=True))


def test_the_message_counts_only_the_dossiers_really_changed(
    client, ready_dossier, owner, library, cooperative, forms
):
    other = product_for(cooperative[0], number=2, name="Trứng gà")
    client.force_login(owner)

    response = client.post(
        f"/producer/documents/{library['lab_test'].pk}/new-version/",
        {"title": "Phiếu kiểm nghiệm trứng", "file": upload(), "product": other.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["The new version was added; the old one is kept."]
