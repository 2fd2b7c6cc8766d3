"""`manage.py find_orphan_files`: files no row names, rows whose file is gone (decision 0032).
The crash that leaves an orphan for real is in tests/core/test_crash_safety.py."""

import os
import time

import pytest
from django.core.management import CommandError, call_command

from ocop.core.models import AuditEntry
from products.enums import DocumentKind
from products.services.documents import document_upload
from tests.factories import producer_with_owner
from tests.products import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def document(units, media):
    producer, owner = producer_with_owner(commune=units["commune"])
    return document_upload(
        producer=producer,
        actor=owner,
        kind=DocumentKind.BUSINESS_REGISTRATION,
        title="Giấy chứng nhận đăng ký HTX",
        upload=files.upload("dang-ky.pdf", files.PDF),
    )


def stray(media, name: str, *, age_minutes: int = 0):
    path = media / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 left behind\n%%EOF\n")
    when = time.time() - age_minutes * 60
    os.utime(path, (when, when))
    return path


def run(*args) -> tuple[str, str | None]:
    """The command's output, and its error when it exits non-zero."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("find_orphan_files", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_every_file_named_by_a_row_is_clean(document, media):
    out, error = run()

    assert error is None
    assert out.splitlines() == [
        "1 files, 1 referenced by rows; 0 orphans, 0 deleted, 0 recent, 0 missing."
    ]


def test_an_old_unnamed_file_is_an_orphan_and_a_young_one_only_recent(document, media):
    stray(media, "documents/old.pdf", age_minutes=90)
    stray(media, "documents/young.pdf", age_minutes=5)

    out, error = run()

    orphan, recent = out.splitlines()
    assert orphan.startswith("orphan   documents/old.pdf (27 bytes, ")
    assert recent == "recent   documents/young.pdf (within the grace period: not judged)"
    assert error == "3 files, 1 referenced by rows; 1 orphans, 0 deleted, 1 recent, 0 missing."


def test_a_row_whose_file_is_gone_is_reported_and_never_deleted(document, media):
    (media / document.file.name).unlink()

    out, error = run("--delete", "--grace-minutes", "0")

    assert out.splitlines() == [
        f"missing  {document.file.name} (products.EvidenceDocument #{document.pk}, field file)"
    ]
    assert error == "0 files, 1 referenced by rows; 0 orphans, 0 deleted, 0 recent, 1 missing."
    assert not AuditEntry.objects.filter(action="media.orphans_delete").exists()


def test_delete_removes_old_orphans_only_and_audits_them(document, media):
    old = stray(media, "decisions/old.pdf", age_minutes=120)
    young = stray(media, "decisions/young.pdf", age_minutes=1)

    out, error = run("--delete", "--grace-minutes", "30")

    assert error is None
    assert out.splitlines() == [
        "deleted  decisions/old.pdf (27 bytes)",
        "recent   decisions/young.pdf (within the grace period: not judged)",
        "3 files, 1 referenced by rows; 0 orphans, 1 deleted, 1 recent, 0 missing.",
    ]
    assert (old.exists(), young.exists(), (media / document.file.name).exists()) == (
        False,
        True,
        True,
    )
    entry = AuditEntry.objects.get(action="media.orphans_delete")
    assert [f["name"] for f in entry.data["files"]] == ["decisions/old.pdf"]
    assert entry.data["grace_minutes"] == 30
    # Nothing left to delete: no second entry.
    assert run("--delete", "--grace-minutes", "30")[1] is None
    assert AuditEntry.objects.filter(action="media.orphans_delete").count() == 1


def test_an_empty_media_root_is_clean(media):
    out, error = run()

    assert (error, out.strip()) == (
        None,
        "0 files, 0 referenced by rows; 0 orphans, 0 deleted, 0 recent, 0 missing.",
    )


def test_a_negative_grace_is_refused(media):
    assert run("--grace-minutes", "-1")[1] == "--grace-minutes cannot be negative."


# --- a service's block that raises after storing its file ------------------------------------


def files_in(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


@pytest.mark.parametrize("fails", [True, False], ids=["raises", "commits"])
def test_a_file_stored_in_a_block_that_raises_is_removed_and_kept_otherwise(units, media, fails):
    from django.core.files.base import ContentFile
    from django.db import transaction

    from ocop.core.uploads import removed_if_not_committed
    from products.models import EvidenceDocument

    producer, _owner = producer_with_owner(commune=units["commune"])
    document = EvidenceDocument(producer=producer, kind=DocumentKind.OTHER, title="Biên bản")

    try:
        with removed_if_not_committed() as stored, transaction.atomic():
            document.file.save("bien-ban.pdf", ContentFile(files.PDF), save=False)
            stored.append(document.file)
            assert files_in(media) == [document.file.name]
            if fails:
                raise RuntimeError("the database refused the row")
    except RuntimeError:
        pass

    assert files_in(media) == ([] if fails else [document.file.name])
