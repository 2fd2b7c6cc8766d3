from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from ocop.core.models import AuditEntry
from products.enums import DocumentKind
from products.models import EvidenceDocument
from products.services.documents import document_new_version, document_upload
from tests.factories import producer_with_owner, product_for
from tests.products import files

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload_document(producer, owner, name="giấy phép.pdf", data=files.PDF, **fields):
    return document_upload(
        producer=producer,
        actor=owner,
        kind=fields.pop("kind", DocumentKind.BUSINESS_REGISTRATION),
        title=fields.pop("title", "Giấy chứng nhận đăng ký HTX"),
        upload=files.upload(name, data),
        **fields,
    )


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.mark.parametrize(
    ("name", "data", "content_type", "extension"),
    [
        ("giấy phép.pdf", files.PDF, "application/pdf", "pdf"),
        ("nhãn.jpeg", files.jpeg_with_exif(), "image/jpeg", "jpg"),
        ("nhãn.png", files.png(), "image/png", "png"),
        ("kế hoạch.docx", files.docx(), DOCX, "docx"),
        ("bảng giá.xlsx", files.xlsx(), XLSX, "xlsx"),
        # The name says PDF; the content is what counts.
        ("scan.pdf", files.png(), "image/png", "png"),
    ],
)
def test_accepted_documents_by_content(
    client, producer, media, name, data, content_type, extension
):
    producer, owner = producer
    client.force_login(owner)

    response = client.post(
        "/producer/documents/new/",
        {
            "kind": DocumentKind.BUSINESS_REGISTRATION,
            "title": "Giấy tờ",
            "file": files.upload(name, data),
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    document = EvidenceDocument.objects.get()
    assert (document.content_type, document.original_name.rsplit(".", 1)[1]) == (
        content_type,
        extension,
    )
    assert document.size == document.file.size
    assert document.uploaded_by == owner
    assert AuditEntry.objects.filter(action="document.upload").count() == 1


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("hợp đồng.pdf", files.EXE, "file_type"),
        ("broken.jpg", files.truncated_jpeg(), "corrupt"),
        ("bomb.png", files.png_bomb(), "image_bomb"),
        ("half.pdf", files.PDF[:-20], "corrupt"),
        ("notes.txt", "Ghi chú".encode(), "file_type"),
    ],
)
def test_bad_documents_give_a_clear_message_and_save_nothing(
    client, producer, media, name, data, code
):
    producer, owner = producer
    client.force_login(owner)

    response = client.post(
        "/producer/documents/new/",
        {
            "kind": DocumentKind.LAB_TEST,
            "title": "Phiếu kiểm nghiệm",
            "file": files.upload(name, data),
        },
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["file"]
    assert [e.code for e in errors] == [code]
    body = response.content.decode()
    assert 'value="Phiếu kiểm nghiệm"' in body
    assert EvidenceDocument.objects.count() == 0
    assert stored_files(media) == []


def test_a_document_over_20_mb_is_refused(producer, media):
    producer, owner = producer

    with pytest.raises(ValidationError) as caught:
        document_upload(
            producer=producer,
            actor=owner,
            kind=DocumentKind.LAB_TEST,
            title="Quá lớn",
            upload=files.oversized("big.pdf", 20),
        )

    assert [e.code for e in caught.value.error_dict["file"]] == ["too_large"]
    assert EvidenceDocument.objects.count() == 0
    assert stored_files(media) == []


def test_exif_is_gone_from_an_image_document(producer, media):
    producer, owner = producer

    document = upload_document(producer, owner, name="nhãn.jpg", data=files.jpeg_with_exif())

    with document.file.open("rb") as handle:
        data = handle.read()
    assert b"OCOP test camera" not in data
    assert b"Secret phone model" not in data


def test_expiry_before_issue_is_a_field_error(client, producer, media):
    producer, owner = producer
    client.force_login(owner)

    response = client.post(
        "/producer/documents/new/",
        {
            "kind": DocumentKind.FOOD_SAFETY,
            "title": "Giấy chứng nhận ATTP",
            "issued_on": "2025-06-01",
            "valid_until": "2025-05-31",
            "file": files.upload("attp.pdf", files.PDF),
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["valid_until"]
    assert 'value="2025-06-01"' in response.content.decode()
    assert EvidenceDocument.objects.count() == 0


def test_the_service_also_refuses_expiry_before_issue(producer, media):
    producer, owner = producer

    with pytest.raises(ValidationError) as caught:
        upload_document(producer, owner, issued_on=date(2025, 6, 1), valid_until=date(2025, 1, 1))

    assert list(caught.value.message_dict) == ["valid_until"]


def test_expired_documents_are_flagged_in_the_list(client, producer, media):
    producer, owner = producer
    today = date.today()
    upload_document(producer, owner, title="Cũ", valid_until=today - timedelta(days=1))
    upload_document(producer, owner, title="Còn hạn", valid_until=today + timedelta(days=30))
    client.force_login(owner)
    client.cookies.pop("django_language", None)  # the page in its default language

    response = client.get("/producer/documents/")

    body = response.content.decode()
    assert body.count('data-testid="expired"') == 1
    with translation.override("vi"):
        from django.utils.translation import gettext

        assert gettext("Expired") in body


def test_a_new_version_is_a_new_row_and_the_old_one_is_superseded(client, producer, media):
    producer, owner = producer
    product = product_for(producer)
    old = upload_document(producer, owner, kind=DocumentKind.LAB_TEST, product=product)
    old_name, old_hash = old.file.name, old.sha256
    client.force_login(owner)
    form = client.get(f"/producer/documents/{old.pk}/new-version/")
    assert form.context["form"].initial["title"] == old.title

    response = client.post(
        f"/producer/documents/{old.pk}/new-version/",
        {
            "title": "Phiếu kiểm nghiệm 2026",
            "product": product.pk,
            "issued_on": "2026-01-05",
            "file": files.upload("kn2026.pdf", files.PDF + b"%v2\n%%EOF\n"),
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    old.refresh_from_db()
    new = EvidenceDocument.objects.exclude(pk=old.pk).get()
    assert old.superseded_by == new
    assert (new.kind, new.product, new.superseded_by) == (DocumentKind.LAB_TEST, product, None)
    assert (old.file.name, old.sha256) == (old_name, old_hash)
    assert old.file.storage.exists(old_name)
    assert AuditEntry.objects.order_by("-seq").first().action == "document.new_version"
    library = client.get("/producer/documents/").context["documents"]
    assert library == [new]
    assert set(client.get("/producer/documents/?all=1").context["documents"]) == {old, new}


def test_a_superseded_document_cannot_get_another_new_version(producer, media):
    producer, owner = producer
    old = upload_document(producer, owner)
    document_new_version(
        document=old, actor=owner, title="v2", upload=files.upload("v2.pdf", files.PDF)
    )

    with pytest.raises(ValidationError) as caught:
        document_new_version(
            document=old, actor=owner, title="v3", upload=files.upload("v3.pdf", files.PDF)
        )

    assert caught.value.code == "superseded"
    assert EvidenceDocument.objects.count() == 2


def test_download_is_an_attachment_with_the_sniffed_type_and_safe_name(client, producer, media):
    producer, owner = producer
    document = upload_document(producer, owner, name="Giấy phép <HTX>.pdf")
    client.force_login(owner)

    response = client.get(f"/producer/documents/{document.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "Gi%E1%BA%A5y%20ph%C3%A9p%20_HTX_.pdf" in disposition
    assert b"".join(response.streaming_content) == files.PDF


def test_documents_are_served_to_members_and_officers_of_the_area_only(
    client, units, producer, media, district_officer, other_district_officer, role_users
):
    producer, owner = producer
    document = upload_document(producer, owner)
    url = f"/producer/documents/{document.pk}/download/"
    _other, stranger = producer_with_owner(commune=units["commune"], username="stranger")

    assert client.get(url).status_code == 302
    for user, status in [
        (owner, 200),
        (district_officer, 200),
        (role_users["province_officer"], 200),
        (role_users["commune_officer"], 200),
        (stranger, 404),
        (other_district_officer, 404),
        (role_users["administrator"], 404),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    assert client.get(f"/_private/{document.file.name}").status_code == 404


def test_a_document_of_another_producers_product_is_refused(producer, units, media):
    producer, owner = producer
    other, _ = producer_with_owner(commune=units["commune"], username="other")
    foreign = product_for(other)

    with pytest.raises(ValidationError) as caught:
        upload_document(producer, owner, product=foreign)

    assert list(caught.value.message_dict) == ["product"]


def test_new_version_of_another_producers_document_is_404(client, producer, units, media):
    producer, owner = producer
    document = upload_document(producer, owner)
    _other, stranger = producer_with_owner(commune=units["commune"], username="stranger")
    client.force_login(stranger)

    assert client.get(f"/producer/documents/{document.pk}/new-version/").status_code == 404
    response = client.post(
        f"/producer/documents/{document.pk}/new-version/",
        {"title": "x", "file": files.upload("x.pdf", files.PDF)},
    )
    assert response.status_code == 404
    assert EvidenceDocument.objects.count() == 1
