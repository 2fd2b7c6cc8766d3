"""Request each main page on the demo database (SQLite) as each demo account."""

import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings.dev")
django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from ocop.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD  # noqa: E402

setup_test_environment()
PUBLIC = ["/", "/account/login/", "/account/password_reset/", "/criteria/", "/register/"]
PRIVATE = [
    "/desk/",
    "/account/profile/",
    "/units/",
    "/audit/",
    "/admin/",
    "/producer/",
    "/producers/",
    "/rounds/",
    "/dossiers/",
    "/inbox/",
    "/criteria/148-2023/1/",
]
failures = []
checked = 0
anonymous = Client()
for url in PUBLIC:
    checked += 1
    status = anonymous.get(url).status_code
    if status != 200:
        failures.append(f"anonymous {url}: {status}")
for account in DEMO_ACCOUNTS:
    client = Client()
    if not client.login(username=account.username, password=DEMO_PASSWORD):
        failures.append(f"{account.username}: cannot log in")
        continue
    for url in PUBLIC + PRIVATE:
        checked += 1
        status = client.get(url).status_code
        # A page the role may not open answers 404 (or the admin's login redirect): fine.
        if status >= 500:
            failures.append(f"{account.username} {url}: {status}")
print(f"smoke: {checked} page requests, failures: {len(failures)}")
for failure in failures:
    print("  " + failure)
sys.exit(1 if failures else 0)
