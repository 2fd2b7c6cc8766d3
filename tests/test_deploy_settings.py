import json
import subprocess

import pytest

from tests.production import production_env, run


def test_production_settings_pass_check_deploy():
    result = run("manage.py", "check", "--deploy", "--fail-level", "DEBUG", env=production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run("manage.py", "check", env=production_env(SECRET_KEY=""))

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_to_start_without_a_database_url():
    env = production_env()
    env.pop("DATABASE_URL")

    result = run("manage.py", "check", env=env)

    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def _production_cache(cache_url: str) -> subprocess.CompletedProcess:
    """The default cache production settings name with this OCOP_CACHE_URL (decision 0033)."""
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    )
    env = production_env(
        DATABASE_URL="postgres://ocop@127.0.0.1:5432/ocop",
        OCOP_CACHE_URL=cache_url,
        OCOP_CACHE_DIR="/srv/ocop/cache",
    )
    return run("-c", script, env=env)


@pytest.mark.parametrize(
    ("cache_url", "named"),
    [
        ("", "django.core.cache.backends.filebased.FileBasedCache /srv/ocop/cache"),
        (
            "redis://cache.internal:6379/0",
            "django.core.cache.backends.redis.RedisCache redis://cache.internal:6379/0",
        ),
        (
            "memcached://cache.internal:11211",
            "django.core.cache.backends.memcached.PyMemcacheCache cache.internal:11211",
        ),
    ],
)
def test_production_names_the_cache_its_workers_share(cache_url, named):
    result = _production_cache(cache_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == named


def test_production_refuses_a_cache_it_does_not_know():
    result = _production_cache("mongodb://cache.internal")

    assert result.returncode != 0
    assert "OCOP_CACHE_URL must start with" in result.stderr


# --- past one machine (docs/scaling.md, decision 0034) ---------------------------------------

PRINT_SETTINGS = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'databases': sorted(s.DATABASES), 'replica': s.DATABASES.get('replica'),"
    " 'routers': s.DATABASE_ROUTERS, 'storage': s.STORAGES['default'],"
    " 'cache': s.CACHES['default']['BACKEND']}, default=str))"
)


def _production_settings(**extra) -> dict:
    env = production_env(DATABASE_URL="postgres://ocop:secret@10.0.0.10:5432/ocop", **extra)
    result = run("-c", PRINT_SETTINGS, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_production_has_one_database_and_uploads_on_the_filesystem():
    configured = _production_settings()

    assert configured["databases"] == ["default"]
    assert configured["routers"] == []
    assert configured["storage"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert configured["cache"] == "django.core.cache.backends.filebased.FileBasedCache"


def test_a_replica_url_adds_the_replica_and_its_router():
    configured = _production_settings(
        OCOP_REPLICA_DATABASE_URL="postgres://ocop_ro:secret@10.0.0.11:5432/ocop"
    )

    assert configured["databases"] == ["default", "replica"]
    assert configured["routers"] == ["ocop.core.db_router.ReplicaRouter"]
    replica = configured["replica"]
    assert (replica["HOST"], replica["USER"], replica["NAME"]) == ("10.0.0.11", "ocop_ro", "ocop")
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert replica["OPTIONS"] == {"connect_timeout": 3}


def test_an_s3_bucket_puts_uploads_on_s3_compatible_storage():
    configured = _production_settings(
        OCOP_S3_BUCKET="ocop-uploads",
        OCOP_S3_ENDPOINT_URL="http://minio.ocop.internal:9000",
        OCOP_S3_PREFIX="/private/",
    )

    assert configured["storage"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "ocop-uploads",
            "endpoint_url": "http://minio.ocop.internal:9000",
            "region_name": None,
            "location": "private",
            "addressing_style": "path",
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }


def test_production_with_a_replica_and_s3_still_passes_check_deploy():
    env = production_env(OCOP_S3_BUCKET="ocop-uploads")
    env["OCOP_REPLICA_DATABASE_URL"] = env["DATABASE_URL"]

    result = run(
        "manage.py",
        "check",
        "--deploy",
        "--database",
        "default",
        "--database",
        "replica",
        "--fail-level",
        "DEBUG",
        env=env,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
