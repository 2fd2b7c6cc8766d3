import pytest
from playwright.sync_api import Page

from tests.factories import TEST_PASSWORD


@pytest.fixture
def login(live_server, page: Page):
    def _login(username: str, password: str = TEST_PASSWORD) -> Page:
        page.goto(f"{live_server.url}/account/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_test_id("login-submit").click()
        page.wait_for_url(f"{live_server.url}/desk/")
        return page

    return _login


@pytest.fixture(autouse=True)
def _short_timeouts(page: Page):
    # A step that takes 10 s on a local server has failed; don't wait 30.
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
