"""Production: everything secret or host-specific comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

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
# The cache (ocop/settings/base.py, decision 0033) holds the public pages, the register's
# version that invalidates them, and the open data's rate-limit counters: gunicorn's workers
# must share it (each would otherwise count alone, and keep pages of a register another worker
# changed). By default a file cache on this machine (OCOP_CACHE_DIR, as in base.py). Several
# app servers need a cache they all reach, named by OCOP_CACHE_URL:
#   redis://host:6379/0 (or rediss://, unix://): Django's RedisCache, needs `pip install redis`;
#   memcached://host:11211: Django's PyMemcacheCache, needs `pip install pymemcache`.
_cache_url = os.environ.get("OCOP_CACHE_URL", "").strip()
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url.startswith("memcached://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
            "LOCATION": _cache_url.removeprefix("memcached://"),
        }
    }
elif _cache_url:
    raise ImproperlyConfigured(
        "OCOP_CACHE_URL must start with redis://, rediss://, unix:// or memcached:// "
        "(or be empty for the file cache in OCOP_CACHE_DIR)."
    )
