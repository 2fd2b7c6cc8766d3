"""The OCOP office's pages: decisions (list, draft, detail, issue, the public signed scan)
and certificates (list, detail, revocation, inspections and their files), as the issuing
office, the province above it, other districts, the producers and strangers see them."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from evaluations.certificates.services import decision_create, inspection_record
from evaluations.enums import CertificateStatus, DecisionState
from evaluations.models import (
    Certificate,
    Decision,
    DecisionItem,
    Inspection,
    InspectionAttachment,
    Revocation,
)
from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from ocop.core.search import fold
from tests.evaluations.certificates.conftest import SCAN, issued, scan
from tests.factories import user_with_role

# `results` and what it is built from: built once for the module's tests that use it.
from tests.fixtures.results_world import *  # noqa: F403
from tests.xlsx import read_xlsx, rows_and_queries, speak

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"evaluations:{name}", args=args)


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.fixture
def other_district_officer(units):
    return user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="x")


@pytest.fixture
def owner(producers):
    """The owner of the first cooperative, whose product holds the first certificate."""
    return producers[0][1]


@pytest.fixture
def own_certificate(certificates, producers):
    """The certificate of the first cooperative's product (the owner's)."""
    return next(c for c in certificates if c.producer_id == producers[0][0].pk)


@pytest.fixture
def other_owner(producers):
    """The owner of the second cooperative: its product went on to the province."""
    return producers[1][1]


def png(name="anh.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def not_a_pdf(name="quyet-dinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"just text, whatever the name says", "application/pdf")


def decision_post(results, **overrides):
    data = {
        "number": "1521/QĐ-UBND",
        "date": timezone.localdate().isoformat(),
        "signer_name": "Bùi Văn Cường",
        "signer_title": "Phó Chủ tịch UBND huyện Tân Lạc",
        "results": [r.pk for r in results],
    }
    return data | overrides


def revoke_post(**overrides):
    data = {
        "reason": "quality_violation",
        "decision_number": "88/QĐ-UBND",
        "decision_date": timezone.localdate().isoformat(),
        "note": "Vi phạm an toàn thực phẩm.",
    }
    return data | overrides


def inspection_post(**overrides):
    data = {
        "date": timezone.localdate().isoformat(),
        "inspector": "Đoàn kiểm tra liên ngành huyện Tân Lạc",
        "findings": "Nhãn đúng, sản xuất đúng quy trình.",
        "outcome": "compliant",
    }
    return data | overrides


# --- the decision list ---------------------------------------------------------------------


def test_decision_list_shows_the_offices_decisions(client, district_decision, district_officer):
    client.force_login(district_officer)

    response = client.get(url("decision_list"))

    assert response.status_code == 200
    assert list(response.context["decisions"]) == [district_decision]
    assert response.context["decisions"][0].product_count == 2
    body = response.content.decode()
    assert "1520/QĐ-UBND" in body
    assert "Huyện Tân Lạc" in body
    assert "Draft" in body
    # Both district results are on the draft: nothing waits for a new one.
    assert response.context["waiting"] == 0
    assert 'data-testid="nothing-waiting"' in body


def test_decision_list_searches_by_number_product_or_producer(
    client, district_decision, district_officer
):
    client.force_login(district_officer)
    product = district_decision.items.first().result.dossier.product

    def found(q):
        return list(client.get(url("decision_list"), {"q": q}).context["decisions"])

    assert found("1520") == [district_decision]
    assert found(fold(product.name).upper()) == [district_decision]
    assert found(fold(product.producer.name)) == [district_decision]
    assert found("khong co quyet dinh nay") == []


def test_decision_list_offers_a_draft_when_results_wait(client, results, district_officer):
    client.force_login(district_officer)

    response = client.get(url("decision_list"))

    assert response.status_code == 200
    assert response.context["can_draft"] is True
    assert response.context["waiting"] == 2
    assert "Draft a decision" in response.content.decode()
    assert url("decision_create") in response.content.decode()


def test_province_officer_sees_the_districts_decisions_too(
    client, district_decision, province_certificates, province_officer
):
    client.force_login(province_officer)

    response = client.get(url("decision_list"))

    numbers = {d.number for d in response.context["decisions"]}
    assert numbers == {"1520/QĐ-UBND", "2365/QĐ-UBND"}


def test_decision_list_refuses_users_without_access(
    client, district_decision, owner, other_user, other_district_officer
):
    assert_login_redirect(client.get(url("decision_list")))
    for user in (owner, other_user):
        client.force_login(user)
        assert client.get(url("decision_list")).status_code == 404
    client.force_login(other_district_officer)
    response = client.get(url("decision_list"))
    assert response.status_code == 200
    assert list(response.context["decisions"]) == []


def draft(issuer, number, chosen, actor):
    """A draft decision of today on the `chosen` results."""
    return decision_create(
        issuer=issuer,
        number=number,
        date=timezone.localdate(),
        signer_name="A",
        signer_title="B",
        results=chosen,
        actor=actor,
    )


def test_decision_list_query_count_does_not_grow(
    client, results, units, district_officer, province_officer
):
    draft(units["district"], "1/QĐ-UBND", results["district"][:1], district_officer)
    client.force_login(province_officer)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url("decision_list"))
    assert len(response.context["decisions"]) == 1

    draft(units["district"], "2/QĐ-UBND", results["district"][1:], district_officer)
    draft(units["province"], "3/QĐ-UBND", results["province"], province_officer)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url("decision_list"))
    assert len(response.context["decisions"]) == 3

    assert len(three) == len(one)


# --- drafting ------------------------------------------------------------------------------


def test_draft_page_lists_the_results_this_level_recognises(client, results, district_officer):
    client.force_login(district_officer)

    response = client.get(url("decision_create"))

    assert response.status_code == 200
    # By product name.
    assert response.context["choices"] == [results["district"][1], results["district"][0]]
    body = response.content.decode()
    assert "Gạo nếp cẩm" in body
    assert "Chè shan tuyết" in body
    # The 4★ product is the province's to recognise.
    assert "Mật ong bạc hà" not in body


def test_drafting_a_decision_saves_it_and_goes_to_its_page(client, results, district_officer):
    client.force_login(district_officer)

    response = client.post(url("decision_create"), decision_post(results["district"]))

    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response.url == url("decision_detail", decision.pk)
    assert (decision.number, decision.state, decision.level) == (
        "1521/QĐ-UBND",
        DecisionState.DRAFT,
        "district",
    )
    assert {i.result for i in decision.items.all()} == set(results["district"])
    assert AuditEntry.objects.latest("seq").action == "decision.create"


def test_drafting_with_bad_input_keeps_the_input_and_saves_nothing(
    client, results, district_officer
):
    client.force_login(district_officer)

    response = client.post(
        url("decision_create"),
        decision_post([], number="", date="31/02/2026"),
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"number", "date", "results"}
    assert form.errors["results"] == ["Choose at least one product to recognise."]
    body = response.content.decode()
    assert 'value="Bùi Văn Cường"' in body
    assert 'value="31/02/2026"' in body
    assert Decision.objects.count() == 0
    assert DecisionItem.objects.count() == 0


def test_drafting_keeps_the_chosen_products_when_the_service_refuses(
    client, results, units, district_officer
):
    """The number is taken (the service's check): the message lands on the field, the
    ticked boxes stay ticked."""
    client.force_login(district_officer)
    decision_create(
        issuer=units["district"],
        number="1521/QĐ-UBND",
        date=timezone.localdate(),
        signer_name="A",
        signer_title="B",
        results=results["district"][:1],
        actor=district_officer,
    )
    before = Decision.objects.count()

    response = client.post(url("decision_create"), decision_post(results["district"][1:]))

    assert response.status_code == 400
    assert "already has a decision 1521/QĐ-UBND" in response.context["form"].errors["number"][0]
    assert response.context["selected"] == {results["district"][1].pk}
    assert f'value="{results["district"][1].pk}" checked' in response.content.decode()
    assert Decision.objects.count() == before


def test_drafting_refuses_another_levels_results(client, results, district_officer):
    client.force_login(district_officer)

    response = client.post(url("decision_create"), decision_post(results["province"]))

    assert response.status_code == 400
    assert response.context["form"].errors["results"]
    assert Decision.objects.count() == 0


def test_another_district_cannot_put_tan_lacs_results_on_its_decision(
    client, results, other_district_officer
):
    client.force_login(other_district_officer)

    page = client.get(url("decision_create"))
    response = client.post(url("decision_create"), decision_post(results["district"]))

    assert page.status_code == 200
    assert page.context["choices"] == []
    assert response.status_code == 400
    assert Decision.objects.count() == 0


def test_draft_page_refuses_users_without_access(client, results, owner, other_user):
    assert_login_redirect(client.get(url("decision_create")))
    assert_login_redirect(client.post(url("decision_create"), decision_post(results["district"])))
    for user in (owner, other_user):
        client.force_login(user)
        assert client.get(url("decision_create")).status_code == 404
        assert (
            client.post(url("decision_create"), decision_post(results["district"])).status_code
            == 404
        )
    assert Decision.objects.count() == 0


# --- a decision's page and issuing it --------------------------------------------------------


def test_draft_decision_page_shows_its_products_and_the_issue_form(
    client, district_decision, district_officer
):
    client.force_login(district_officer)

    response = client.get(url("decision_detail", district_decision.pk))

    assert response.status_code == 200
    assert [i.result.dossier.product.name for i in response.context["items"]] == [
        "Chè shan tuyết",
        "Gạo nếp cẩm",
    ]
    body = response.content.decode()
    assert "Bùi Văn Cường" in body
    assert "★★★" in body
    assert 'data-testid="issue-form"' in body
    assert url("decision_scan", district_decision.pk) not in body


def test_the_province_sees_a_districts_draft_but_cannot_issue_it(
    client, district_decision, province_officer
):
    client.force_login(province_officer)

    page = client.get(url("decision_detail", district_decision.pk))
    response = client.post(url("decision_issue", district_decision.pk), {"signed_scan": scan()})

    assert page.status_code == 200
    assert page.context["issue_form"] is None
    assert response.status_code == 404
    district_decision.refresh_from_db()
    assert district_decision.state == DecisionState.DRAFT
    assert Certificate.objects.count() == 0


def test_decision_page_refuses_users_without_access(
    client, district_decision, owner, other_user, other_district_officer
):
    assert_login_redirect(client.get(url("decision_detail", district_decision.pk)))
    for user in (owner, other_user, other_district_officer):
        client.force_login(user)
        assert client.get(url("decision_detail", district_decision.pk)).status_code == 404
        assert client.get(url("decision_detail", 999999)).status_code == 404


def test_draft_to_issue_through_the_pages_creates_the_certificates(
    client, results, district_officer
):
    client.force_login(district_officer)
    created = client.post(url("decision_create"), decision_post(results["district"]))
    decision = Decision.objects.get()
    assert created.url == url("decision_detail", decision.pk)

    response = client.post(url("decision_issue", decision.pk), {"signed_scan": scan()}, follow=True)

    year = timezone.localdate().year
    numbers = [f"OCOP-17-{year}-0001", f"OCOP-17-{year}-0002"]
    assert response.redirect_chain == [(url("decision_detail", decision.pk), 302)]
    decision.refresh_from_db()
    assert decision.state == DecisionState.ISSUED
    assert sorted(Certificate.objects.values_list("number", flat=True)) == numbers
    shown = [str(m) for m in response.context["messages"]]
    assert f"Decision 1521/QĐ-UBND is issued. Certificates: {numbers[0]}, {numbers[1]}." in shown
    assert [c.number for c in response.context["certificates"]] == numbers
    assert response.context["issue_form"] is None
    body = response.content.decode()
    for number in numbers:
        assert url("certificate_detail", number) in body
    assert url("decision_scan", decision.pk) in body
    assert url("decision_certificates_batch", decision.pk) in body
    assert 'data-status="valid"' in body


def test_issuing_without_a_pdf_keeps_the_draft(client, district_decision, district_officer):
    client.force_login(district_officer)

    missing = client.post(url("decision_issue", district_decision.pk), {})
    wrong = client.post(url("decision_issue", district_decision.pk), {"signed_scan": not_a_pdf()})

    assert missing.status_code == 400
    assert missing.context["issue_form"].errors["signed_scan"] == [
        "Upload the signed decision as a PDF."
    ]
    assert wrong.status_code == 400
    assert "not one of the accepted types" in wrong.context["issue_form"].errors["signed_scan"][0]
    assert 'data-testid="issue-form"' in wrong.content.decode()
    district_decision.refresh_from_db()
    assert district_decision.state == DecisionState.DRAFT
    assert not district_decision.signed_scan
    assert Certificate.objects.count() == 0


def test_issuing_twice_is_refused(client, certificates, district_decision, district_officer):
    client.force_login(district_officer)

    response = client.post(url("decision_issue", district_decision.pk), {"signed_scan": scan()})

    assert response.status_code == 400
    assert response.context["issue_form"].non_field_errors() == [
        "This decision is already issued: it cannot change."
    ]
    assert "This decision is already issued: it cannot change." in response.content.decode()
    assert Certificate.objects.count() == 2


def test_issue_refuses_users_without_access(
    client, district_decision, owner, other_user, other_district_officer
):
    assert_login_redirect(
        client.post(url("decision_issue", district_decision.pk), {"signed_scan": scan()})
    )
    for user in (owner, other_user, other_district_officer):
        client.force_login(user)
        response = client.post(url("decision_issue", district_decision.pk), {"signed_scan": scan()})
        assert response.status_code == 404
    assert Certificate.objects.count() == 0


def test_issue_is_post_only(client, district_decision, district_officer):
    client.force_login(district_officer)

    assert client.get(url("decision_issue", district_decision.pk)).status_code == 405


# --- the signed scan -----------------------------------------------------------------------


def test_an_issued_decisions_scan_is_public(client, certificates, district_decision):
    response = client.get(url("decision_scan", district_decision.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == SCAN


def test_a_drafts_scan_does_not_exist(client, district_decision, district_officer):
    assert client.get(url("decision_scan", district_decision.pk)).status_code == 404
    client.force_login(district_officer)
    assert client.get(url("decision_scan", district_decision.pk)).status_code == 404
    assert client.get(url("decision_scan", 999999)).status_code == 404


# --- the certificate list ------------------------------------------------------------------


def test_certificate_list_shows_the_offices_certificates(client, certificates, district_officer):
    client.force_login(district_officer)

    response = client.get(url("certificate_list"))

    assert response.status_code == 200
    assert {c.number for c in response.context["certificates"]} == {c.number for c in certificates}
    body = response.content.decode()
    for certificate in certificates:
        assert url("certificate_detail", certificate.number) in body
    assert "HTX Số 1" in body
    assert "★★★" in body
    assert 'data-status="valid"' in body
    assert "Valid" in body


def test_certificate_list_filters_by_current_status(
    client, certificates, district_officer, province_officer
):
    client.force_login(district_officer)
    client.post(url("certificate_revoke", certificates[0].number), revoke_post())

    revoked = client.get(url("certificate_list"), {"status": "revoked"})
    valid = client.get(url("certificate_list"), {"status": "valid"})
    expiring = client.get(url("certificate_list"), {"status": "expiring"})
    nonsense = client.get(url("certificate_list"), {"status": "nonsense"})

    assert [c.number for c in revoked.context["certificates"]] == [certificates[0].number]
    assert [c.number for c in valid.context["certificates"]] == [certificates[1].number]
    assert list(expiring.context["certificates"]) == []
    assert "No certificate matches these filters." in expiring.content.decode()
    assert len(nonsense.context["certificates"]) == 2
    assert 'value="revoked" selected' in revoked.content.decode()


def test_expiring_is_computed_by_date(client, certificates, district_officer):
    soon = timezone.localdate() + datetime.timedelta(days=30)
    Certificate.objects.filter(pk=certificates[0].pk).update(valid_until=soon)
    client.force_login(district_officer)

    response = client.get(url("certificate_list"), {"status": "expiring"})

    assert [c.number for c in response.context["certificates"]] == [certificates[0].number]
    assert 'data-status="expiring"' in response.content.decode()


def test_a_producer_lists_its_own_certificates(client, certificates, owner, other_owner):
    client.force_login(owner)

    response = client.get(url("certificate_list"))

    assert response.status_code == 200
    assert [c.product.producer.name for c in response.context["certificates"]] == ["HTX Số 1"]
    client.force_login(other_owner)
    assert list(client.get(url("certificate_list")).context["certificates"]) == []


def test_certificate_list_refuses_users_without_access(client, certificates, other_user):
    assert_login_redirect(client.get(url("certificate_list")))
    client.force_login(other_user)
    assert client.get(url("certificate_list")).status_code == 404


def test_another_districts_officer_lists_none_of_tan_lacs(
    client, certificates, other_district_officer
):
    client.force_login(other_district_officer)

    response = client.get(url("certificate_list"))

    assert response.status_code == 200
    assert list(response.context["certificates"]) == []


def test_certificate_list_query_count_does_not_grow(
    client, results, units, district_officer, province_officer
):
    issued(units["district"], "1/QĐ-UBND", results["district"][:1], district_officer)
    client.force_login(province_officer)
    with CaptureQueriesContext(connection) as one:
        response = client.get(url("certificate_list"))
    assert len(response.context["certificates"]) == 1

    issued(units["district"], "2/QĐ-UBND", results["district"][1:], district_officer)
    issued(units["province"], "3/QĐ-UBND", results["province"], province_officer)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url("certificate_list"))
    assert len(response.context["certificates"]) == 3

    assert len(three) == len(one)


# --- a certificate's page ------------------------------------------------------------------


def test_certificate_page_for_the_issuing_office(client, certificates, district_officer):
    certificate = certificates[0]
    client.force_login(district_officer)

    response = client.get(url("certificate_detail", certificate.number))

    assert response.status_code == 200
    assert response.context["certificate"] == certificate
    body = response.content.decode()
    assert url("certificate_pdf", certificate.number) in body
    assert url("verify", certificate.number) in body
    assert f'href="{url("decision_detail", certificate.decision_id)}"' in body
    assert 'data-status="valid"' in body
    assert 'data-testid="revoke-form"' in body
    assert 'data-testid="inspection-form"' in body
    assert "No inspection recorded." in body


def test_the_producer_sees_its_certificate_read_only(client, own_certificate, owner):
    certificate = own_certificate
    client.force_login(owner)

    response = client.get(url("certificate_detail", certificate.number))

    assert response.status_code == 200
    body = response.content.decode()
    assert certificate.number in body
    assert url("certificate_pdf", certificate.number) in body
    assert response.context["revoke_form"] is None
    assert response.context["inspection_form"] is None
    assert 'data-testid="revoke-form"' not in body
    assert 'data-testid="inspection-form"' not in body
    # The office's decision page is not theirs; the public signed scan is.
    assert f'href="{url("decision_detail", certificate.decision_id)}"' not in body
    assert f'href="{url("decision_scan", certificate.decision_id)}"' in body


def test_certificate_page_refuses_users_without_access(
    client, certificates, other_owner, other_user, other_district_officer
):
    number = certificates[0].number
    assert_login_redirect(client.get(url("certificate_detail", number)))
    for user in (other_owner, other_user, other_district_officer):
        client.force_login(user)
        assert client.get(url("certificate_detail", number)).status_code == 404
    client.force_login(other_user)
    assert client.get(url("certificate_detail", "OCOP-00-0000-0000")).status_code == 404


# --- revocation ----------------------------------------------------------------------------


def test_revoking_through_the_page_changes_the_status_and_audits(
    client, certificates, district_officer
):
    certificate = certificates[0]
    client.force_login(district_officer)

    response = client.post(
        url("certificate_revoke", certificate.number), revoke_post(), follow=True
    )

    assert response.redirect_chain == [(url("certificate_detail", certificate.number), 302)]
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    revocation = Revocation.objects.get()
    assert (revocation.certificate, revocation.decision_number, revocation.reason) == (
        certificate,
        "88/QĐ-UBND",
        "quality_violation",
    )
    entry = AuditEntry.objects.latest("seq")
    assert entry.action == "certificate.revoke"
    assert entry.data == {"reason": "quality_violation", "decision": "88/QĐ-UBND"}
    certificate.product.refresh_from_db()
    assert certificate.product.certificate_number == ""
    body = response.content.decode()
    assert 'data-testid="revocation"' in body
    assert "Quality or food-safety violation" in body
    assert 'data-status="revoked"' in body
    # Revoked once, nothing more to revoke.
    assert response.context["revoke_form"] is None


def test_revoking_with_bad_input_keeps_the_input_and_saves_nothing(
    client, certificates, district_officer
):
    certificate = certificates[0]
    client.force_login(district_officer)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()

    empty = client.post(
        url("certificate_revoke", certificate.number),
        revoke_post(reason="", decision_number=""),
    )
    later = client.post(
        url("certificate_revoke", certificate.number), revoke_post(decision_date=future)
    )

    assert empty.status_code == 400
    assert set(empty.context["revoke_form"].errors) == {"reason", "decision_number"}
    assert "Vi phạm an toàn thực phẩm." in empty.content.decode()
    assert later.status_code == 400
    assert later.context["revoke_form"].errors["decision_date"] == [
        "The decision's date cannot be in the future."
    ]
    assert 'value="88/QĐ-UBND"' in later.content.decode()
    assert Revocation.objects.count() == 0
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_revoke_refuses_users_without_access(
    client, certificates, owner, other_owner, other_user, other_district_officer
):
    number = certificates[0].number
    assert_login_redirect(client.post(url("certificate_revoke", number), revoke_post()))
    for user in (owner, other_owner, other_user, other_district_officer):
        client.force_login(user)
        assert client.post(url("certificate_revoke", number), revoke_post()).status_code == 404
    assert Revocation.objects.count() == 0


def test_the_province_may_revoke_a_districts_certificate(client, certificates, province_officer):
    client.force_login(province_officer)

    response = client.post(url("certificate_revoke", certificates[1].number), revoke_post())

    assert response.status_code == 302
    assert Revocation.objects.get().certificate == certificates[1]


# --- inspections ---------------------------------------------------------------------------


def test_recording_an_inspection_with_files(client, own_certificate, district_officer, owner):
    certificate = own_certificate
    client.force_login(district_officer)

    response = client.post(
        url("inspection_create", certificate.number),
        inspection_post(attachments=[scan("bien-ban.pdf"), png("nhan.png")]),
        follow=True,
    )

    assert response.redirect_chain == [(url("certificate_detail", certificate.number), 302)]
    inspection = Inspection.objects.get()
    assert (inspection.certificate, inspection.outcome) == (certificate, "compliant")
    names = sorted(inspection.attachments.values_list("original_name", flat=True))
    assert names == ["bien-ban.pdf", "nhan.png"]
    assert AuditEntry.objects.latest("seq").action == "certificate.inspect"
    body = response.content.decode()
    assert "Đoàn kiểm tra liên ngành huyện Tân Lạc" in body
    pdf = inspection.attachments.get(original_name="bien-ban.pdf")
    file_url = url("inspection_file", certificate.number, inspection.pk, pdf.pk)
    assert file_url in body

    # The producer sees the inspection and opens its files.
    client.force_login(owner)
    page = client.get(url("certificate_detail", certificate.number))
    download = client.get(file_url)
    assert file_url in page.content.decode()
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == SCAN


def test_an_inspection_without_files(client, certificates, district_officer):
    client.force_login(district_officer)

    response = client.post(
        url("inspection_create", certificates[0].number), inspection_post(outcome="warning")
    )

    assert response.status_code == 302
    assert Inspection.objects.get().attachments.count() == 0


def test_recording_an_inspection_with_bad_input_keeps_the_input_and_saves_nothing(
    client, certificates, district_officer
):
    number = certificates[0].number
    client.force_login(district_officer)

    missing = client.post(
        url("inspection_create", number), inspection_post(findings="", outcome="")
    )
    bad_file = client.post(
        url("inspection_create", number),
        inspection_post(attachments=[scan("bien-ban.pdf"), not_a_pdf("anh.pdf")]),
    )

    assert missing.status_code == 400
    assert set(missing.context["inspection_form"].errors) == {"findings", "outcome"}
    assert "Đoàn kiểm tra liên ngành huyện Tân Lạc" in missing.content.decode()
    assert bad_file.status_code == 400
    assert (
        "not one of the accepted types"
        in (bad_file.context["inspection_form"].errors["attachments"][0])
    )
    assert "Nhãn đúng, sản xuất đúng quy trình." in bad_file.content.decode()
    assert Inspection.objects.count() == 0
    assert InspectionAttachment.objects.count() == 0


def test_inspection_refuses_users_without_access(
    client, certificates, owner, other_owner, other_user, other_district_officer
):
    number = certificates[0].number
    assert_login_redirect(client.post(url("inspection_create", number), inspection_post()))
    for user in (owner, other_owner, other_user, other_district_officer):
        client.force_login(user)
        assert client.post(url("inspection_create", number), inspection_post()).status_code == 404
    assert Inspection.objects.count() == 0


def test_inspection_files_refuse_users_without_access(
    client, certificates, district_officer, other_owner, other_user, other_district_officer
):
    certificate = certificates[0]
    inspection = inspection_record(
        certificate=certificate,
        date=timezone.localdate(),
        inspector="Đoàn kiểm tra",
        findings="Đạt.",
        outcome="compliant",
        attachments=[scan("bien-ban.pdf")],
        actor=district_officer,
    )
    attachment = inspection.attachments.get()
    file_url = url("inspection_file", certificate.number, inspection.pk, attachment.pk)

    assert_login_redirect(client.get(file_url))
    for user in (other_owner, other_user, other_district_officer):
        client.force_login(user)
        assert client.get(file_url).status_code == 404
    client.force_login(district_officer)
    assert client.get(file_url).status_code == 200
    # The attachment under another certificate's number is not found.
    other = url("inspection_file", certificates[1].number, inspection.pk, attachment.pk)
    assert client.get(other).status_code == 404


# --- the Excel downloads of both lists -----------------------------------------------------


def at_midnight(day):
    return datetime.datetime.combine(day, datetime.time())


def test_the_decision_list_downloads_in_excel(
    client, district_decision, province_certificates, province_officer, monkeypatch
):
    from evaluations.certificates.views.decisions import DecisionListView

    monkeypatch.setattr(DecisionListView, "paginate_by", 1)  # every row, not one page
    client.force_login(province_officer)
    speak(client, "vi")

    every = read_xlsx(client.get(url("decision_list"), {"format": "xlsx"}))
    found = read_xlsx(client.get(url("decision_list"), {"format": "xlsx", "q": "1520"}))

    assert every.title == "Quyết định công nhận"
    assert every.headers == ["Số", "Ngày", "Cơ quan ban hành", "Cấp", "Trạng thái", "Sản phẩm"]
    assert sorted(every.column("Số")) == ["1520/QĐ-UBND", "2365/QĐ-UBND"]
    assert every.lines == [f"Ngày xuất: {timezone.localdate():%d/%m/%Y}"]
    assert found.lines[1:] == ["Số GCN, sản phẩm hoặc chủ thể: 1520"]
    with translation.override("vi"):
        issuer, level = district_decision.issuer_label, district_decision.get_level_display()
    assert found.rows == [
        ("1520/QĐ-UBND", at_midnight(district_decision.date), issuer, level, "Dự thảo", 2)
    ]
    assert [c.data_type for c in found.cells("Sản phẩm")] == ["n"]
    assert [c.is_date for c in found.cells("Ngày")] == [True]


def test_another_districts_officer_downloads_none_of_the_decisions(
    client, district_decision, other_district_officer
):
    client.force_login(other_district_officer)

    download = read_xlsx(client.get(url("decision_list"), {"format": "xlsx"}))

    assert download.rows == []


def test_the_decision_download_is_refused_like_the_list(
    client, district_decision, owner, other_user
):
    assert_login_redirect(client.get(url("decision_list"), {"format": "xlsx"}))
    for user in (owner, other_user):
        client.force_login(user)
        assert client.get(url("decision_list"), {"format": "xlsx"}).status_code == 404


def test_the_decision_download_query_count_does_not_grow(
    client, results, units, district_officer, province_officer
):
    draft(units["district"], "1/QĐ-UBND", results["district"][:1], district_officer)
    client.force_login(province_officer)
    one = rows_and_queries(client, url("decision_list"), {})
    draft(units["district"], "2/QĐ-UBND", results["district"][1:], district_officer)
    draft(units["province"], "3/QĐ-UBND", results["province"], province_officer)
    three = rows_and_queries(client, url("decision_list"), {})

    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1]


def test_the_certificate_list_downloads_in_excel(
    client, certificates, district_officer, monkeypatch
):
    from evaluations.certificates.views.decisions import CertificateListView

    client.force_login(district_officer)
    client.post(url("certificate_revoke", certificates[0].number), revoke_post())
    monkeypatch.setattr(CertificateListView, "paginate_by", 1)  # every row, not one page
    speak(client, "vi")

    every = read_xlsx(client.get(url("certificate_list"), {"format": "xlsx"}))
    valid = read_xlsx(client.get(url("certificate_list"), {"format": "xlsx", "status": "valid"}))

    assert every.title == "Giấy chứng nhận OCOP"
    assert every.headers == [
        "Số giấy chứng nhận",
        "Sản phẩm",
        "Bộ sản phẩm",
        "Chủ thể",
        "Hạng sao",
        "Điểm",
        "Ngày cấp",
        "Có hiệu lực đến",
        "Quyết định",
        "Trạng thái",
    ]
    assert sorted(every.column("Số giấy chứng nhận")) == sorted(c.number for c in certificates)
    assert every.lines[1:] == ["Trạng thái: Tất cả trạng thái"]
    assert valid.lines[1:] == ["Trạng thái: Còn hiệu lực"]
    kept = certificates[1]
    assert valid.rows == [
        (
            kept.number,
            kept.product_name,
            str(kept.product_set),
            kept.producer_name,
            3,
            float(kept.score),
            at_midnight(kept.issued_on),
            at_midnight(kept.valid_until),
            "1520/QĐ-UBND",
            "Còn hiệu lực",
        )
    ]
    [score] = valid.cells("Điểm")
    assert (score.data_type, score.number_format) == ("n", "0.00")
    assert [c.is_date for c in valid.cells("Ngày cấp")] == [True]
    assert set(every.column("Trạng thái")) == {"Còn hiệu lực", "Đã bị thu hồi"}


def test_a_producer_downloads_its_own_certificates_only(client, certificates, owner):
    client.force_login(owner)

    download = read_xlsx(client.get(url("certificate_list"), {"format": "xlsx"}))

    assert download.column("Producer") == ["HTX Số 1"]


def test_another_districts_officer_downloads_none_of_the_certificates(
    client, certificates, other_district_officer
):
    client.force_login(other_district_officer)

    download = read_xlsx(client.get(url("certificate_list"), {"format": "xlsx"}))

    assert download.rows == []


def test_the_certificate_download_is_refused_like_the_list(client, certificates, other_user):
    assert_login_redirect(client.get(url("certificate_list"), {"format": "xlsx"}))
    client.force_login(other_user)
    assert client.get(url("certificate_list"), {"format": "xlsx"}).status_code == 404


def test_both_lists_link_their_excel_download_with_their_filters(
    client, certificates, district_officer
):
    client.force_login(district_officer)

    certificates_page = client.get(url("certificate_list"), {"status": "valid"}).content.decode()
    decisions_page = client.get(url("decision_list"), {"q": "1520"}).content.decode()

    link = 'href="?{}&amp;format=xlsx" data-testid="excel-download"'
    assert link.format("status=valid") in certificates_page
    assert link.format("q=1520") in decisions_page


def test_the_certificate_download_query_count_does_not_grow(
    client, results, units, district_officer, province_officer
):
    issued(units["district"], "1/QĐ-UBND", results["district"][:1], district_officer)
    client.force_login(province_officer)
    one = rows_and_queries(client, url("certificate_list"), {})
    issued(units["district"], "2/QĐ-UBND", results["district"][1:], district_officer)
    issued(units["province"], "3/QĐ-UBND", results["province"], province_officer)
    three = rows_and_queries(client, url("certificate_list"), {})

    assert (one[0], three[0]) == (1, 3)
    assert one[1] == three[1]
