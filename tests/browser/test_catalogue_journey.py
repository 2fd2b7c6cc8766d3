"""Issue 15's buyer in a real Chromium on PostgreSQL, at a phone's width and anonymous:
searches without tone marks, filters to 4★, opens the product, sees where to buy it and
follows the link to the certificate's verification. The pages stay light: under 500 KB
before photos."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from ocop.core.enums import Role
from products.services.products import product_photos_add
from products.services.sales import sales_point_create
from tests.evaluations.followup.conftest import World
from tests.evaluations.intake.conftest import open_round
from tests.factories import role_users_of
from tests.products.files import png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PAGE_BUDGET = 500 * 1024


@pytest.fixture
def shelf(units, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    users = role_users_of(units)
    world = World(units, users, open_round(users[Role.PROVINCE_OFFICER], units["province"]))
    red = world.certificate(name="Bưởi đỏ Tân Lạc", stars=4, score=Decimal("82.25"))
    world.certificate(name="Bưởi da xanh Tân Lạc", stars=3)
    world.certificate(name="Gà đồi Mãn Đức", stars=4)
    owner = red.producer.members.get().user
    image = SimpleUploadedFile("buoi.png", png((1600, 1200)), content_type="image/png")
    product_photos_add(product=red.product, images=[image], actor=owner)
    # Where the cooperative sells it: its shop (today's map) and its Shopee page.
    sales_point_create(
        producer=red.producer,
        actor=owner,
        kind="shop",
        name="Cửa hàng HTX Tân Lạc",
        address_unit=units["new_commune"],
        address_detail="Xóm Mới",
        opening_hours="7:00–18:00 hằng ngày",
        phone="0912 345 678",
        products=[red.product],
    )
    sales_point_create(
        producer=red.producer,
        actor=owner,
        kind="marketplace",
        name="HTX Tân Lạc trên Shopee",
        url="https://shopee.vn/htx-tan-lac",
        products=[red.product],
    )
    return world, red


def weigh(page: Page) -> dict:
    """Bytes of every response but images, from the moment it is called."""
    weight = {"bytes": 0}

    def count(response):
        # A redirect has no body.
        if response.request.resource_type != "image" and not 300 <= response.status < 400:
            weight["bytes"] += len(response.body())

    page.on("response", count)
    return weight


def test_a_buyer_finds_a_product_on_a_phone_and_verifies_it(
    shelf, live_server, browser, artifacts_dir
):
    _world, red = shelf
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    weight = weigh(page)
    page.goto(f"{live_server.url}/catalogue/")
    assert weight["bytes"] < PAGE_BUDGET, weight

    # Without tone marks, in capitals: both pomelos.
    page.get_by_role("searchbox", name="Tìm kiếm").fill("BUOI TAN LAC")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_test_id("result-count")).to_have_text("2 sản phẩm")
    expect(page.get_by_test_id("catalogue-card")).to_have_count(2)

    # Filters to 4★: the red one only; the words typed are kept.
    page.get_by_test_id("catalogue-filters").locator("summary").click()
    page.get_by_label("4★").check()
    page.get_by_test_id("apply-filters").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 sản phẩm")
    expect(page.get_by_role("searchbox", name="Tìm kiếm")).to_have_value("BUOI TAN LAC")
    expect(page.get_by_test_id("chosen-count")).to_have_text("1")

    # The product's page: its photo, stars, producer, certificate standing.
    weight["bytes"] = 0
    page.get_by_role("link", name="Bưởi đỏ Tân Lạc").click()
    expect(page.get_by_test_id("product-name")).to_have_text("Bưởi đỏ Tân Lạc")
    expect(page.get_by_test_id("stars")).to_have_text("4 sao")
    expect(page.get_by_test_id("status")).to_contain_text("Còn hiệu lực")
    expect(page.get_by_test_id("product-photo")).to_be_visible()
    assert weight["bytes"] < PAGE_BUDGET, weight
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a 390 px phone"
    page.screenshot(path=artifacts_dir / "catalogue-product-phone.png", full_page=True)

    # Where to buy it: the shop with its hours and a phone to call, the Shopee page.
    where = page.get_by_test_id("where-to-buy")
    expect(where).to_contain_text("Cửa hàng HTX Tân Lạc")
    expect(where).to_contain_text("7:00–18:00 hằng ngày")
    expect(where.get_by_test_id("place-phone")).to_have_attribute("href", "tel:0912345678")
    expect(where.get_by_role("link", name="HTX Tân Lạc trên Shopee")).to_have_attribute(
        "href", "https://shopee.vn/htx-tan-lac"
    )

    # The verification link: the certificate stands.
    page.get_by_test_id("verify-link").click()
    expect(page.get_by_test_id("number")).to_have_text(red.number)
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "valid")
    context.close()
