import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_pass_check_deploy():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "ocop.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-kX9$Lr2@qZ7!mN4&vB8^wT1*yP6%hJ3",
        "ALLOWED_HOSTS": "ocop.example.gov.vn",
        "DATABASE_URL": os.environ["DATABASE_URL"],
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ocop.settings.production", "SECRET_KEY": ""}

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_refuse_to_start_without_a_database_url():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ocop.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-kX9$Lr2@qZ7!mN4&vB8^wT1*yP6%hJ3",
        "ALLOWED_HOSTS": "ocop.example.gov.vn",
    }
    env.pop("DATABASE_URL")

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr
