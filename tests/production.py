"""A production server's process for the tests that check the production settings: its
environment and a run of our own interpreter in it (manage.py or a short script)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "a-long-random-production-secret-kX9$Lr2@qZ7!mN4&vB8^wT1*yP6%hJ3"


def production_env(**extra: str) -> dict[str, str]:
    """This process's environment (less the test run's own async switch) with the production
    settings, the values they require (the suite's database) and `extra` on top."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="ocop.settings.production",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="ocop.example.gov.vn",
        DATABASE_URL=os.environ["DATABASE_URL"],
    )
    env.update(extra)
    return env


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`python *args` from the project's root in `env`, its output captured."""
    return subprocess.run(  # noqa: S603  (our own interpreter, our own arguments)
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
