"""Certificates as PDFs: the Vietnamese document, its QR code read back from the rendered page,
the marks of a certificate that no longer stands, and who may download them."""

import datetime
import io
import sys
import unicodedata

import pypdfium2
import pytest
import zxingcpp
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from evaluations.certificates.pdf import certificate_pdf, decision_certificates_pdf
from evaluations.certificates.services import certificate_revoke
from evaluations.certificates.tasks import BATCH_TASK_PATH
from evaluations.councils.minutes import points_vi
from evaluations.enums import CertificateStatus
from evaluations.models import Certificate
from ocop.core.enums import Role
from tests.factories import user_with_role

# `results` and what it is built from: built once for the module's tests that use it.
from tests.fixtures.results_world import *  # noqa: F403

pytestmark = pytest.mark.django_db

SITE = "https://ocop.hoabinh.gov.vn/"


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, NFC-normalised, whitespace runs collapsed to one space."""
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return [normalise(page.extract_text() or "") for page in reader.pages]


def pdf_text(data: bytes) -> str:
    return " ".join(pdf_pages(data))


def qr_codes(data: bytes) -> list[list[zxingcpp.Barcode]]:
    """The QR codes found on each page, rendered at 216 dpi as a printer would."""
    document = pypdfium2.PdfDocument(data)
    try:
        found = []
        for index in range(len(document)):
            image = document[index].render(scale=3).to_pil()
            found.append(zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))
        return found
    finally:
        document.close()


def verification_url(certificate) -> str:
    return SITE.rstrip("/") + reverse("evaluations:verify", args=[certificate.number])


def dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


# --- the document -------------------------------------------------------------------------


def test_the_certificate_is_the_vietnamese_document(certificates, district_decision):
    certificate = certificates[0]
    product = certificate.product

    text = pdf_text(certificate_pdf(certificate))

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ỦY BAN NHÂN DÂN HUYỆN TÂN LẠC" in text
    assert "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP" in text
    # Decisions list products by name: Chè shan tuyết of HTX Số 3 comes first.
    assert (product.name, certificate.producer.name) == ("Chè shan tuyết", "HTX Số 3")
    assert product.name in text
    assert str(product.product_set) in text
    assert "HTX Số 3" in text
    assert "Thị trấn Mãn Đức, Huyện Tân Lạc, Tỉnh Hoà Bình" in text
    assert certificate.stars == 3
    assert "★★★ 3 SAO" in text
    assert "★★★★" not in text
    assert f"{points_vi(certificate.score)} điểm" in text
    assert (
        f"Theo Quyết định số 1520/QĐ-UBND ngày {dmy(district_decision.date)} "
        "của Ủy ban nhân dân huyện Tân Lạc" in text
    )
    assert f"Số: {certificate.number}" in text
    assert f"Có giá trị đến ngày {dmy(certificate.valid_until)}" in text
    assert "PHÓ CHỦ TỊCH UBND HUYỆN TÂN LẠC" in text
    assert "Bùi Văn Cường" in text
    # The address the QR code holds is printed under it; a valid certificate has no mark.
    assert reverse("evaluations:verify", args=[certificate.number]) in text
    for mark in ("ĐÃ THU HỒI", "ĐÃ ĐƯỢC THAY THẾ", "HẾT HIỆU LỰC"):
        assert mark not in text


def test_the_certificate_is_one_a4_landscape_page(certificates):
    reader = PdfReader(io.BytesIO(certificate_pdf(certificates[0])))
    (page,) = reader.pages
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    # A4 is 297 × 210 mm, i.e. 841.9 × 595.3 points.
    assert round(width) == 842 and round(height) == 595


def test_the_certificate_is_vietnamese_whatever_the_readers_language(certificates):
    # The autouse fixture runs the tests in English.
    text = pdf_text(certificate_pdf(certificates[0]))
    assert "Certificate" not in text and "Valid" not in text


@override_settings(OCOP_SITE_URL=SITE)
def test_the_qr_code_scans_to_the_absolute_verification_url(certificates):
    certificate = certificates[0]

    (codes,) = qr_codes(certificate_pdf(certificate))

    (code,) = codes
    assert code.valid
    assert code.text == verification_url(certificate)
    assert code.text.startswith("https://ocop.hoabinh.gov.vn/")
    assert code.ec_level == "M"
    assert verification_url(certificate) in pdf_text(certificate_pdf(certificate))


@override_settings(OCOP_SITE_URL=SITE)
def test_the_decisions_pdf_has_a_page_per_certificate_each_with_its_own_qr_code(
    certificates, district_decision
):
    data = decision_certificates_pdf(district_decision)

    pages = pdf_pages(data)
    assert len(pages) == len(certificates) == 2
    for page, certificate in zip(pages, certificates, strict=True):
        assert f"Số: {certificate.number}" in page
        assert certificate.product.name in page
        assert "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP" in page
    other = certificates[1].product.name
    assert other not in pages[0]
    decoded = [[code.text for code in codes] for codes in qr_codes(data)]
    assert decoded == [[verification_url(c)] for c in certificates]


# --- a certificate that no longer stands --------------------------------------------------


def test_a_revoked_certificate_is_marked(certificates, district_officer):
    certificate = certificates[0]
    assert "ĐÃ THU HỒI" not in pdf_text(certificate_pdf(certificate))

    certificate_revoke(
        certificate=certificate,
        reason="quality_violation",
        decision_number="77/QĐ-UBND",
        decision_date=timezone.localdate(),
        actor=district_officer,
    )

    text = pdf_text(certificate_pdf(certificate))
    assert "ĐÃ THU HỒI" in text
    assert (
        f"Giấy chứng nhận này đã bị thu hồi theo Quyết định số 77/QĐ-UBND "
        f"ngày {dmy(timezone.localdate())}" in text
    )
    # The other certificate of the decision is untouched.
    pages = pdf_pages(decision_certificates_pdf(certificates[0].decision))
    assert "ĐÃ THU HỒI" in pages[0]
    assert "ĐÃ THU HỒI" not in pages[1]


def test_a_certificate_past_its_date_reads_expired(certificates):
    certificate = certificates[0]

    text = pdf_text(
        certificate_pdf(certificate, today=certificate.valid_until + datetime.timedelta(days=1))
    )

    assert "HẾT HIỆU LỰC" in text
    assert f"đã hết hiệu lực (có giá trị đến ngày {dmy(certificate.valid_until)})" in text
    assert "ĐÃ THU HỒI" not in text
    # On its last day it still stands.
    last_day = pdf_text(certificate_pdf(certificate, today=certificate.valid_until))
    assert "HẾT HIỆU LỰC" not in last_day


def test_a_superseded_certificate_is_marked(certificates):
    old, new = certificates
    Certificate.objects.filter(pk=old.pk).update(
        status=CertificateStatus.SUPERSEDED, superseded_by=new
    )

    text = pdf_text(certificate_pdf(old))

    assert "ĐÃ ĐƯỢC THAY THẾ" in text
    assert f"thay thế bằng Giấy chứng nhận số {new.number}" in text


@override_settings(OCOP_SITE_URL=SITE)
def test_a_marked_certificate_still_scans(certificates, district_officer):
    certificate = certificates[0]
    certificate_revoke(
        certificate=certificate,
        reason="quality_violation",
        decision_number="77/QĐ-UBND",
        decision_date=timezone.localdate(),
        actor=district_officer,
    )

    (codes,) = qr_codes(certificate_pdf(certificate))

    assert [c.text for c in codes] == [verification_url(certificate)]


# --- the views ----------------------------------------------------------------------------


def certificate_url(certificate) -> str:
    return reverse("evaluations:certificate_pdf", args=[certificate.number])


def decision_url(decision) -> str:
    return reverse("evaluations:decision_certificates_pdf", args=[decision.pk])


def owner_of(certificate, producers):
    return next(owner for producer, owner in producers if producer == certificate.producer)


def test_the_producers_member_gets_the_certificate(client, certificates, producers):
    certificate = certificates[0]
    owner = owner_of(certificate, producers)
    client.force_login(owner)

    response = client.get(certificate_url(certificate))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{certificate.number}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP" in pdf_text(response.content)


def test_officers_who_see_the_decision_get_the_certificate(
    client, certificates, district_officer, province_officer
):
    for officer in (district_officer, province_officer):
        client.force_login(officer)
        response = client.get(certificate_url(certificates[1]))
        assert response.status_code == 200
        assert certificates[1].number in pdf_text(response.content)


def test_a_server_without_the_pdf_libraries_says_what_to_install(
    client, certificates, producers, monkeypatch
):
    # WeasyPrint's system libraries lie outside the project: their absence is simulated by
    # making the import fail, as it does when cffi cannot load Pango.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    certificate = certificates[0]
    client.force_login(owner_of(certificate, producers))

    response = client.get(certificate_url(certificate))

    assert response.status_code == 503
    page = response.content.decode()
    assert "PDF not available on this server" in page
    assert "libharfbuzz-subset0" in page


def test_others_do_not_see_the_certificate(client, certificates, producers, units, other_user):
    other_officer = user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="x")
    # HTX Số 1 has the other certificate of the decision; HTX Số 2 none of the district's.
    first, second = certificates
    for user in (owner_of(second, producers), producers[1][1], other_officer, other_user):
        client.force_login(user)
        assert client.get(certificate_url(first)).status_code == 404
    client.force_login(owner_of(first, producers))
    missing = reverse("evaluations:certificate_pdf", args=["OCOP-17-1999-9999"])
    assert client.get(missing).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, certificates):
    for url in (certificate_url(certificates[0]), decision_url(certificates[0].decision)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('login')}?next=")


def batch_url(decision) -> str:
    return reverse("evaluations:decision_certificates_batch", args=[decision.pk])


def test_the_office_prints_a_decisions_certificates_made_by_the_worker(
    client, certificates, district_decision, district_officer, province_officer, run_tasks
):
    client.force_login(district_officer)
    # None made yet: the file's address leads to the page that makes it.
    assert client.get(decision_url(district_decision))["Location"] == batch_url(district_decision)
    assert 'data-testid="batch-make"' in client.get(batch_url(district_decision)).content.decode()

    client.post(batch_url(district_decision))
    client.post(batch_url(district_decision))  # a second click while it is queued: one task

    page = client.get(batch_url(district_decision)).content.decode()
    assert 'data-testid="batch-pending"' in page and 'hx-trigger="every 3s"' in page
    assert DBTaskResult.objects.filter(task_path=BATCH_TASK_PATH).count() == 1
    run_tasks()
    page = client.get(batch_url(district_decision)).content.decode()
    assert 'data-testid="batch-download"' in page and "2 certificates, made at" in page
    for officer in (district_officer, province_officer):
        client.force_login(officer)
        response = client.get(decision_url(district_decision))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline; filename=")
        assert response["Cache-Control"] == "private, no-store"
        assert len(pdf_pages(response.content)) == 2


def test_a_batch_that_cannot_be_made_says_why(
    client, certificates, district_decision, district_officer, run_tasks, monkeypatch
):
    # WeasyPrint's system libraries missing on the worker's machine (outside the project).
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    client.force_login(district_officer)
    client.post(batch_url(district_decision))

    run_tasks()

    page = client.get(batch_url(district_decision)).content.decode()
    assert 'data-testid="batch-failed"' in page and "PdfUnavailable" not in page
    assert 'data-testid="batch-make"' in page
    assert client.get(decision_url(district_decision))["Location"] == batch_url(district_decision)


def test_a_decisions_certificates_are_for_its_offices_only(
    client, certificates, district_decision, producers, units
):
    other_officer = user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="x")
    for user in (owner_of(certificates[0], producers), other_officer):
        client.force_login(user)
        assert client.get(decision_url(district_decision)).status_code == 404


def test_a_draft_decision_has_no_certificates_to_print(client, district_decision, district_officer):
    client.force_login(district_officer)
    assert client.get(decision_url(district_decision)).status_code == 404
