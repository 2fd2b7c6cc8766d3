import os
from pathlib import Path

import pytest

from ocop.core.enums import Role
from tests.factories import hoa_binh_units, user_with_role

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# same thread are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def units(db):
    return hoa_binh_units()


@pytest.fixture
def role_users(units):
    """One account per role, officers with a jurisdiction of their level."""
    return {
        Role.PRODUCER_MEMBER: user_with_role(Role.PRODUCER_MEMBER, username="producer"),
        Role.COMMUNE_OFFICER: user_with_role(
            Role.COMMUNE_OFFICER, units["commune"], username="commune"
        ),
        Role.DISTRICT_OFFICER: user_with_role(
            Role.DISTRICT_OFFICER, units["district"], username="district"
        ),
        Role.PROVINCE_OFFICER: user_with_role(
            Role.PROVINCE_OFFICER, units["province"], username="province"
        ),
        Role.ADMINISTRATOR: user_with_role(Role.ADMINISTRATOR, username="admin"),
    }
