"""An administrator corrects an unverified official form until it validates."""

import pytest
from playwright.sync_api import Page, expect

from evaluations.criteria.services import criteria_import
from evaluations.models import Option, ScoringForm
from ocop.core.enums import Role
from tests.browser.test_producer_registration import open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrator_corrects_form_07_until_it_validates(
    role_users, login, live_server, page: Page, artifacts_dir
):
    criteria_import()
    best = Option.objects.filter(
        criterion__group__part__form__product_set__number=7,
        criterion__label__startswith="d) Mùi",
    ).order_by("-order")[0]
    login(role_users[Role.ADMINISTRATOR].username)

    open_menu_item(page, "criteria")
    page.get_by_role("link", name="7. Chế biến từ rau, củ, quả, hạt").click()
    expect(page.get_by_test_id("unverified")).to_be_visible()
    page.get_by_role("link", name="Sửa phiếu").click()
    expect(page.get_by_test_id("defect")).to_have_count(1)
    expect(page.get_by_test_id("defect")).to_contain_text("d) Mùi")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=artifacts_dir / "criteria-correct-1280.png")

    points = page.get_by_label(f"Điểm {best.key}", exact=True)
    points.fill("2")  # still wrong: the live check keeps the defect
    expect(page.get_by_test_id("defect")).to_have_count(1)
    points.fill("4")
    expect(page.get_by_test_id("valid")).to_be_visible()
    page.get_by_test_id("save").click()

    expect(page.locator(".alert-success")).to_contain_text("có thể dùng để chấm điểm")
    form = ScoringForm.objects.get(product_set__number=7, is_current=True)
    assert form.status == "verified"
    page.get_by_role("link", name="Quay lại phiếu").click()
    expect(page.get_by_test_id("unverified")).to_have_count(0)


@pytest.mark.parametrize("width", [390, 1280])
def test_form_page_screenshot(width, live_server, page: Page, artifacts_dir):
    criteria_import()
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"{live_server.url}/criteria/148-2023/1/")

    expect(page.get_by_test_id("form-title")).to_contain_text("Rau, củ, quả, hạt tươi")
    page.screenshot(path=artifacts_dir / f"criteria-form-{width}.png", full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
