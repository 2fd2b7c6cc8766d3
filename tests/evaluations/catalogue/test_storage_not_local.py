"""Uploads on a storage that is not a local directory (decision 0034, docs/scaling.md).

Past one machine the uploads live on S3-compatible storage (django-storages' S3Storage), where
a file has a name but no path on the server's disk. Here Django's InMemoryStorage stands in for
it, with `path()` refused as S3Storage refuses it: the whole life of the stored files (a
document uploaded and downloaded, a photo with its thumbnails served by the public catalogue,
a decision's signed scan, a photo deleted) runs through the views and services as they are,
and the MEDIA_ROOT directory stays empty: no code reads or writes a local path."""

import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage, storages
from django.urls import reverse
from django.utils._os import safe_join
from PIL import Image

from products.enums import DocumentKind
from products.models import EvidenceDocument, ProductPhoto
from tests.products import files

pytestmark = pytest.mark.django_db


class ObjectStorage(InMemoryStorage):
    """Django's in-memory storage, without local paths, as S3Storage has none: its `path()`
    raises NotImplementedError (Django's Storage.path does too)."""

    def _relative_path(self, name):
        # InMemoryStorage finds its nodes through path(); this one without it.
        return os.path.relpath(safe_join(self.location, name), self.location)

    def path(self, name):
        raise NotImplementedError("This backend doesn't support absolute paths.")


@pytest.fixture(autouse=True)
def storage_in_memory(settings, tmp_path):
    """Uploads in memory; MEDIA_ROOT an empty directory that must stay empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.ObjectStorage"},
    }
    yield settings.MEDIA_ROOT
    assert list(settings.MEDIA_ROOT.rglob("*")) == []


@pytest.fixture
def cam(world):
    return world.certificate(name="Cam Cao Phong", stars=4)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_uploads_here_have_names_but_no_local_paths():
    assert isinstance(storages["default"], ObjectStorage)
    assert EvidenceDocument._meta.get_field("file").storage is default_storage
    with pytest.raises(NotImplementedError):
        default_storage.path("producers/1/documents/a.pdf")


def test_a_document_is_uploaded_and_downloaded_without_a_path(client, cam):
    owner = cam.producer.members.get().user
    client.force_login(owner)

    response = client.post(
        reverse("products:document_upload"),
        {
            "kind": DocumentKind.BUSINESS_REGISTRATION,
            "title": "Giấy chứng nhận đăng ký HTX",
            "file": files.upload("giấy phép.pdf", files.PDF),
        },
    )
    assert response.status_code == 302
    document = EvidenceDocument.objects.get()
    assert default_storage.exists(document.file.name)
    assert document.size == default_storage.size(document.file.name) == len(files.PDF)

    download = client.get(reverse("products:document_download", args=[document.pk]))

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert body(download) == files.PDF


def test_two_documents_sent_with_the_same_name_are_both_kept(client, cam):
    client.force_login(cam.producer.members.get().user)
    for data in (files.PDF, files.PDF.replace(b"200 200", b"300 300")):
        client.post(
            reverse("products:document_upload"),
            {
                "kind": DocumentKind.BUSINESS_REGISTRATION,
                "title": "Giấy phép",
                "file": files.upload("giấy phép.pdf", data),
            },
        )

    first, second = EvidenceDocument.objects.order_by("pk")
    assert first.file.name != second.file.name
    with first.file.open("rb") as one, second.file.open("rb") as two:
        assert (one.read(), two.read()) == (
            files.PDF,
            files.PDF.replace(b"200 200", b"300 300"),
        )


def test_a_photo_gets_its_thumbnails_and_the_catalogue_serves_them(client, cam):
    owner = cam.producer.members.get().user
    client.force_login(owner)

    response = client.post(
        reverse("products:photo_add", args=[cam.product_id]),
        {"image": files.upload("cam.jpg", files.jpeg_with_exif(size=(1600, 1200)))},
    )
    assert response.status_code == 302
    photo = ProductPhoto.objects.get()
    client.logout()

    sizes = {}
    for variant in ("thumb", "medium", "full"):
        answer = client.get(
            reverse("evaluations:catalogue_photo", args=[cam.product_id, photo.pk, variant])
        )
        assert answer.status_code == 200, variant
        image = Image.open(io.BytesIO(body(answer)))
        sizes[variant] = image.size
        assert dict(image.getexif()) == {}, variant
    assert sizes == {"thumb": (480, 360), "medium": (1200, 900), "full": (1600, 1200)}


def test_a_deleted_photo_leaves_no_file_behind(client, cam, django_capture_on_commit_callbacks):
    owner = cam.producer.members.get().user
    client.force_login(owner)
    client.post(
        reverse("products:photo_add", args=[cam.product_id]),
        {"image": files.upload("cam.png", files.png((900, 600)))},
    )
    photo = ProductPhoto.objects.get()
    names = [photo.image.name, photo.thumbnail.name, photo.medium.name]
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("products:photo_delete", args=[cam.product_id, photo.pk]))

    assert response.status_code == 302
    assert [name for name in names if default_storage.exists(name)] == []


def test_a_decisions_signed_scan_is_published_from_storage(client, cam):
    decision = cam.decision
    decision.signed_scan.save("quyết định.pdf", ContentFile(files.PDF), save=True)

    response = client.get(reverse("evaluations:decision_scan", args=[decision.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == files.PDF
