"""Issue 6's journey in a real Chromium on PostgreSQL: from a product the province council
has recognised 4★, the province's OCOP office drafts the recognition decision and issues it
with the signed scan; the certificate PDF is downloaded, its QR code decoded and opened by an
anonymous visitor ("Còn hiệu lực"); the office revokes the certificate and the same public
page says "Đã bị thu hồi" at once."""

import io
import re
from decimal import Decimal

import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.services import criteria_import, regimes_load
from evaluations.enums import CertificateStatus
from evaluations.intake.services.required_documents import required_documents_load
from evaluations.models import Certificate, Decision
from ocop.core.enums import Role
from tests.evaluations.certificates.conftest import SCAN, _score_all
from tests.evaluations.councils.conftest import accepted_dossier, make_council
from tests.evaluations.intake.conftest import open_round
from tests.factories import producer_with_owner, product_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Page, artifacts_dir, name: str) -> None:
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=artifacts_dir / f"certificate-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _qr_urls(pdf: bytes, save_to=None) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=3).to_pil()
    if save_to:
        image.save(save_to)
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_from_a_province_result_to_a_verified_then_revoked_certificate(
    units,
    role_users,
    login,
    switch_user,
    live_server,
    page: Page,
    artifacts_dir,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OCOP_SITE_URL = live_server.url
    criteria_import(only={1})
    regimes_load()
    required_documents_load()
    today = timezone.localdate()
    district_officer = role_users[Role.DISTRICT_OFFICER]
    province_officer = role_users[Role.PROVINCE_OFFICER]
    round_obj = open_round(province_officer, units["province"])
    producer, owner = producer_with_owner(
        commune=units["commune"], username="htx", name="HTX Nông sản Mãn Đức"
    )
    dossier = accepted_dossier(
        round_obj, product_for(producer, number=1, name="Gạo nếp cẩm"), owner
    )
    district = make_council("district", units["district"], district_officer, prefix="hdh")
    province = make_council(
        "province", units["province"], province_officer, prefix="hdt", scoring=3, secretary=False
    )
    session = session_create(
        council=district, round=round_obj, date=today, place="UBND huyện", actor=district_officer
    )
    item = session_add_dossiers(session=session, dossiers=[dossier], actor=district_officer)[0]
    _score_all(item, district, Decimal(101))  # forwarded
    session = session_create(
        council=province, round=round_obj, date=today, place="UBND tỉnh", actor=province_officer
    )
    item = session_add_dossiers(session=session, dossiers=[dossier], actor=province_officer)[0]
    result = _score_all(item, province, Decimal(90))
    assert result.stars == 4

    # 1. The province's OCOP office drafts the decision from the final result.
    login(province_officer.username)
    page.goto(f"{live_server.url}/decisions/new/")
    page.locator('[name="number"]').fill("2365/QĐ-UBND")
    page.locator('[name="date"]').fill(today.isoformat())
    page.locator('[name="signer_name"]').fill("Đinh Công Sứ")
    page.locator('[name="signer_title"]').fill("Phó Chủ tịch UBND tỉnh Hoà Bình")
    page.locator(f'input[name="results"][value="{result.pk}"]').check()
    page.get_by_test_id("decision-save").click()
    decision = Decision.objects.get(number="2365/QĐ-UBND")
    page.wait_for_url(f"{live_server.url}/decisions/{decision.pk}/")

    # 2. It issues it with the signed scan: one certificate, the product's standing written.
    page.locator('[name="signed_scan"]').set_input_files(
        {"name": "2365-QD-UBND.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    page.get_by_test_id("decision-issue").click()
    expect(page.get_by_test_id("decision-certificates")).to_be_visible()
    certificate = Certificate.objects.get()
    assert (certificate.stars, certificate.status) == (4, CertificateStatus.VALID)
    _shot(page, artifacts_dir, "decision")

    # 3. The certificate PDF: Vietnamese text, and a QR code with the public URL.
    page.goto(f"{live_server.url}/certificates/{certificate.number}/")
    _shot(page, artifacts_dir, "detail")
    pdf_url = page.get_by_test_id("certificate-pdf").get_attribute("href")
    response = page.request.get(live_server.url + pdf_url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "GIẤY CHỨNG NHẬN" in text and "Gạo nếp cẩm" in text and certificate.number in text
    verify_url = f"{live_server.url}/verify/{certificate.number}/"
    assert _qr_urls(response.body(), artifacts_dir / "certificate-pdf.png") == [verify_url]

    # 4. Anybody opens the QR's URL.
    page.context.clear_cookies()
    page.goto(verify_url)
    expect(page.get_by_test_id("status-text")).to_contain_text("Còn hiệu lực")
    expect(page.get_by_test_id("product")).to_contain_text("Gạo nếp cẩm")
    body = page.content()
    assert producer.phone not in body and producer.tax_code not in body
    _shot(page, artifacts_dir, "verify-valid")

    # 5. The cooperative renames the certified product: it asks, the office accepts; the
    #    public page keeps the name that was certified.
    login(owner.username)
    page.goto(f"{live_server.url}/producer/products/{certificate.product_id}/edit/")
    expect(page.locator('[name="name"]')).to_be_disabled()
    page.goto(f"{live_server.url}/producer/products/{certificate.product_id}/")
    page.get_by_test_id("request-change").click()
    page.locator('[name="name"]').fill("Gạo nếp cẩm Mãn Đức")
    page.get_by_test_id("change-request-submit").click()
    expect(page.locator("#id_reason")).to_have_class(re.compile("is-invalid"))
    expect(page.locator('[name="name"]')).to_have_value("Gạo nếp cẩm Mãn Đức")
    page.locator('[name="reason"]').fill("Đăng ký nhãn hiệu tập thể “Gạo nếp cẩm Mãn Đức”")
    _shot(page, artifacts_dir, "change-request")
    page.get_by_test_id("change-request-submit").click()
    expect(page.get_by_test_id("pending-change")).to_contain_text("Gạo nếp cẩm Mãn Đức")
    switch_user(province_officer.username)
    page.goto(f"{live_server.url}/producers/change-requests/")
    _shot(page, artifacts_dir, "change-requests")
    page.get_by_test_id("change-accept").click()
    expect(page.get_by_test_id("change-state")).to_contain_text("Đã chấp thuận")
    page.context.clear_cookies()
    page.goto(verify_url)
    expect(page.get_by_test_id("product")).to_have_text("Gạo nếp cẩm")
    certificate.product.refresh_from_db()
    assert certificate.product.name == "Gạo nếp cẩm Mãn Đức"

    # 6. The office revokes it; the public page changes at once.
    switch_user(province_officer.username)
    page.goto(f"{live_server.url}/certificates/{certificate.number}/")
    page.locator('[name="reason"]').select_option("quality_violation")
    page.locator('[name="decision_number"]').fill("3010/QĐ-UBND")
    page.locator('[name="decision_date"]').fill(today.isoformat())
    page.locator('[name="note"]').fill("Kết quả hậu kiểm: vi phạm an toàn thực phẩm")
    page.get_by_test_id("certificate-revoke").click()
    expect(page.get_by_test_id("revocation")).to_be_visible()
    page.context.clear_cookies()
    page.goto(verify_url)
    expect(page.get_by_test_id("status-text")).to_contain_text("Đã bị thu hồi")
    expect(page.get_by_test_id("revocation")).to_contain_text("3010/QĐ-UBND")
    _shot(page, artifacts_dir, "verify-revoked")
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    certificate.product.refresh_from_db()
    assert certificate.product.certificate_number == ""
