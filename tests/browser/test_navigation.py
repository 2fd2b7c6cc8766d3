"""A real Chromium against the live server: each role logs in, sees its menu, switches
language and logs out."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy
from playwright.sync_api import Page, expect

from ocop.core.enums import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The products app's entries, in whatever Vietnamese the catalogue gives them.
MY_PRODUCER = gettext_lazy("My producer")
PRODUCERS = gettext_lazy("Producers")
PRODUCT_CHANGES = gettext_lazy("Product changes")
# The OCOP office of a province of today's map, and the administrators; the fixtures'
# province officer works for Hòa Bình, on the old map, and has none.
OUTLETS = gettext_lazy("OCOP points of sale and fairs")
# The evaluations app's entries.
MY_DOSSIERS = gettext_lazy("My dossiers")
INBOX = gettext_lazy("Dossier inbox")
ROUNDS = gettext_lazy("Rounds")

COUNCILS = gettext_lazy("Councils")
CERTIFICATES = gettext_lazy("Certificates")
MY_CERTIFICATES = gettext_lazy("My certificates")
DECISIONS = pgettext_lazy("menu", "Decisions")
POTENTIAL = pgettext_lazy("menu", "Potential list")
FUNNEL = gettext_lazy("Funnel of the year")
PROGRESS = gettext_lazy("Progress of the round")
YEARS = gettext_lazy("OCOP results by year")
INSPECTION_PLAN = gettext_lazy("Inspection plan")
FOLLOWUP_REPORT = gettext_lazy("Follow-up report")
IMPORT = gettext_lazy("Import published results")
VERIFY = gettext_lazy("Verify a certificate")
CATALOGUE = gettext_lazy("OCOP products")
MORE = gettext_lazy("More")
# The office's and administrators' list of background tasks that failed (decision 0031).
FAILED_TASKS = gettext_lazy("Failed tasks")
# Signed in, the public reference pages open the "More" dropdown.
REFERENCE = [CATALOGUE, "Phiếu đánh giá", VERIFY]

# The menu each role sees (Vietnamese labels, in order); what follows "More" is in its
# dropdown. Signed in, the brand leads home: the menu keeps its room for the work, and the
# office's daily pages (decisions, the potential list) are in it.
EXPECTED_MENU = {
    Role.PRODUCER_MEMBER: [
        "Bàn làm việc",
        MY_PRODUCER,
        MY_DOSSIERS,
        MY_CERTIFICATES,
        MORE,
        *REFERENCE,
    ],
    Role.COMMUNE_OFFICER: [
        "Bàn làm việc",
        PRODUCERS,
        INBOX,
        COUNCILS,
        CERTIFICATES,
        DECISIONS,
        MORE,
        *REFERENCE,
        "Đơn vị hành chính",
    ],
    Role.DISTRICT_OFFICER: [
        "Bàn làm việc",
        PRODUCERS,
        INBOX,
        COUNCILS,
        CERTIFICATES,
        DECISIONS,
        MORE,
        *REFERENCE,
        "Đơn vị hành chính",
    ],
    Role.PROVINCE_OFFICER: [
        "Bàn làm việc",
        PRODUCERS,
        INBOX,
        ROUNDS,
        COUNCILS,
        CERTIFICATES,
        DECISIONS,
        POTENTIAL,
        MORE,
        *REFERENCE,
        "Đơn vị hành chính",
        "Nhật ký hệ thống",
        FAILED_TASKS,
        PRODUCT_CHANGES,
        PROGRESS,
        FUNNEL,
        YEARS,
        INSPECTION_PLAN,
        FOLLOWUP_REPORT,
        IMPORT,
    ],
    Role.ADMINISTRATOR: [
        "Bàn làm việc",
        COUNCILS,
        MORE,
        *REFERENCE,
        "Đơn vị hành chính",
        "Nhật ký hệ thống",
        "Yêu cầu về dữ liệu cá nhân",
        FAILED_TASKS,
        OUTLETS,
        IMPORT,
        "Quản trị",
    ],
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_menu_switches_language_and_logs_out(
    role, role_users, login, live_server, page: Page
):
    user = role_users[role]
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    login(user.username)

    nav = page.get_by_test_id("nav").locator("a")
    with translation.override("vi"):
        expected = [str(label) for label in EXPECTED_MENU[role]]
    expect(nav).to_have_text(expected)
    expect(page.get_by_test_id("role")).to_have_text([str(role.label)])

    # The language, the account and logging out are in the account menu.
    page.get_by_test_id("account-toggle").click()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav.first).to_have_text("My desk")
    page.get_by_test_id("account-toggle").click()
    expect(page.get_by_test_id("logout")).to_have_text("Log out")

    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.get_by_test_id("account-toggle").click()
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login")).to_be_visible()
    assert console_errors == []


def test_dependent_address_selects_follow_the_chosen_province(
    role_users, units, login, live_server, page: Page
):
    login(role_users[Role.PROVINCE_OFFICER].username)
    page.locator("[data-nav-more]").click()
    page.get_by_test_id("nav").get_by_text("Đơn vị hành chính").click()
    # Today's map: province → commune, no district; a commune lists the old ones it took in.
    page.get_by_test_id("unit-schemes").get_by_text("Hai cấp").click()
    expect(page.get_by_label("Huyện")).to_have_count(0)
    page.get_by_label("Tỉnh").select_option(label="Tỉnh Phú Thọ")
    expect(page.get_by_label("Xã").locator("option")).to_have_text(
        ["---------", "Xã Đà Bắc", "Xã Tân Lạc"]  # official code order: 04831, 05128
    )
    page.get_by_label("Xã").select_option(label="Xã Tân Lạc")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("unit-name")).to_have_text("Xã Tân Lạc, Tỉnh Phú Thọ")
    page.get_by_test_id("unit-before").locator("summary").click()
    expect(page.get_by_test_id("unit-before")).to_contain_text("Thị trấn Mãn Đức")

    # The old map, as its records name it.
    page.get_by_test_id("unit-schemes").get_by_text("Ba cấp").click()
    page.get_by_label("Tỉnh").select_option(label="Tỉnh Hoà Bình")
    expect(page.get_by_label("Huyện").locator("option")).to_have_text(
        ["---------", "Huyện Đà Bắc", "Huyện Tân Lạc"]  # official code order: 150, 155
    )
    page.get_by_label("Huyện").select_option(label="Huyện Tân Lạc")
    expect(page.get_by_label("Xã").locator("option")).to_have_text(
        ["---------", "Thị trấn Mãn Đức"]
    )
    page.get_by_role("button", name="Xem").click()

    expect(page.get_by_test_id("unit-name")).to_have_text("Huyện Tân Lạc, Tỉnh Hoà Bình")
    expect(page.get_by_test_id("unit-children")).to_contain_text("Thị trấn Mãn Đức")
    expect(page.get_by_test_id("unit-now")).to_contain_text("Tỉnh Phú Thọ")


@pytest.mark.parametrize("width", [390, 1280])
def test_home_page_screenshot(width, live_server, page: Page, artifacts_dir):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Hệ thống quản lý sản phẩm OCOP")
    page.screenshot(path=artifacts_dir / f"home-{width}.png", full_page=True)
    # Nothing may overflow sideways on a phone.
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width


def test_pages_make_no_external_requests_and_break_no_csp_rule(
    role_users, login, live_server, page: Page
):
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )

    login(role_users[Role.ADMINISTRATOR].username)
    for path in ["/", "/criteria/", "/units/", "/audit/", "/account/profile/", "/admin/"]:
        page.goto(live_server.url + path)
    page.goto(live_server.url + "/admin/core/user/add/")
    expect(page.locator("#id_jurisdiction")).to_be_attached()

    external = [url for url in requests if not url.startswith(live_server.url)]
    assert external == []
    assert problems == []
