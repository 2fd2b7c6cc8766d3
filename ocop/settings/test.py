"""Test settings: PostgreSQL from DATABASE_URL (started by `make test`), locmem mail."""

import os
import tempfile

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

# The suite runs on PostgreSQL. The tests marked `sqlite` (search, which each backend
# does its own way) also run on the demo's embedded database with OCOP_TEST_SQLITE=1
# (scripts/smoke-sqlite, from `make smoke`).
if os.environ.get("OCOP_TEST_SQLITE") == "1":
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
elif not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    raise ImproperlyConfigured(
        "The test suite runs on PostgreSQL: use `make test`, which starts a throwaway "
        "cluster, or set DATABASE_URL to a PostgreSQL server you can create databases on."
    )
else:
    # A second alias on the same test database, for the read replica's tests
    # (tests/evaluations/certificates/test_replica_reads.py): no router sends anything to it
    # unless a test installs ocop.core.db_router.ReplicaRouter, and a test may only use it
    # if it names it in `databases`. Its own connection sees only committed rows, as a
    # replica does: those tests run with transaction=True.
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}

DEBUG = False
SECRET_KEY = "test-only-not-secret-" + "x" * 40
ALLOWED_HOSTS = ["*"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks: the same database backend as the demo and production (base.TASKS), on purpose, not
# Django's ImmediateBackend: a request only writes task rows, and tests that look at mail run
# the real worker over them (`run_tasks` in tests/fixtures/tasks.py: `db_worker --batch`).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Manifest storage needs collectstatic; tests serve plain files through the finders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", "/tmp/ocop-test-media")  # noqa: S108
OCOP_ALLOW_DEMO_SEED = True
# Login throttling stays on: its tests log in through the login page (which passes the
# request). The test client's login() passes none and is let through by
# ocop.core.backends.LoginThrottleBackend; force_login() never authenticates.
AXES_ENABLED = True
# No rate limit on the open data, except in the tests of the limit (override_settings).
OCOP_OPEN_DATA_RATE = None
# A real, shared cache as in production (decision 0033): a file cache, one directory per test
# process (pytest-xdist's workers each test against their own database), emptied before
# every test (tests/conftest.py, `empty_cache`).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.path.join(
            tempfile.gettempdir(),
            f"ocop-test-cache-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}",
        ),
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
