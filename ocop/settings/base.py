"""Settings shared by every environment. Everything that differs comes from the environment.

Environment variables (all optional except where a settings module says otherwise):
- DATABASE_URL: e.g. postgres://user:pass@host:5432/ocop (default: SQLite in var/)
- SECRET_KEY, ALLOWED_HOSTS (comma-separated), CSRF_TRUSTED_ORIGINS (comma-separated)
- mail: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
  EMAIL_USE_TLS, DEFAULT_FROM_EMAIL, EMAIL_BACKEND
- MEDIA_ROOT (private uploads, never served directly), STATIC_ROOT
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("OCOP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks_db",
    "ocop.core",
    "products",
    "evaluations",
    "ocop.demo",
]

MIDDLEWARE = [
    # First: the scope in which public views may read from a replica (ocop.core.db_router).
    "ocop.core.middleware.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ocop.core.middleware.LanguageMiddleware",
    # Before anything reads the body (CSRF reads POST): a 413 for a request past the cap.
    "ocop.core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ocop.core.middleware.PdfUnavailableMiddleware",
    # Last: turns a login refused by django-axes into the login page with the lockout message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ocop.urls"
WSGI_APPLICATION = "ocop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ocop.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'ocop.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses logins while an account or an address is locked out (django-axes).
    "ocop.core.backends.LoginThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "home"
# Login throttling (django-axes, issue 10): after AXES_FAILURE_LIMIT failed logins for one
# account, or from one address, logins for it are refused for AXES_COOLOFF_TIME (HTTP 429 and
# the login page with the reason). A success resets the account's count; an administrator can
# unlock earlier (admin: users or login attempts, recorded in the audit log). Successful logins
# are not logged by axes (data minimisation, docs/privacy.md). Addresses are read as the open
# data's rate limit reads them (ocop.core.opendata.login_address): REMOTE_ADDR, or behind
# OCOP_TRUSTED_PROXIES proxies (nginx, a load balancer) the address the outermost one saw;
# otherwise every client would share the proxy's address, and its lockouts.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "ocop.core.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "ocop.core.opendata.login_address"
# Password-reset mails: at most this many per account (so per address) in this window; more
# requests get the same answer and no mail.
OCOP_PASSWORD_RESET_LIMIT = 3
OCOP_PASSWORD_RESET_WINDOW = timedelta(hours=1)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date formats where Django's read ambiguously (ocop/formats/en: "3 Dec 2026").
FORMAT_MODULE_PATH = ["ocop.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    # Uploads are private: MEDIA_ROOT is never exposed by a URL; files are streamed by views
    # that check permissions first.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "private"))
# No URL serves MEDIA_ROOT (uploads are private); this value only has to be a path, because
# Django's test live server mounts MEDIA_ROOT under it.
MEDIA_URL = "/_private/"
FILE_UPLOAD_PERMISSIONS = 0o640
# Office files (ZIP archives) are refused past these limits, zip bombs included
# (ocop.core.uploads.check_archive): parts, size unpacked, compression ratio of a part.
OCOP_ARCHIVE_MAX_ENTRIES = 1000
OCOP_ARCHIVE_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
OCOP_ARCHIVE_MAX_RATIO = 100
# Request bodies: the largest upload accepted (an evidence document, products.services.documents)
# plus a margin for the form's other fields; a larger request is refused with a 413 before it
# is read (ocop.core.middleware.RequestBodyLimitMiddleware). Keep nginx's client_max_body_size
# at least this large (README, Production). Form fields other than files: at most
# DATA_UPLOAD_MAX_MEMORY_SIZE; a file larger than FILE_UPLOAD_MAX_MEMORY_SIZE is streamed to a
# temporary file instead of memory.
OCOP_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
OCOP_MAX_REQUEST_BYTES = OCOP_MAX_UPLOAD_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Outgoing mail (Django 6.1 MAILERS). SMTP by default; EMAIL_BACKEND may name another backend.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS"),
            "timeout": 20,
        },
    }
}
# Background tasks (Django's tasks framework, decision 0031): mail, the daily lifecycle and
# reminders, batches of PDFs. The queue is a table of this database (django-tasks-db), run by
# `manage.py db_worker` (`make demo` starts one beside the server; README, Production).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OCOP <no-reply@ocop.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Content Security Policy (Django's built-in middleware): no inline scripts or styles, no
# third-party origins. Every asset is served by the app itself.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    # Every script is a file of ours: no nonce, so a public page is the same for everyone and
    # is kept whole in the cache (decision 0033).
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# OCOP domain configuration that is not per-object data.
OCOP_DEMO_PROVINCE_CODE = "17"  # Hòa Bình, pre-2025 scheme

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# The demo's outbox (ocop/demo/mail.py): a directory of kept mail, shown to administrators at
# /demo/outbox/. None outside the demo settings, where the page answers 404.
OCOP_DEMO_OUTBOX_DIR = None
# Certificates (issue 6): how long one is valid, when "expiring" starts, and its number:
# a format string over {province} (official code), {year} and {sequence} (per province and
# year, from 1).
OCOP_CERTIFICATE_VALID_MONTHS = 36
OCOP_CERTIFICATE_EXPIRING_MONTHS = 6
OCOP_CERTIFICATE_NUMBER_FORMAT = "OCOP-{province}-{year}-{sequence:04d}"
# Follow-up after certification (issue 14): the producer's yearly self-report is due on each
# anniversary of the certificate; reminders go out these many days before it (the first one
# also opens the report on the producer's desk); the office hears of a missed report once, up to
# OCOP_SELF_REPORT_MISSED_NOTICE_DAYS after its due date (older ones are not announced: the
# plan and the report list them). The risk weights rank the certificates proposed for the
# year's inspection plan (evaluations.followup.risk).
OCOP_SELF_REPORT_REMINDER_DAYS = (30, 7)
OCOP_SELF_REPORT_MISSED_NOTICE_DAYS = 30
OCOP_FOLLOWUP_RISK_WEIGHTS = {
    "propose_revocation": 5,
    "warning": 3,
    "missed_self_report": 3,
    "late_self_report": 1,
    "never_inspected": 2,
    "expiring": 2,
}
OCOP_SITE_URL = os.environ.get("OCOP_SITE_URL", "http://127.0.0.1:8000")
# Open data (the API at /api/v1/ and the downloads under /open-data/, decision 0029): at most
# OCOP_OPEN_DATA_RATE requests from one client address ("120/m": a count per second, minute,
# hour or day; None: no limit), counted in the cache RATELIMIT_USE_CACHE; past it a 429 with
# Retry-After. Successful answers may be kept OCOP_OPEN_DATA_MAX_AGE seconds (Cache-Control)
# and carry an ETag. The client address is REMOTE_ADDR; behind reverse proxies that append
# the address they saw to X-Forwarded-For, set OCOP_TRUSTED_PROXIES to their number (1 for
# one nginx) or every client shares the proxy's address and its budget.
OCOP_OPEN_DATA_RATE = os.environ.get("OCOP_OPEN_DATA_RATE", "120/m") or None
OCOP_OPEN_DATA_MAX_AGE = 300
OCOP_TRUSTED_PROXIES = int(os.environ.get("OCOP_TRUSTED_PROXIES", "0"))
# The cache (decision 0033): whole public pages for anonymous visitors (ocop.core.public_cache)
# and the open data's rate-limit counters (django-ratelimit). It must be shared by every
# process that serves the site, since the register's version is read from it: a file cache
# under OCOP_CACHE_DIR (default var/cache) for the demo and one machine's workers;
# production may name Redis or Memcached instead (OCOP_CACHE_URL, ocop/settings/production.py).
# If the cache fails, the rate limit lets requests through rather than refusing them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("OCOP_CACHE_DIR", str(VAR_DIR / "cache")),
        # Pages and one counter per client address: the default 300 entries would cull
        # (the file cache drops a third of its files at random) far too often.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
# Anonymous public pages: how long browsers and proxies may keep one (seconds), and how long
# the server's cache keeps one at most (a register change or midnight replaces it sooner).
OCOP_PUBLIC_PAGE_MAX_AGE = 60
OCOP_PUBLIC_PAGE_CACHE_TIMEOUT = 3600
# A page read from a read replica (docs/scaling.md), which may be a moment behind the last
# change, is kept only this long (ocop.core.public_cache._keep).
OCOP_REPLICA_PAGE_CACHE_TIMEOUT = int(os.environ.get("OCOP_REPLICA_PAGE_CACHE_TIMEOUT", "30"))
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
