import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from ocop.core.models import User
from tests.factories import TEST_PASSWORD


@pytest.fixture
def login(live_server, page: Page):
    """Log in through the login form, as a user does, and land on the desk."""

    def _login(username: str, password: str = TEST_PASSWORD) -> Page:
        page.goto(f"{live_server.url}/account/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_test_id("login-submit").click()
        page.wait_for_url(f"{live_server.url}/desk/")
        return page

    return _login


@pytest.fixture
def switch_user(live_server, page: Page):
    """Go on with the journey as another account: the browser drops its cookies and gets a
    session of that account (Django's own `force_login`), then opens the desk.

    For the many hand-overs of a journey (a council's members one after another), where the
    login form would add four steps each and prove nothing new: each journey logs in through
    the form at least once, and tests/browser/test_navigation.py logs every role in through
    it."""

    def _switch(username: str) -> Page:
        client = Client()
        client.force_login(User.objects.get(username=username))
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        page.goto(f"{live_server.url}/desk/")
        assert page.url == f"{live_server.url}/desk/"  # not sent back to the login page
        return page

    return _switch


@pytest.fixture(autouse=True)
def _accept_confirmations(page: Page):
    """Irreversible steps ask once (data-confirm): the journeys say yes; the dialogs' texts
    are kept for the tests that read them."""
    asked = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return asked


@pytest.fixture(autouse=True)
def _short_timeouts(page: Page):
    # A step that takes 10 s on a local server has failed; don't wait 30.
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
