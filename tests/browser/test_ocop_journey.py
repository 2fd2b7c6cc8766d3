"""Issue 12's journey, a round as a province runs it today, in one run in a real Chromium on
PostgreSQL: under Decision 1489/2025, on the two-tier map, with no district in sight. A
cooperative registers in Xã Tân Lạc (province → commune), the commune's officer verifies it;
it creates a product with a photo, uploads its documents, fills the self-assessment and
submits to Phú Thọ's round; the commune's working group returns it with a reason; the
cooperative fixes and resubmits; the working group records its assessment of the local origin
and of the dossier and forwards it to the province with its signed letter; the province
council scores it; Phú Thọ's office drafts and issues the decision; anybody verifies the
certificate.

The two longer tests beside this one (test_producer_registration, test_dossier_journey) take
screenshots of every screen; this one proves the steps chain together."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.councils.services.sessions import session_add_dossiers, session_create
from evaluations.criteria.selectors import form_spec
from evaluations.criteria.services import criteria_import, regimes_load
from evaluations.enums import DossierState
from evaluations.intake.services.required_documents import required_documents_load
from evaluations.models import Certificate, Dossier
from ocop.core.enums import Role
from products.models import EvidenceDocument, Producer, Product
from tests.browser.test_producer_registration import open_menu_item
from tests.evaluations.certificates.conftest import SCAN, _score_all
from tests.evaluations.councils.conftest import make_council
from tests.evaluations.intake.conftest import open_round
from tests.factories import user_with_role
from tests.products import files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-HTX-2026"
DOCUMENTS = [
    ("business_registration", "Giấy chứng nhận đăng ký HTX"),
    ("product_standard", "Bản công bố chất lượng cam"),
    ("lab_test", "Phiếu kiểm nghiệm 2024"),
    ("label", "Nhãn cam Mãn Đức"),
    ("product_story", "Câu chuyện cam Mãn Đức"),
]


def _as(page: Page, login, username: str, password: str) -> None:
    """Log in through the form with the password the producer chose."""
    page.context.clear_cookies()
    login(username, password)


def _upload_document(page: Page, live_server, kind: str, title: str) -> None:
    page.goto(live_server.url + "/producer/")
    page.get_by_test_id("document-add").first.click()
    page.locator("[name=kind]").select_option(kind)
    page.locator("[name=title]").fill(title)
    page.locator("[name=issued_on]").fill("2026-03-15")
    page.locator("[name=file]").set_input_files(
        {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": files.PDF}
    )
    page.get_by_test_id("document-save").click()
    expect(page.get_by_test_id("document-row").filter(has_text=title)).to_have_count(1)


def test_a_1489_round_on_todays_map_from_registration_to_certificate(
    units, login, switch_user, live_server, page: Page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    criteria_import(only={1})
    regimes_load()
    required_documents_load()
    province, commune = units["new_province"], units["new_commune"]
    office = user_with_role(Role.PROVINCE_OFFICER, province, username="phutho")
    commune_officer = user_with_role(Role.COMMUNE_OFFICER, commune, username="xatanlac")
    round_obj = open_round(office, province, regime="1489/2025")
    assert (round_obj.regime.code, round_obj.historical) == ("1489/2025", False)
    problems, seen = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})

    def no_district_in_sight() -> None:
        """No page, menu or step names a district; the official criteria's own wording
        (the self-assessment, "trên địa bàn của huyện") is the form's, not the registry's."""
        text = page.evaluate(
            """() => {
                const body = document.body.cloneNode(true);
                body.querySelectorAll('[data-testid="summary"]').forEach(e => e.remove());
                return body.innerText;
            }"""
        )
        seen.append(page.url)
        # "huyện" as a word ("câu chuyện" is not one).
        # The regime's own name says there are none: "(…, không còn cấp huyện)".
        text = text.replace("không còn cấp huyện", "")
        found = re.search(r"(?<!\w)huyện(?!\w)", text.lower())
        assert found is None, (page.url, text[max(0, found.start() - 80) : found.end() + 40])

    # The cooperative registers, on today's map: province, then commune.
    page.goto(live_server.url + "/")
    open_menu_item(page, "register")
    page.locator("[name=last_name]").fill("Bùi Thị")
    page.locator("[name=first_name]").fill("Lan")
    page.locator("[name=username]").fill("htxtanlac")
    page.locator("[name=account_email]").fill("lan@htxtanlac.vn")
    page.locator("[name=password1]").fill(PASSWORD)
    page.locator("[name=password2]").fill(PASSWORD)
    page.locator("[name=kind]").select_option("cooperative")
    page.locator("[name=name]").fill("HTX Nông nghiệp Tân Lạc")
    page.locator("[name=registration_no]").fill("5400123456")
    page.locator("[name=tax_code]").fill("5400123456")
    page.locator("[name=representative_name]").fill("Bùi Thị Lan")
    page.locator("[name=representative_title]").fill("Giám đốc")
    page.locator("[name=representative_gender][value=female]").check()
    expect(page.locator("[name=district]")).to_have_count(0)
    page.locator("[name=province]").select_option(str(province.pk))
    expect(page.locator("[name=commune] option")).to_have_count(3)
    page.locator("[name=commune]").select_option(str(commune.pk))
    page.locator("[name=phone]").fill("0912345678")
    no_district_in_sight()
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("producer-state")).to_have_attribute("data-state", "pending")

    # The commune's officer verifies it.
    switch_user(commune_officer.username)
    no_district_in_sight()
    page.goto(live_server.url + "/producers/")
    page.get_by_test_id("producer-row").click()
    page.get_by_test_id("producer-verify").click()
    expect(page.get_by_test_id("producer-state")).to_have_attribute("data-state", "verified")

    # The cooperative creates a product with a photo and uploads its documents.
    _as(page, login, "htxtanlac", PASSWORD)
    page.goto(live_server.url + "/producer/")
    page.get_by_test_id("product-add").first.click()
    page.locator("[name=name]").fill("Cam Tân Lạc")
    page.locator("[name=product_set]").select_option(label="1. Rau, củ, quả, hạt tươi")
    page.get_by_test_id("product-save").click()
    expect(page.get_by_test_id("product-name")).to_have_text("Cam Tân Lạc")
    page.locator("[name=image]").set_input_files(
        {"name": "cam.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg_with_exif((800, 600))}
    )
    page.get_by_test_id("photo-submit").click()
    expect(page.get_by_test_id("photo")).to_have_count(1)
    for kind, title in DOCUMENTS:
        _upload_document(page, live_server, kind, title)

    # It registers the product to Phú Thọ's round and fills the self-assessment.
    page.goto(f"{live_server.url}/dossiers/")
    expect(page.get_by_test_id("open-rounds")).to_contain_text(round_obj.title)
    page.get_by_test_id("dossier-new").click()
    page.locator('select[name="product"]').select_option(str(Product.objects.get().pk))
    page.locator('input[name="kind"][value="first"]').check()
    page.get_by_test_id("dossier-create").click()
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "draft")
    dossier = Dossier.objects.get()
    assert dossier.first_level_unit == commune
    page.get_by_test_id("edit-self-assessment").click()
    leaves = list(form_spec(dossier.scoring_form).leaf_criteria())
    for leaf in leaves:
        best = max(leaf.options, key=lambda o: o.points)
        page.locator(f'input[name="answer-{leaf.key}"][value="{best.key}"]').check()
    expect(page.get_by_test_id("answered")).to_contain_text(f"{len(leaves)} / {len(leaves)}")
    page.get_by_test_id("save-answers").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    page.get_by_test_id("edit-documents").click()
    for document in EvidenceDocument.objects.all():
        page.locator(f'input[name="documents"][value="{document.pk}"]').check()
    page.get_by_test_id("save-documents").click()
    page.get_by_test_id("submit").click()
    page.get_by_test_id("confirm-submit").click()
    expect(page.get_by_test_id("receipt")).to_be_visible()
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "submitted")
    no_district_in_sight()

    # The commune's working group returns it with a reason.
    switch_user(commune_officer.username)
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_test_id("inbox-row").get_by_role("link").click()
    expect(page.get_by_test_id("accept-form")).to_have_count(0)
    page.locator('select[name="reasons-0-item"]').select_option("document:lab_test")
    page.locator('textarea[name="reasons-0-reason"]').fill("Phiếu kiểm nghiệm đã cũ")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "returned")

    # The cooperative uploads a new lab test, swaps it in and resubmits.
    _as(page, login, "htxtanlac", PASSWORD)
    _upload_document(page, live_server, "lab_test", "Phiếu kiểm nghiệm 2026")
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    expect(page.get_by_test_id("return-reasons")).to_contain_text("Phiếu kiểm nghiệm đã cũ")
    page.get_by_test_id("edit-documents").click()
    old = EvidenceDocument.objects.get(title="Phiếu kiểm nghiệm 2024")
    new = EvidenceDocument.objects.get(title="Phiếu kiểm nghiệm 2026")
    page.locator(f'input[name="documents"][value="{old.pk}"]').uncheck()
    page.locator(f'input[name="documents"][value="{new.pk}"]').check()
    page.get_by_test_id("save-documents").click()
    page.get_by_test_id("resubmit").click()
    page.get_by_test_id("confirm-submit").click()
    expect(page.get_by_test_id("receipt")).to_be_visible()
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "resubmitted")

    # The working group assesses the local origin and the dossier and forwards it to the
    # province with its signed letter; a missing letter is said first, the input kept.
    switch_user(commune_officer.username)
    page.goto(f"{live_server.url}/inbox/{dossier.pk}/")
    form = page.get_by_test_id("forward-form")
    form.locator('[name="local_origin_met"][value="yes"]').check()
    form.locator('[name="local_origin_note"]').fill("Cam trồng tại các xóm của xã.")
    form.locator('[name="dossier_assessment"]').fill("Hồ sơ đầy đủ, phù hợp minh chứng.")
    form.locator('[name="letter_number"]').fill("125/UBND-KT")
    form.locator('[name="letter_date"]').fill(timezone.localdate().isoformat())
    page.get_by_test_id("forward").click()
    expect(page.locator("#id_letter")).to_have_class(re.compile("is-invalid"))
    expect(page.locator('[name="letter_number"]')).to_have_value("125/UBND-KT")
    page.locator('[name="letter"]').set_input_files(
        {"name": "cv-125.pdf", "mimeType": "application/pdf", "buffer": files.PDF}
    )
    page.get_by_test_id("forward").click()
    expect(page.get_by_test_id("commune-assessment")).to_contain_text("125/UBND-KT")
    no_district_in_sight()

    # The province sees what waits per commune; its council scores the dossier.
    switch_user(office.username)
    page.goto(f"{live_server.url}/rounds/{round_obj.pk}/")
    expect(page.get_by_test_id("by-unit")).to_contain_text("Xã Tân Lạc")
    no_district_in_sight()
    council = make_council("province", province, office, prefix="hdt", scoring=3, secretary=False)
    session = session_create(
        council=council, round=round_obj, date=timezone.localdate(), place="UBND tỉnh", actor=office
    )
    (item,) = session_add_dossiers(session=session, dossiers=[dossier], actor=office)
    result = _score_all(item, council, Decimal(80))
    assert (result.level, result.stars, result.outcome) == ("province", 4, "recognised")

    # Phú Thọ's office drafts the decision and issues it with the signed scan.
    page.goto(f"{live_server.url}/decisions/new/")
    page.locator('[name="number"]').fill("412/QĐ-UBND")
    page.locator('[name="date"]').fill(timezone.localdate().isoformat())
    page.locator('[name="signer_name"]').fill("Nguyễn Văn Quang")
    page.locator('[name="signer_title"]').fill("Phó Chủ tịch UBND tỉnh Phú Thọ")
    page.locator(f'input[name="results"][value="{result.pk}"]').check()
    page.get_by_test_id("decision-save").click()
    page.locator('[name="signed_scan"]').set_input_files(
        {"name": "412-QD-UBND.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    page.get_by_test_id("decision-issue").click()
    expect(page.get_by_test_id("decision-certificates")).to_be_visible()
    no_district_in_sight()
    certificate = Certificate.objects.get()
    assert (certificate.stars, certificate.decision.issuer) == (4, province)

    # Anybody verifies it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verify/{certificate.number}/")
    expect(page.get_by_test_id("status-text")).to_contain_text("Còn hiệu lực")
    expect(page.get_by_test_id("product")).to_contain_text("Cam Tân Lạc")
    no_district_in_sight()

    dossier.refresh_from_db()
    assert (dossier.state, dossier.version) == (DossierState.RECOGNISED, 2)
    assert Producer.objects.get().address_unit == commune
    assert len(seen) == 7
    # The one refusal (the forward without its letter) is the only error the browser saw.
    assert problems == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
