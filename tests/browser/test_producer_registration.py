"""A cooperative registers on a phone, on today's map (province → commune, no district), the
commune officer verifies it, and the cooperative adds a product with a photo and a
document."""

import pytest
from playwright.sync_api import Page, expect

from ocop.core.enums import Role
from products.models import EvidenceDocument, Producer, ProductPhoto
from products.services.taxonomy import taxonomy_load
from tests.factories import user_with_role
from tests.products import files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-HTX-2026"


def shoot(page: Page, artifacts_dir, name: str) -> None:
    """Save the screen and check nothing overflows sideways."""
    width = page.viewport_size["width"]
    page.screenshot(path=artifacts_dir / f"products-{name}-{width}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name


def open_menu_item(page: Page, key: str) -> None:
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    link = page.locator(f'[data-nav="{key}"]')
    if not link.is_visible():  # under "More"
        page.locator("[data-nav-more]").click()
    link.click()


def log_out(page: Page) -> None:
    page.context.clear_cookies()


@pytest.fixture
def browser_problems(page: Page, live_server):
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return problems


def test_cooperative_registers_is_verified_and_adds_a_product_and_a_document(
    units,
    role_users,
    login,
    live_server,
    page: Page,
    artifacts_dir,
    settings,
    tmp_path,
    browser_problems,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    taxonomy_load()
    page.set_viewport_size({"width": 390, "height": 844})

    # 1. The cooperative registers from a phone.
    page.goto(live_server.url + "/")
    open_menu_item(page, "register")
    expect(page.get_by_test_id("register-form")).to_be_visible()
    page.locator("[name=last_name]").fill("Bùi Thị")
    page.locator("[name=first_name]").fill("Lan")
    page.locator("[name=username]").fill("htxmanduc")
    page.locator("[name=account_email]").fill("lan@htxmanduc.vn")
    page.locator("[name=password1]").fill(PASSWORD)
    page.locator("[name=password2]").fill(PASSWORD)
    page.locator("[name=kind]").select_option("cooperative")
    page.locator("[name=name]").fill("HTX Nông nghiệp Mãn Đức")
    page.locator("[name=registration_no]").fill("5400123456")
    page.locator("[name=tax_code]").fill("5400 123 456")
    page.locator("[name=representative_name]").fill("Bùi Thị Lan")
    page.locator("[name=representative_title]").fill("Giám đốc")
    page.locator("[name=representative_gender][value=female]").check()
    page.locator("[name=representative_ethnic_minority]").check()
    expect(page.locator("[name=district]")).to_have_count(0)
    page.locator("[name=province]").select_option(str(units["new_province"].pk))
    expect(page.locator("[name=commune] option")).to_have_count(3)
    page.locator("[name=commune]").select_option(str(units["new_commune"].pk))
    page.locator("[name=address_detail]").fill("Xóm Đồi")
    page.locator("[name=phone]").fill("0912 345 678")
    shoot(page, artifacts_dir, "register")
    page.get_by_test_id("register-submit").click()

    page.wait_for_url(f"{live_server.url}/producer/")
    expect(page.get_by_test_id("producer-state")).to_have_attribute("data-state", "pending")
    expect(page.get_by_test_id("producer-name")).to_have_text("HTX Nông nghiệp Mãn Đức")
    shoot(page, artifacts_dir, "desk-pending")
    producer = Producer.objects.get()
    assert producer.tax_code == "5400123456"

    # 2. The officer of its commune verifies it.
    assert producer.address_unit == units["new_commune"]
    log_out(page)
    commune_officer = user_with_role(Role.COMMUNE_OFFICER, units["new_commune"], username="xa")
    login(commune_officer.username)
    open_menu_item(page, "producer_list")
    expect(page.get_by_test_id("producer-row")).to_have_count(1)
    shoot(page, artifacts_dir, "officer-list")
    page.get_by_test_id("producer-row").click()
    expect(page.get_by_test_id("verify-panel")).to_be_visible()
    shoot(page, artifacts_dir, "officer-detail")
    page.get_by_test_id("producer-verify").click()
    expect(page.get_by_test_id("producer-state")).to_have_attribute("data-state", "verified")
    expect(page.get_by_test_id("verify-panel")).to_have_count(0)

    # 3. The cooperative adds a product with a photo, then a document.
    log_out(page)
    login("htxmanduc", PASSWORD)
    open_menu_item(page, "desk")
    expect(page.get_by_test_id("producer-state")).to_have_attribute("data-state", "verified")
    page.get_by_test_id("product-add").first.click()
    page.locator("[name=name]").fill("Gạo nếp cẩm Mãn Đức")
    page.locator("[name=product_set]").select_option(label="3. Gạo, ngũ cốc, hạt sơ chế khác")
    page.locator("[name=description]").fill("Gạo nếp cẩm trồng trên ruộng bậc thang.")
    page.locator("[name=packaging]").fill("Túi hút chân không 1 kg")
    shoot(page, artifacts_dir, "product-form")
    page.get_by_test_id("product-save").click()
    expect(page.get_by_test_id("product-name")).to_have_text("Gạo nếp cẩm Mãn Đức")

    # Photos too large to send together are refused before a byte is sent (the limit is
    # lowered here so that small test files pass it).
    form = page.get_by_test_id("photo-form")
    assert int(form.get_attribute("data-max-bytes")) == 20 * files.MB
    form.evaluate("f => f.dataset.maxBytes = '1000'")
    page.locator("[name=image]").set_input_files(
        [
            {"name": f"anh-{n}.png", "mimeType": "image/png", "buffer": files.png((300, 300))}
            for n in range(3)
        ]
    )
    page.get_by_test_id("photo-submit").click()
    expect(form.locator("[data-upload-status]")).to_contain_text("quá lớn")
    assert ProductPhoto.objects.count() == 0
    form.evaluate("f => f.dataset.maxBytes = String(20 * 1024 * 1024)")

    # Sent by script: a progress bar while sending, then the product's page with the photo.
    page.locator("[name=image]").set_input_files(
        {"name": "ruong.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg_with_exif((800, 600))}
    )
    page.locator("[name=caption]").fill("Ruộng bậc thang")
    page.get_by_test_id("photo-submit").click()
    expect(page.get_by_test_id("photo")).to_have_count(1)
    expect(page.locator(".alert-success")).to_contain_text("Ảnh đã được thêm")
    expect(page.get_by_test_id("photo").locator("img")).to_have_js_property("complete", True)
    assert page.get_by_test_id("photo").locator("img").evaluate("i => i.naturalWidth") > 0
    shoot(page, artifacts_dir, "product-detail")

    page.goto(live_server.url + "/producer/")
    page.get_by_test_id("document-add").first.click()
    page.locator("[name=kind]").select_option("business_registration")
    page.locator("[name=title]").fill("Giấy chứng nhận đăng ký HTX")
    page.locator("[name=issued_on]").fill("2024-03-15")
    page.locator("[name=file]").set_input_files(
        {"name": "dang-ky.pdf", "mimeType": "application/pdf", "buffer": files.PDF}
    )
    shoot(page, artifacts_dir, "document-form")
    page.get_by_test_id("document-save").click()
    expect(page.get_by_test_id("document-row")).to_have_count(1)
    shoot(page, artifacts_dir, "documents")

    page.goto(live_server.url + "/producer/")
    expect(page.get_by_test_id("product-row")).to_have_count(1)
    shoot(page, artifacts_dir, "desk-verified")
    photo = ProductPhoto.objects.get()
    assert photo.product.producer == producer
    assert EvidenceDocument.objects.get().content_type == "application/pdf"

    # The same screens on a desktop.
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, artifacts_dir, "desk-verified")
    page.goto(f"{live_server.url}/producer/products/{photo.product_id}/")
    shoot(page, artifacts_dir, "product-detail")
    log_out(page)
    page.goto(live_server.url + "/register/")
    shoot(page, artifacts_dir, "register")
    login(commune_officer.username)
    page.goto(live_server.url + "/producers/")
    shoot(page, artifacts_dir, "officer-list")
    page.goto(f"{live_server.url}/producers/{producer.pk}/")
    shoot(page, artifacts_dir, "officer-detail")

    assert browser_problems == []
