"""Issue 10, part 5: bad input to the producer's pages never gives a 500 or a half-saved
object: zip bombs dressed as Office files, text past its length limit."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from ocop.core.limits import LONG_TEXT_MAX_LENGTH, NOTE_MAX_LENGTH
from ocop.core.models import AuditEntry
from products.enums import DocumentKind, ProducerState
from products.models import EvidenceDocument, Product, ProductSet
from products.services.documents import DOCUMENT_MAX_BYTES
from products.services.producers import producer_reject
from products.services.products import PHOTO_MAX_BYTES
from products.services.taxonomy import taxonomy_load
from tests.products import files
from tests.products.test_products import product_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def product_sets(db):
    taxonomy_load()
    return {s.number: s for s in ProductSet.objects.all()}


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


# --- free text past its limit -----------------------------------------------------------------


def test_a_reason_too_long_to_return_a_producer_keeps_the_form_and_saves_nothing(
    client, producer, district_officer
):
    producer, _owner = producer
    client.force_login(district_officer)
    reason = "Mã số thuế không khớp. " * 100  # 2,300 characters

    response = client.post(f"/producers/{producer.pk}/reject/", {"reason": reason})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        f"Write at most {NOTE_MAX_LENGTH} characters; this text has {len(reason.strip())}."
    ]
    assert f'maxlength="{NOTE_MAX_LENGTH}"' in response.content.decode()
    producer.refresh_from_db()
    assert (producer.state, producer.state_reason) == (ProducerState.PENDING, "")
    assert not AuditEntry.objects.filter(action="producer.reject").exists()


def test_the_service_also_refuses_a_reason_too_long(producer, district_officer):
    producer, _owner = producer

    with pytest.raises(ValidationError) as caught:
        producer_reject(producer=producer, actor=district_officer, reason="x" * 2001)

    assert [e.code for e in caught.value.error_dict["reason"]] == ["max_length"]
    producer.refresh_from_db()
    assert producer.state == ProducerState.PENDING


def test_a_product_description_too_long_keeps_the_form_and_saves_nothing(
    client, producer, product_sets
):
    producer, owner = producer
    client.force_login(owner)
    data = product_data(product_sets, description="Gạo nếp cẩm. " * 500)  # 6,500 characters

    page = client.get("/producer/products/new/").content.decode()
    response = client.post("/producer/products/new/", data)

    assert f'maxlength="{LONG_TEXT_MAX_LENGTH}"' in page
    assert f"At most {LONG_TEXT_MAX_LENGTH} characters." in page
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["description"]
    assert 'value="Gạo nếp cẩm Mãn Đức"' in response.content.decode()
    assert not Product.objects.exists()


# --- the request body cap ---------------------------------------------------------------------


def test_a_25_mb_upload_is_refused_with_a_413_before_it_is_read(client, producer, media):
    producer, owner = producer
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    response = client.post(
        "/producer/documents/new/",
        {
            "kind": DocumentKind.LAB_TEST,
            "title": "Phiếu kiểm nghiệm",
            "file": files.oversized("phieu-kiem-nghiem.pdf", 25),
        },
    )

    assert response.status_code == 413
    body = response.content.decode()
    assert "Dung lượng gửi quá lớn" in body
    assert "21,0\xa0MB" in body  # the limit, as Vietnamese writes it
    assert EvidenceDocument.objects.count() == 0
    assert not [p for p in media.rglob("*") if p.is_file()] if media.exists() else True


def test_a_document_just_over_20_mb_gets_the_forms_message_not_a_413(client, producer, media):
    producer, owner = producer
    client.force_login(owner)

    response = client.post(
        "/producer/documents/new/",
        {
            "kind": DocumentKind.LAB_TEST,
            "title": "Phiếu kiểm nghiệm",
            "file": files.oversized("phieu-kiem-nghiem.pdf", 20),
        },
    )

    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["file"]] == ["too_large"]
    assert EvidenceDocument.objects.count() == 0


def test_the_request_cap_leaves_room_for_the_largest_upload():
    assert settings.OCOP_MAX_REQUEST_BYTES > DOCUMENT_MAX_BYTES + 64 * 1024
    assert settings.OCOP_MAX_REQUEST_BYTES > PHOTO_MAX_BYTES
    assert settings.OCOP_MAX_UPLOAD_BYTES >= DOCUMENT_MAX_BYTES
