"""Every text users read has its Vietnamese translation: `makemessages` over a copy of the
project finds no message without one and none left fuzzy (a changed English text whose old
translation gettext only guessed at)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MSGATTRIB = shutil.which("msgattrib") or "/usr/bin/msgattrib"  # gettext (scripts/system-deps)
# What makemessages reads: the code, the templates and the catalogue itself.
SOURCES = ("manage.py", "ocop", "products", "evaluations", "templates", "locale")


def _messages(po: Path, *flags: str) -> list[str]:
    out = subprocess.run(  # noqa: S603  (our own file, gettext's msgattrib)
        [MSGATTRIB, *flags, "--no-wrap", str(po)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [
        line.removeprefix("msgid ").strip('"')
        for line in out.splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]


def test_every_message_is_translated_into_vietnamese(tmp_path):
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ocop.settings.dev"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    po = tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po"

    assert _messages(po, "--untranslated") == []
    assert _messages(po, "--only-fuzzy") == []
