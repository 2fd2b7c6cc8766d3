"""Issue 4's journey in one run, in a real Chromium on PostgreSQL: a cooperative registers,
is verified by the district, creates a product with a photo, uploads its documents, fills the
self-assessment and submits; the district's working group returns it with a reason; the
cooperative fixes and resubmits; the working group accepts it.

The two longer tests beside this one (test_producer_registration, test_dossier_journey) take
screenshots of every screen; this one proves the steps chain together."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.criteria.selectors import form_spec
from evaluations.criteria.services import criteria_import, regimes_load
from evaluations.enums import DossierState
from evaluations.intake.services.required_documents import required_documents_load
from evaluations.intake.services.rounds import round_open
from evaluations.models import CriteriaVersion, Dossier, Regime
from ocop.core.enums import Role
from products.models import EvidenceDocument, Producer, Product
from tests.browser.test_producer_registration import open_menu_item
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


def test_register_verify_product_documents_submit_return_resubmit_accept(
    units, role_users, login, switch_user, live_server, page: Page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    criteria_import(only={1})
    regimes_load()
    required_documents_load()
    today = timezone.localdate()
    round_obj = round_open(
        province=units["province"],
        year=today.year,
        number=1,
        title=f"Đợt 1 năm {today.year}",
        regime=Regime.objects.get(code="148/2023"),
        criteria_version=CriteriaVersion.objects.get(code="148/2023"),
        submission_deadline=today + datetime.timedelta(days=30),
        first_level_deadline=today + datetime.timedelta(days=60),
        province_deadline=today + datetime.timedelta(days=90),
        actor=role_users[Role.PROVINCE_OFFICER],
    )
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})

    # The cooperative registers.
    page.goto(live_server.url + "/")
    open_menu_item(page, "register")
    page.locator("[name=last_name]").fill("Bùi Thị")
    page.locator("[name=first_name]").fill("Lan")
    page.locator("[name=username]").fill("htxmanduc")
    page.locator("[name=account_email]").fill("lan@htxmanduc.vn")
    page.locator("[name=password1]").fill(PASSWORD)
    page.locator("[name=password2]").fill(PASSWORD)
    page.locator("[name=kind]").select_option("cooperative")
    page.locator("[name=name]").fill("HTX Nông nghiệp Mãn Đức")
    page.locator("[name=registration_no]").fill("5400123456")
    page.locator("[name=tax_code]").fill("5400123456")
    page.locator("[name=representative_name]").fill("Bùi Thị Lan")
    page.locator("[name=representative_title]").fill("Giám đốc")
    page.locator("[name=representative_gender][value=female]").check()
    page.locator("[name=province]").select_option(str(units["province"].pk))
    page.locator("[name=district]").select_option(str(units["district"].pk))
    expect(page.locator("[name=commune] option")).to_have_count(2)
    page.locator("[name=commune]").select_option(str(units["commune"].pk))
    page.locator("[name=phone]").fill("0912345678")
    page.get_by_test_id("register-submit").click()
    expect(page.get_by_test_id("producer-state")).to_have_attribute("data-state", "pending")

    # The district officer verifies it.
    switch_user(role_users[Role.DISTRICT_OFFICER].username)
    page.goto(live_server.url + "/producers/")
    page.get_by_test_id("producer-row").click()
    page.get_by_test_id("producer-verify").click()
    expect(page.get_by_test_id("producer-state")).to_have_attribute("data-state", "verified")

    # The cooperative creates a product with a photo and uploads its documents.
    _as(page, login, "htxmanduc", PASSWORD)
    page.goto(live_server.url + "/producer/")
    page.get_by_test_id("product-add").first.click()
    page.locator("[name=name]").fill("Cam Mãn Đức")
    page.locator("[name=product_set]").select_option(label="1. Rau, củ, quả, hạt tươi")
    page.get_by_test_id("product-save").click()
    expect(page.get_by_test_id("product-name")).to_have_text("Cam Mãn Đức")
    page.locator("[name=image]").set_input_files(
        {"name": "cam.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg_with_exif((800, 600))}
    )
    page.get_by_test_id("photo-submit").click()
    expect(page.get_by_test_id("photo")).to_have_count(1)
    for kind, title in DOCUMENTS:
        _upload_document(page, live_server, kind, title)

    # It registers the product to the round and fills the self-assessment.
    page.goto(f"{live_server.url}/dossiers/")
    expect(page.get_by_test_id("open-rounds")).to_contain_text(round_obj.title)
    page.get_by_test_id("dossier-new").click()
    page.locator('select[name="product"]').select_option(str(Product.objects.get().pk))
    page.locator('input[name="kind"][value="first"]').check()
    page.get_by_test_id("dossier-create").click()
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "draft")
    dossier = Dossier.objects.get()
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
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "submitted")

    # The district's working group returns it with a reason.
    switch_user(role_users[Role.DISTRICT_OFFICER].username)
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_test_id("inbox-row").get_by_role("link").click()
    page.locator('select[name="reasons-0-item"]').select_option("document:lab_test")
    page.locator('textarea[name="reasons-0-reason"]').fill("Phiếu kiểm nghiệm đã cũ")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "returned")

    # The cooperative uploads a new lab test, swaps it in and resubmits.
    _as(page, login, "htxmanduc", PASSWORD)
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
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "resubmitted")

    # The working group accepts it with the samples received.
    switch_user(role_users[Role.DISTRICT_OFFICER].username)
    page.goto(f"{live_server.url}/inbox/{dossier.pk}/")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("accepted")).to_be_visible()

    dossier.refresh_from_db()
    assert (dossier.state, dossier.version, dossier.samples_count) == (
        DossierState.ACCEPTED,
        2,
        5,
    )
    assert Producer.objects.get().is_verified
    assert problems == []
