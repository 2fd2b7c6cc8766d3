"""Local development and `make demo`: embedded SQLite, mail kept in var/mail/."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env_list

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
# Mail is kept as files under var/mail/ (one line each in the terminal) and read at
# /demo/outbox/; EMAIL_BACKEND names another backend instead.
OCOP_DEMO_OUTBOX_DIR = VAR_DIR / "mail"
MAILERS = {
    "default": (
        {"BACKEND": os.environ["EMAIL_BACKEND"]}
        if os.environ.get("EMAIL_BACKEND")
        else {
            "BACKEND": "ocop.demo.mail.OutboxEmailBackend",
            "OPTIONS": {"directory": str(OCOP_DEMO_OUTBOX_DIR)},
        }
    )
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VAR_DIR.mkdir(exist_ok=True)
OCOP_ALLOW_DEMO_SEED = True
# Public pages are kept in the cache as in production (decision 0033), but only for seconds
# while DEBUG is on: a template being edited shows on the next reload but one.
if DEBUG:
    OCOP_PUBLIC_PAGE_CACHE_TIMEOUT = 10
