"""Without JavaScript (an old phone, a script blocked), the phone menu is open and a
cooperative can still register: it chooses its province first, and the form lists that
province's communes (issue 13)."""

import pytest
from playwright.sync_api import Browser, expect

from products.models import Producer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-HTX-2026"


@pytest.fixture
def no_js_page(browser: Browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 390, "height": 844}, locale="vi-VN"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_cooperative_registers_on_a_phone_without_javascript(
    units, live_server, no_js_page, artifacts_dir
):
    page = no_js_page
    page.goto(live_server.url + "/")
    # The menu's entries and the calls to action are there without the menu button.
    expect(page.locator(".navbar-toggler")).to_be_hidden()
    expect(page.locator('[data-nav="verify_search"]')).to_be_visible()
    expect(page.get_by_test_id("cta-verify")).to_be_visible()
    page.locator('[data-nav="register"]').click()

    province_first = page.get_by_test_id("register-province-first")
    expect(province_first).to_be_visible()
    province_first.locator("select").select_option(str(units["new_province"].pk))
    province_first.get_by_role("button").click()
    expect(page.locator("[name=commune] option")).to_have_count(3)
    page.screenshot(path=artifacts_dir / "no-js-register-390.png", full_page=True)

    form = page.get_by_test_id("register-form")
    form.locator("[name=last_name]").fill("Bùi Thị")
    form.locator("[name=first_name]").fill("Lan")
    form.locator("[name=username]").fill("htxmanduc")
    form.locator("[name=account_email]").fill("lan@htxmanduc.vn")
    form.locator("[name=password1]").fill(PASSWORD)
    form.locator("[name=password2]").fill(PASSWORD)
    form.locator("[name=kind]").select_option("cooperative")
    form.locator("[name=name]").fill("HTX Nông nghiệp Mãn Đức")
    form.locator("[name=registration_no]").fill("5400123456")
    form.locator("[name=tax_code]").fill("5400123456")
    form.locator("[name=representative_name]").fill("Bùi Thị Lan")
    form.locator("[name=representative_title]").fill("Giám đốc")
    form.locator("[name=representative_gender][value=female]").check()
    expect(form.locator("[name=province]")).to_have_value(str(units["new_province"].pk))
    form.locator("[name=commune]").select_option(str(units["new_commune"].pk))
    form.locator("[name=address_detail]").fill("Xóm Đồi")
    form.locator("[name=phone]").fill("0912345678")
    page.get_by_test_id("register-submit").click()

    page.wait_for_url(f"{live_server.url}/producer/")
    producer = Producer.objects.get()
    assert producer.address_unit == units["new_commune"]
    assert producer.name == "HTX Nông nghiệp Mãn Đức"
