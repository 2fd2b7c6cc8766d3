"""Settings for the load check (scripts/load-check): the benchmark's (production's, see
bench/settings.py) with the session and CSRF cookies allowed over plain HTTP, since the
check logs in on loopback with no TLS proxy in front. Nothing else changes."""

from bench.settings import *  # noqa: F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The check runs on the demo's data (its accounts and published password) on a throwaway
# database.
OCOP_ALLOW_DEMO_SEED = True
# No SMTP server here: the mails are written as files beside the check's data.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},  # noqa: F405
    }
}
