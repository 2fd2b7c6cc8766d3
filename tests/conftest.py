import datetime
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import hoa_binh_units, role_users_of
from tests.fixtures.clock import on_day

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the
# same thread are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Shared fixtures, as plugins (tests/fixtures/).
pytest_plugins = ["tests.fixtures.reference", "tests.fixtures.ordering", "tests.fixtures.tasks"]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


# --- the project's clock in tests ---------------------------------------------------------
# Every date rule reads "today" from Django's clock (timezone.localdate / timezone.now).
# `--today=YYYY-MM-DD` (or OCOP_TODAY) moves that clock, and Python's, to 10:00 in the
# project's time zone on that day for the whole run, ticking on from there, so that the
# suite can be run as if on a 31st, a 29 February or a 1 January (.ci/run does).
def pytest_addoption(parser):
    parser.addoption(
        "--today",
        default=os.environ.get("OCOP_TODAY") or None,
        help="run the suite as if today were this day (YYYY-MM-DD); also OCOP_TODAY",
    )


def pytest_configure(config):
    day = config.getoption("--today")
    if not day:
        return
    try:
        today = datetime.date.fromisoformat(day)
    except ValueError as error:
        raise pytest.UsageError(f"--today wants a date as YYYY-MM-DD, not {day!r}") from error
    from django.conf import settings

    moment = datetime.datetime.combine(
        today, datetime.time(10, 0), tzinfo=ZoneInfo(settings.TIME_ZONE)
    )
    config._ocop_clock = time_machine.travel(moment, tick=True)
    config._ocop_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_ocop_clock", None)
    if clock is not None:
        clock.stop()


# Date-sensitive tests (`@pytest.mark.dates`, or `pytestmark` in a module) run once as on
# the run's day and once on each of these, the clock moved for that test alone: a 31st whose
# day 6 months on is a 29 February, a 29 February, and a 1 January.
FIXED_DAYS = (datetime.date(2027, 8, 31), datetime.date(2028, 2, 29), datetime.date(2029, 1, 1))


def pytest_generate_tests(metafunc):
    # The day is a module-scoped parameter: pytest runs a module's tests of one day together,
    # so data shared by a module's tests (tests/fixtures/results_world.py) is built once per
    # day, on that day, rather than by each test.
    if metafunc.definition.get_closest_marker("dates"):
        metafunc.parametrize(
            "clock_day",
            [None, *FIXED_DAYS],
            ids=["run-day", *(day.isoformat() for day in FIXED_DAYS)],
            indirect=True,
            scope="module",
        )


@pytest.fixture(scope="module")
def clock_day(request) -> datetime.date | None:
    """The day this group of a module's `dates` tests runs as (None: the run's own day). It
    does not move the clock itself: `ocop_day` does, for each test, and `on_day` for shared
    data built before the tests."""
    return getattr(request, "param", None)


@pytest.fixture(autouse=True)
def ocop_day(clock_day):
    """The day a `dates` test runs as (None: the run's own day). Autouse, so the clock moves
    before the test's other fixtures build their objects "today"."""
    day = clock_day
    with on_day(day):
        yield day


def pytest_report_header(config):
    day = config.getoption("--today")
    return [f"today: {day} (set by --today / OCOP_TODAY)"] if day else []


@pytest.fixture(autouse=True)
def empty_cache(_cache_directory):
    """Each test starts with an empty cache: no page kept by another test (decision 0033)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def _cache_directory():
    """The test process's cache directory (ocop/settings/test.py), removed at the end."""
    from django.conf import settings

    yield
    location = settings.CACHES["default"].get("LOCATION")
    if location and "ocop-test-cache-" in str(location):
        shutil.rmtree(location, ignore_errors=True)


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
    return role_users_of(units)
