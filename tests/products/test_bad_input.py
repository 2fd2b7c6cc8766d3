"""Issue 10, part 5: bad input to the producer's pages never gives a 500 or a half-saved
object: zip bombs dressed as Office files, text past its length limit."""

import io
import zipfile

import pytest

from ocop.core.models import AuditEntry
from products.enums import DocumentKind
from products.models import EvidenceDocument
from tests.products import files

pytestmark = pytest.mark.django_db


def docx_bomb(unpacked: int) -> bytes:
    """A Word file whose one extra part is `unpacked` zero bytes, deflated to a few hundred KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/media/image1.xml", "w") as member:
            for _ in range(unpacked // files.MB):
                member.write(b"\0" * files.MB)
    return out.getvalue()


def test_a_zip_bomb_named_docx_is_refused_as_evidence(client, producer, media):
    producer, owner = producer
    client.force_login(owner)
    bomb = docx_bomb(300 * files.MB)

    response = client.post(
        "/producer/documents/new/",
        {
            "kind": DocumentKind.LAB_TEST,
            "title": "Phiếu kiểm nghiệm",
            "file": files.upload("phieu-kiem-nghiem.docx", bomb),
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["file"]
    assert [e.code for e in errors] == ["archive_size"]
    assert 'value="Phiếu kiểm nghiệm"' in response.content.decode()
    assert EvidenceDocument.objects.count() == 0
    assert not AuditEntry.objects.filter(action="document.upload").exists()
    assert not [p for p in media.rglob("*") if p.is_file()] if media.exists() else True
