"""Production: everything secret or host-specific comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, VAR_DIR, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
# base.py falls back to an SQLite file for the demo; a province's registry never does.
if not os.environ.get("DATABASE_URL", "").strip():
    raise ImproperlyConfigured(
        "DATABASE_URL must be set in the environment (postgres://user:password@host:5432/ocop)."
    )

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
OCOP_ALLOW_DEMO_SEED = False
# The open data's rate limit counts in the default cache, which gunicorn's workers must
# share (each would count alone in its own memory, letting workers × the rate through): a
# file cache on this machine by default (OCOP_CACHE_DIR). Several app servers need a cache
# they all reach: Redis (django.core.cache.backends.redis.RedisCache, with the `redis`
# package) or Memcached, named here in CACHES (decision 0029).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("OCOP_CACHE_DIR", str(VAR_DIR / "cache")),
        # One counter per client address: the default 300 entries would cull counters (and
        # weaken the limit) as soon as 300 addresses asked within a minute.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
