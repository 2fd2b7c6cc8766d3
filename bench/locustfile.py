"""The load check's users (locust): the public, people logging in, and a council member
scoring. Run by scripts/load-check against the demo data on gunicorn; see bench/README.md.

- Public (most users): the verification page and search, the catalogue with and without a
  search, a product's page, the open-data API (certificates and products), the open-data
  page. Certificate numbers and product ids are read from the API once at start.
- Login: the login page, a demo officer's login (a real POST with the CSRF token), the
  desk, log out.
- Scorer: the demo member who keeps a draft sheet logs in once, then opens the sheet and
  saves it again with the answers it shows (the real form POST, `save` button).

Every response must be 2xx or 3xx (locust counts anything else as a failure); the check
fails on any failure, 5xx first of all.
"""

import random
import re

from gevent.lock import Semaphore
from locust import HttpUser, between, task

PASSWORD = "ocop-demo-2026"  # ocop.demo.seed.DEMO_PASSWORD
OFFICERS = ("tinh.demo", "xa.demo", "huyen.demo", "htx.demo")
SCORER = "thanhvien2.tinh"  # keeps a draft sheet in the demo's open session
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SHEET = re.compile(r'href="(/sessions/\d+/items/\d+/sheet/)"')
CHECKED = re.compile(r'<input[^>]*type="radio"[^>]*name="([^"]+)"[^>]*value="([^"]+)"[^>]*checked')
WORDS = ("cam", "buoi", "che", "mat ong", "ruou", "ga doi", "tuong ot", "tho cam")

_numbers: list[str] = []
_products: list[int] = []
_setup = Semaphore()


def _csrf(text: str) -> str:
    found = CSRF.search(text)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def _submit(user: HttpUser, path: str, page, data: dict, name: str) -> None:
    """POST a form of `page` (a response) to `path`, as the browser does: with the page's
    CSRF token, and the page as referrer (Django checks it over HTTPS)."""
    user.client.post(
        path,
        data={"csrfmiddlewaretoken": _csrf(page.text), **data},
        headers={"Referer": page.url},
        name=name,
    )


def _login(user: HttpUser, username: str) -> None:
    page = user.client.get("/account/login/", name="login page")
    data = {"username": username, "password": PASSWORD}
    _submit(user, "/account/login/", page, data, "login (POST)")


class PublicUser(HttpUser):
    weight = 8
    wait_time = between(0.1, 0.5)

    def on_start(self):
        with _setup:  # the first user reads them; the others wait for it
            if _numbers:
                return
            data = self.client.get("/api/v1/certificates/", name="setup").json()
            _numbers.extend(item["number"] for item in data["results"])
            data = self.client.get("/api/v1/products/", name="setup").json()
            _products.extend(item["id"] for item in data["results"])

    @task(4)
    def verify(self):
        self.client.get(f"/verify/{random.choice(_numbers)}/", name="/verify/<number>/")

    @task(2)
    def verify_search(self):
        self.client.get(f"/verify/?number={random.choice(_numbers)}", name="/verify/?number=")

    @task(3)
    def catalogue(self):
        self.client.get("/catalogue/")

    @task(3)
    def catalogue_search(self):
        self.client.get(f"/catalogue/?q={random.choice(WORDS)}", name="/catalogue/?q=")

    @task(3)
    def product(self):
        self.client.get(
            f"/catalogue/products/{random.choice(_products)}/", name="/catalogue/products/<id>/"
        )

    @task(2)
    def api_certificates(self):
        self.client.get("/api/v1/certificates/")

    @task(2)
    def api_products(self):
        self.client.get("/api/v1/products/")

    @task(1)
    def open_data(self):
        self.client.get("/open-data/")


class LoginUser(HttpUser):
    # A login costs a password hash (PBKDF2, about half a CPU-second here): a few users
    # logging in again and again already load the server.
    weight = 1
    wait_time = between(2, 5)

    @task
    def login_and_desk(self):
        _login(self, random.choice(OFFICERS))
        desk = self.client.get("/desk/", name="/desk/")
        _submit(self, "/account/logout/", desk, {}, "logout (POST)")


class ScorerUser(HttpUser):
    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        _login(self, SCORER)
        found = SHEET.search(self.client.get("/desk/", name="/desk/").text)
        if not found:
            raise RuntimeError(f"{SCORER} has no sheet to score on the desk")
        self.sheet = found.group(1)

    @task
    def open_and_save(self):
        page = self.client.get(self.sheet, name="score sheet")
        data = {"save": "", **dict(CHECKED.findall(page.text))}
        _submit(self, self.sheet, page, data, "score sheet (save)")
