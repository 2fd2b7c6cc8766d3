"""Production: everything secret or host-specific comes from the environment.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL).
Past one machine (docs/scaling.md): OCOP_REPLICA_DATABASE_URL (a read replica for public
reads), OCOP_S3_BUCKET and its companions (uploads on S3-compatible storage), and a cache all
app servers share (CACHES).
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY, STORAGES, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
# base.py falls back to an SQLite file for the demo; a province's registry never does.
if not os.environ.get("DATABASE_URL", "").strip():
    raise ImproperlyConfigured(
        "DATABASE_URL must be set in the environment (postgres://user:password@host:5432/ocop)."
    )

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer checks /healthz/ over plain HTTP on each app server (docs/scaling.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
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
# A PostgreSQL read replica (streaming replication of DATABASE_URL's database): the public
# pages and the open data read the register from it; everything else, and every write, uses
# the primary (ocop.core.db_router, docs/scaling.md). Unset: one database.
if os.environ.get("OCOP_REPLICA_DATABASE_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["OCOP_REPLICA_DATABASE_URL"].strip(),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    # A replica that cannot be reached must fail fast (the page is then answered from the
    # primary), not hold the request until gunicorn's timeout: libpq waits forever by default.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", int(os.environ.get("OCOP_REPLICA_CONNECT_TIMEOUT", "3"))
    )
    DATABASE_ROUTERS = ["ocop.core.db_router.ReplicaRouter"]

# Uploads on S3-compatible object storage (MinIO in the province's data centre, or a cloud's
# S3) instead of MEDIA_ROOT, so that every app server reads the same files: set OCOP_S3_BUCKET
# (and OCOP_S3_ENDPOINT_URL for MinIO). Needs boto3: `pip install -r requirements-scaling.lock`
# (decision 0034). The credentials are boto3's own: AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY in the environment (or an instance role). The bucket stays private:
# files are streamed by the permission-checked views, never linked.
if os.environ.get("OCOP_S3_BUCKET", "").strip():
    STORAGES = {
        **STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ["OCOP_S3_BUCKET"].strip(),
                "endpoint_url": os.environ.get("OCOP_S3_ENDPOINT_URL", "").strip() or None,
                "region_name": os.environ.get("OCOP_S3_REGION", "").strip() or None,
                "location": os.environ.get("OCOP_S3_PREFIX", "").strip().strip("/"),
                # MinIO and most S3-compatible servers answer at endpoint/bucket/key.
                "addressing_style": os.environ.get("OCOP_S3_ADDRESSING_STYLE", "path"),
                # Two uploads of the same name (documents keep the name they were sent with)
                # must both be kept, as on the filesystem: never overwrite.
                "file_overwrite": False,
                "default_acl": None,
                "querystring_auth": True,
            },
        },
    }
