"""Today's round of Phú Thọ under 1489/2025: a cooperative recorded in Mãn Đức on the old map
registers a product, fills the self-assessment, picks its documents and submits; its dossier
goes to Xã Tân Lạc, the commune Mãn Đức became, whose working group returns it; the
cooperative corrects and resubmits; the working group forwards it to the province with 5
samples, its assessment and its letter. Screenshots of each screen at phone width."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from playwright.sync_api import Page, expect

from evaluations.criteria.selectors import form_spec
from evaluations.criteria.services import criteria_import, regimes_load
from evaluations.enums import DossierState
from evaluations.intake.services.required_documents import required_documents_load
from evaluations.models import Dossier, Regime, Round
from ocop.core.enums import Role
from products.models import EvidenceDocument
from tests.factories import producer_with_owner, product_for, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _pdf(text: str) -> bytes:
    """A small, real one-page PDF."""
    stream = f"BT /F1 12 Tf 50 750 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _document(producer, owner, kind, title, *, valid_until=None):
    content = _pdf(title.encode("ascii", "ignore").decode())
    name = default_storage.save(
        f"producers/{producer.pk}/documents/{kind}.pdf", ContentFile(content)
    )
    return EvidenceDocument.objects.create(
        producer=producer,
        kind=kind,
        title=title,
        file=name,
        original_name=f"{kind}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        valid_until=valid_until,
        uploaded_by=owner,
    )


def _shot(page: Page, artifacts_dir, name: str, *, full_page: bool = True) -> None:
    width = page.viewport_size["width"]
    page.screenshot(path=artifacts_dir / f"dossier-{name}-{width}.png", full_page=full_page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name


def _switch_user(page: Page, switch_user, username: str) -> None:
    switch_user(username)
    page.set_viewport_size(PHONE)


def test_cooperative_submits_officer_returns_cooperative_resubmits_officer_accepts(
    units, role_users, login, switch_user, live_server, page: Page, artifacts_dir
):
    criteria_import()
    regimes_load()
    required_documents_load()
    today = timezone.localdate()
    producer, owner = producer_with_owner(
        commune=units["commune"], username="htx", name="HTX Nông sản Mãn Đức"
    )
    product = product_for(producer, number=1, name="Cam Mãn Đức")
    documents = {
        kind: _document(producer, owner, kind, title)
        for kind, title in [
            ("business_registration", "Giấy chứng nhận đăng ký HTX"),
            ("product_standard", "Bản công bố chất lượng cam"),
            ("lab_test", "Phiếu kiểm nghiệm 2024"),
            ("label", "Nhãn cam Mãn Đức"),
            ("product_story", "Câu chuyện cam Mãn Đức"),
        ]
    }
    _document(
        producer,
        owner,
        "food_safety",
        "Giấy chứng nhận ATTP cũ",
        valid_until=today - datetime.timedelta(days=10),
    )

    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    # Today's offices: Phú Thọ (which absorbed Hoà Bình) and Xã Tân Lạc (which absorbed Mãn
    # Đức, where the cooperative was recorded on the old map).
    office = user_with_role(Role.PROVINCE_OFFICER, units["new_province"], username="phutho")
    commune_officer = user_with_role(Role.COMMUNE_OFFICER, units["new_commune"], username="xa")

    # The province's OCOP office opens the round, under the regime in force (1489/2025).
    login(office.username)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/rounds/")
    page.get_by_test_id("round-open").click()
    form = page.get_by_test_id("round-form")
    form.locator('input[name="title"]').fill(f"Đợt 1 năm {today.year}")
    expect(form.locator('select[name="regime"]')).to_have_value(
        str(Regime.objects.get(code="1489/2025").pk)
    )
    for name, days in [
        ("submission_deadline", 30),
        ("first_level_deadline", 60),
        ("province_deadline", 90),
    ]:
        form.locator(f'input[name="{name}"]').fill((today + datetime.timedelta(days)).isoformat())
    _shot(page, artifacts_dir, "round-open")
    page.get_by_test_id("round-save").click()
    expect(page.get_by_test_id("round-title")).to_have_text(f"Đợt 1 năm {today.year}")
    _shot(page, artifacts_dir, "round")
    round_obj = Round.objects.get()
    assert (round_obj.regime.code, round_obj.province) == ("1489/2025", units["new_province"])
    page.goto(f"{live_server.url}/rounds/")
    _shot(page, artifacts_dir, "rounds")

    # The cooperative registers its oranges to the round.
    _switch_user(page, switch_user, owner.username)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/dossiers/")
    expect(page.get_by_test_id("open-rounds")).to_contain_text(round_obj.title)
    _shot(page, artifacts_dir, "list-empty")
    page.get_by_test_id("dossier-new").click()
    page.locator('select[name="product"]').select_option(str(product.pk))
    page.locator('input[name="kind"][value="first"]').check()
    _shot(page, artifacts_dir, "create")
    page.get_by_test_id("dossier-create").click()
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "draft")
    dossier = Dossier.objects.get()
    _shot(page, artifacts_dir, "draft")

    # The self-assessment: every criterion's best option, live totals, one piece of evidence.
    page.get_by_test_id("edit-self-assessment").click()
    expect(page.get_by_test_id("answered")).to_contain_text("0 / 32")
    _shot(page, artifacts_dir, "self-assessment-empty", full_page=False)
    leaves = list(form_spec(dossier.scoring_form).leaf_criteria())
    for leaf in leaves:
        best = max(leaf.options, key=lambda o: o.points)
        page.locator(f'input[name="answer-{leaf.key}"][value="{best.key}"]').check()
    expect(page.get_by_test_id("answered")).to_contain_text("32 / 32")
    expect(page.get_by_test_id("total")).to_contain_text("100 / 100")
    first = page.locator('[data-testid="criterion"][data-key="A.1.a"]')
    first.locator("summary").click()
    first.locator("textarea").fill("Vùng trồng cam 12 ha của các thành viên HTX")
    first.locator(f'input[value="{documents["product_standard"].pk}"]').check()
    _shot(page, artifacts_dir, "self-assessment", full_page=False)
    page.get_by_test_id("save-answers").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert dossier.answers.count() == 32

    # The documents: the five the checklist asks for.
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    page.get_by_test_id("edit-documents").click()
    for document in documents.values():
        page.locator(f'input[name="documents"][value="{document.pk}"]').check()
    _shot(page, artifacts_dir, "documents")
    page.get_by_test_id("save-documents").click()
    expect(page.get_by_test_id("submit")).to_be_enabled()
    _shot(page, artifacts_dir, "ready")
    page.get_by_test_id("submit").click()
    # Submitting asks once, saying what follows, then gives a receipt with the dossier's code.
    expect(page.get_by_test_id("what-follows")).to_contain_text("Xã Tân Lạc")
    _shot(page, artifacts_dir, "submit-confirm")
    page.get_by_test_id("confirm-submit").click()
    expect(page.get_by_test_id("receipt-code")).to_have_text(Dossier.objects.get().code)
    expect(page.get_by_test_id("receipt-document")).to_have_count(5)
    _shot(page, artifacts_dir, "receipt")
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "submitted")

    # The commune's working group finds it in the inbox and returns it.
    _switch_user(page, switch_user, commune_officer.username)
    page.goto(f"{live_server.url}/inbox/")
    expect(page.get_by_test_id("inbox-row")).to_have_count(1)
    _shot(page, artifacts_dir, "inbox")
    page.set_viewport_size(DESKTOP)
    _shot(page, artifacts_dir, "inbox")
    page.set_viewport_size(PHONE)
    page.get_by_test_id("inbox-row").get_by_role("link").click()
    expect(page.get_by_test_id("checklist-item")).to_have_count(6)
    _shot(page, artifacts_dir, "check")
    page.locator('select[name="reasons-0-item"]').select_option("document:lab_test")
    page.locator('textarea[name="reasons-0-reason"]').fill(
        "Phiếu kiểm nghiệm năm 2024 đã cũ, đề nghị bổ sung phiếu mới"
    )
    page.locator('select[name="reasons-1-item"]').select_option("criterion:A.1.a")
    page.locator('textarea[name="reasons-1-reason"]').fill(
        "Chưa có hợp đồng chứng minh 75% vùng nguyên liệu"
    )
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "returned")
    assert Dossier.objects.get().state == DossierState.RETURNED

    # The province gives the cooperative a few more days.
    _switch_user(page, switch_user, office.username)
    page.goto(f"{live_server.url}/inbox/{dossier.pk}/")
    page.get_by_test_id("extend-link").click()
    page.locator('input[name="until"]').fill((today + datetime.timedelta(days=40)).isoformat())
    page.locator('textarea[name="reason"]').fill("Chờ kết quả kiểm nghiệm mới")
    _shot(page, artifacts_dir, "extend")
    page.get_by_test_id("extend").click()
    expect(page.locator(".alert-success")).to_be_visible()

    # The cooperative reads the reason, uploads a new version of the lab test in its library
    # (which replaces the old one in the returned dossier), and resubmits.
    _switch_user(page, switch_user, owner.username)
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    expect(page.get_by_test_id("return-reasons")).to_contain_text("Phiếu kiểm nghiệm năm 2024")
    _shot(page, artifacts_dir, "returned")
    page.get_by_test_id("edit-self-assessment").click()
    returned = page.locator('[data-testid="criterion"][data-key="A.1.a"]')
    expect(returned.get_by_test_id("returned-criterion")).to_contain_text("75%")
    returned.locator('input[value="A.1.a.2"]').check()
    expect(page.get_by_test_id("total")).to_contain_text("98 / 100")
    _shot(page, artifacts_dir, "self-assessment-returned", full_page=False)
    page.get_by_test_id("save-answers").click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"{live_server.url}/producer/documents/{documents['lab_test'].pk}/new-version/")
    uses = page.get_by_test_id("document-uses")
    expect(uses).to_contain_text(dossier.product.name)
    page.locator('input[name="title"]').fill("Phiếu kiểm nghiệm 2026")
    page.locator('input[name="file"]').set_input_files(
        {"name": "kiem-nghiem-2026.pdf", "mimeType": "application/pdf", "buffer": _pdf("2026")}
    )
    _shot(page, artifacts_dir, "new-version")
    page.get_by_test_id("document-save").click()
    expect(page.locator(".alert-success")).to_contain_text("1")
    new_test = EvidenceDocument.objects.get(title="Phiếu kiểm nghiệm 2026")
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    page.get_by_test_id("resubmit").click()
    changes = page.get_by_test_id("changes")
    expect(changes.get_by_test_id("diff-documents")).to_contain_text("+ Phiếu kiểm nghiệm 2026")
    expect(changes.get_by_test_id("diff-documents")).to_contain_text("kiem-nghiem-2026.pdf")
    expect(changes.get_by_test_id("diff-answer")).to_have_count(1)
    _shot(page, artifacts_dir, "resubmit-confirm")
    page.get_by_test_id("confirm-submit").click()
    expect(page.get_by_test_id("receipt-version")).to_have_text("2")
    sent = Dossier.objects.get().versions.get(number=2).snapshot["documents"]
    assert new_test.pk in {d["id"] for d in sent}
    assert documents["lab_test"].pk not in {d["id"] for d in sent}
    page.goto(f"{live_server.url}/dossiers/{dossier.pk}/")
    expect(page.get_by_test_id("dossier-state")).to_have_attribute("data-state", "resubmitted")

    # The working group assesses the local origin and the dossier and forwards it to the
    # province with the 5 samples received and its signed letter.
    _switch_user(page, switch_user, commune_officer.username)
    page.goto(f"{live_server.url}/inbox/{dossier.pk}/")
    form = page.get_by_test_id("forward-form")
    expect(form.locator('input[name="samples_count"]')).to_have_value("5")
    form.locator('[name="local_origin_met"][value="yes"]').check()
    form.locator('[name="local_origin_note"]').fill(
        "Cam trồng tại vùng nguyên liệu 12 ha của các thành viên HTX trong xã."
    )
    form.locator('[name="dossier_assessment"]').fill("Hồ sơ đầy đủ sau khi bổ sung.")
    form.locator('[name="letter_number"]').fill("125/UBND-KT")
    form.locator('[name="letter_date"]').fill(today.isoformat())
    form.locator('[name="letter"]').set_input_files(
        {"name": "cv-125.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}
    )
    _shot(page, artifacts_dir, "forward")
    page.get_by_test_id("forward").click()
    expect(page.get_by_test_id("commune-assessment")).to_contain_text("125/UBND-KT")
    _shot(page, artifacts_dir, "forwarded")
    page.get_by_test_id("history-link").click()
    expect(page.get_by_test_id("event")).to_have_count(6)
    expect(page.get_by_test_id("diff-documents")).to_contain_text("Phiếu kiểm nghiệm 2026")
    expect(page.get_by_test_id("diff-answer")).to_have_count(1)
    _shot(page, artifacts_dir, "history")

    assert console_errors == []
    dossier = Dossier.objects.get()
    assert (dossier.state, dossier.version, dossier.samples_count) == (
        DossierState.ACCEPTED,
        2,
        5,
    )
