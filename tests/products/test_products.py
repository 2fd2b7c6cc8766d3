import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from ocop.core.models import AuditEntry
from products.models import Product, ProductPhoto, ProductSet
from products.services.products import (
    product_create,
    product_photo_add,
    product_photo_delete,
    product_update,
)
from products.services.taxonomy import taxonomy_load
from tests.factories import producer_with_owner, product_for
from tests.products import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def product_sets(db):
    taxonomy_load()
    return {s.number: s for s in ProductSet.objects.all()}


def product_data(product_sets, **overrides) -> dict:
    return {
        "name": "Gạo nếp cẩm Mãn Đức",
        "product_set": product_sets[3].pk,
        "description": "Gạo nếp cẩm trồng trên ruộng bậc thang.",
        "ingredients": "100% gạo nếp cẩm",
        "packaging": "Túi hút chân không 1 kg",
        "shelf_life": "12 tháng",
        "capacity": "20 tấn/năm",
        "markets": "Hòa Bình, Hà Nội",
        "brand": "Mãn Đức",
        **overrides,
    }


def stored_names(media) -> set[str]:
    return {p.name for p in media.rglob("*") if p.is_file()} if media.exists() else set()


# --- products ------------------------------------------------------------------------------


def test_member_creates_a_product_while_the_producer_is_pending(client, producer, product_sets):
    producer, owner = producer
    client.force_login(owner)
    assert client.get("/producer/products/new/").status_code == 200

    response = client.post("/producer/products/new/", product_data(product_sets))

    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/producer/products/{product.pk}/"
    assert (product.producer, product.product_set.number, product.brand) == (
        producer,
        3,
        "Mãn Đức",
    )
    assert AuditEntry.objects.filter(action="product.create").count() == 1
    detail = client.get(response["Location"])
    assert "Gạo nếp cẩm Mãn Đức" in detail.content.decode()


def test_product_name_is_unique_per_producer_with_a_field_message(client, producer, product_sets):
    producer, owner = producer
    product_for(producer, name="Gạo nếp cẩm Mãn Đức")
    client.force_login(owner)

    response = client.post(
        "/producer/products/new/", product_data(product_sets, name="gạo nếp cẩm mãn đức")
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    assert 'value="gạo nếp cẩm mãn đức"' in response.content.decode()
    assert Product.objects.count() == 1


def test_product_without_a_set_keeps_the_input(client, producer, product_sets):
    client.force_login(producer[1])

    response = client.post("/producer/products/new/", product_data(product_sets, product_set=""))

    assert list(response.context["form"].errors) == ["product_set"]
    assert "ruộng bậc thang" in response.content.decode()


def test_member_edits_a_product_and_the_change_is_audited(client, producer, product_sets):
    producer, owner = producer
    product = product_for(producer, name="Mật ong")
    client.force_login(owner)
    assert client.get(f"/producer/products/{product.pk}/edit/").status_code == 200

    response = client.post(
        f"/producer/products/{product.pk}/edit/",
        product_data(product_sets, name="Mật ong bạc hà", product_set=product_sets[4].pk),
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.product_set.number) == ("Mật ong bạc hà", 4)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "product.update"
    assert entry.data["product_set"] == {"from": product_sets[1].pk, "to": product_sets[4].pk}


def test_product_update_without_changes_writes_nothing(producer, product_sets):
    producer, owner = producer
    product = product_for(producer, name="Mật ong")
    before = AuditEntry.objects.count()

    product_update(product=product, actor=owner, name="Mật ong")

    assert AuditEntry.objects.count() == before


def test_product_service_refuses_a_duplicate_name(producer, product_sets):
    producer, owner = producer
    product_for(producer, name="Mật ong")

    with pytest.raises(ValidationError) as caught:
        product_create(producer=producer, actor=owner, name="Mật ong", product_set=product_sets[4])

    assert list(caught.value.message_dict) == ["name"]


def test_another_producers_member_gets_404_on_every_product_url(client, units, producer, media):
    producer, owner = producer
    product = product_for(producer)
    photo = product_photo_add(
        product=product, upload=files.upload("a.jpg", files.jpeg_with_exif()), actor=owner
    )
    _other, stranger = producer_with_owner(commune=units["commune"], username="stranger")
    client.force_login(stranger)

    base = f"/producer/products/{product.pk}"
    for url in [f"{base}/", f"{base}/edit/", f"{base}/photos/{photo.pk}/thumb/"]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/edit/", {"name": "x"}).status_code == 404
    assert client.post(f"{base}/photos/{photo.pk}/delete/").status_code == 404
    assert ProductPhoto.objects.filter(pk=photo.pk).exists()


def test_officers_of_the_area_see_products_read_only_others_get_404(
    client, producer, district_officer, other_district_officer
):
    product = product_for(producer[0])
    client.force_login(district_officer)
    response = client.get(f"/producer/products/{product.pk}/")
    assert response.status_code == 200
    assert response.context["can_change"] is False
    assert client.get(f"/producer/products/{product.pk}/edit/").status_code == 404

    client.force_login(other_district_officer)
    assert client.get(f"/producer/products/{product.pk}/").status_code == 404


def test_the_product_list_query_count_does_not_grow(client, producer, media):
    producer, owner = producer
    first = product_for(producer)
    product_photo_add(product=first, upload=files.upload("a.png", files.png()), actor=owner)
    client.force_login(owner)
    with CaptureQueriesContext(connection) as one:
        response = client.get("/producer/products/")
    assert len(response.context["products"]) == 1
    for _ in range(2):
        product = product_for(producer)
        product_photo_add(product=product, upload=files.upload("a.png", files.png()), actor=owner)

    with CaptureQueriesContext(connection) as three:
        response = client.get("/producer/products/")

    assert len(response.context["products"]) == 3
    assert len(three) == len(one)


def test_product_list_needs_a_producer(client, role_users, district_officer):
    client.force_login(district_officer)

    assert client.get("/producer/products/").status_code == 404


# --- photos ---------------------------------------------------------------------------------


def test_photo_upload_strips_exif_and_makes_a_thumbnail(client, producer, media):
    producer, owner = producer
    product = product_for(producer)
    client.force_login(owner)
    original = files.jpeg_with_exif(size=(1200, 900))
    assert Image.open(io.BytesIO(original)).getexif()

    response = client.post(
        f"/producer/products/{product.pk}/photos/",
        {"image": files.upload("ruộng.jpg", original), "caption": "Ruộng bậc thang"},
    )

    assert response.status_code == 302
    photo = ProductPhoto.objects.get()
    assert (photo.content_type, photo.caption) == ("image/jpeg", "Ruộng bậc thang")
    with photo.image.open("rb") as handle:
        stored = Image.open(io.BytesIO(handle.read()))
        assert dict(stored.getexif()) == {}
        assert stored.size == (1200, 900)
    with photo.thumbnail.open("rb") as handle:
        assert max(Image.open(io.BytesIO(handle.read())).size) <= 480
    assert str(media) in photo.image.path
    assert AuditEntry.objects.filter(action="product.photo_add").count() == 1


def test_photos_are_served_only_through_the_permission_checked_view(client, producer, media):
    producer, owner = producer
    product = product_for(producer)
    photo = product_photo_add(
        product=product, upload=files.upload("a.png", files.png()), actor=owner
    )
    url = f"/producer/products/{product.pk}/photos/{photo.pk}/full/"

    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(f"/_private/{photo.image.name}").status_code == 404
    client.force_login(owner)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(f"/producer/products/{product.pk}/photos/{photo.pk}/other/").status_code == (
        404
    )


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("virus.jpg", files.EXE, "file_type"),
        ("document.jpg", files.PDF, "file_type"),
        ("broken.jpg", files.truncated_jpeg(), "corrupt"),
        ("bomb.png", files.png_bomb(), "image_bomb"),
        ("empty.jpg", b"", "empty"),
    ],
)
def test_bad_photos_are_refused_with_a_clear_message_and_nothing_saved(
    client, producer, media, name, data, code
):
    producer, owner = producer
    product = product_for(producer)
    client.force_login(owner)

    response = client.post(
        f"/producer/products/{product.pk}/photos/", {"image": files.upload(name, data)}
    )

    assert response.status_code == 400
    errors = response.context["photo_form"].errors.as_data()["image"]
    assert [e.code for e in errors] == [code]
    assert 'id="error_1_id_image"' in response.content.decode()
    assert ProductPhoto.objects.count() == 0
    assert stored_names(media) == set()


def test_a_photo_over_10_mb_is_refused(producer, media):
    producer, owner = producer
    product = product_for(producer)
    big = files.upload("big.jpg", b"\xff\xd8\xff" + b"0" * (10 * files.MB))

    with pytest.raises(ValidationError) as caught:
        product_photo_add(product=product, upload=big, actor=owner)

    assert caught.value.code == "too_large"
    assert ProductPhoto.objects.count() == 0


def test_deleting_a_photo_removes_the_row_and_the_files(
    client, producer, media, django_capture_on_commit_callbacks
):
    producer, owner = producer
    product = product_for(producer)
    photo = product_photo_add(
        product=product, upload=files.upload("a.png", files.png()), actor=owner
    )
    # The photo, its thumbnail and its size for the public page.
    assert len(stored_names(media)) == 3
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/producer/products/{product.pk}/photos/{photo.pk}/delete/")

    assert response.status_code == 302
    assert ProductPhoto.objects.count() == 0
    assert stored_names(media) == set()
    assert AuditEntry.objects.filter(action="product.photo_delete").count() == 1


def test_photo_delete_service_is_audited_in_its_transaction(producer, media):
    producer, owner = producer
    product = product_for(producer)
    photo = product_photo_add(
        product=product, upload=files.upload("a.png", files.png()), actor=owner
    )

    product_photo_delete(photo=photo, actor=owner)

    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.data["photo"]) == ("product.photo_delete", photo.pk)


def test_several_photos_are_added_at_once_in_order(client, producer, media):
    producer, owner = producer
    product = product_for(producer)
    client.force_login(owner)

    response = client.post(
        f"/producer/products/{product.pk}/photos/",
        {
            "image": [
                files.upload(f"anh-{n}.png", files.png(colour=(n * 40, 90, 60))) for n in range(3)
            ],
            "caption": "Vườn cam",
        },
    )

    assert response.status_code == 302
    photos = list(product.photos.order_by("order"))
    assert [p.order for p in photos] == [0, 1, 2]
    assert {p.caption for p in photos} == {"Vườn cam"}
    assert AuditEntry.objects.filter(action="product.photo_add").count() == 3


def test_one_bad_photo_among_several_refuses_them_all_and_names_it(client, producer, media):
    producer, owner = producer
    product = product_for(producer)
    client.force_login(owner)

    response = client.post(
        f"/producer/products/{product.pk}/photos/",
        {"image": [files.upload("tot.png", files.png()), files.upload("virus.jpg", files.EXE)]},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    errors = response.context["photo_form"].errors["image"]
    assert any(e.startswith("virus.jpg: ") for e in errors)
    assert ProductPhoto.objects.count() == 0
    assert stored_names(media) == set()


def test_more_photos_than_allowed_at_once_are_refused(client, producer, media):
    producer, owner = producer
    product = product_for(producer)
    client.force_login(owner)

    response = client.post(
        f"/producer/products/{product.pk}/photos/",
        {"image": [files.upload(f"{n}.png", files.png()) for n in range(11)]},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "Send at most 10 files at once." in response.context["photo_form"].errors["image"]
    assert ProductPhoto.objects.count() == 0


def test_an_upload_sent_by_script_gets_its_next_page_as_json(client, producer, media):
    """static/js/ocop.js sends uploads itself to show their progress (ServiceFormMixin)."""
    producer, owner = producer
    product = product_for(producer)
    client.force_login(owner)

    response = client.post(
        f"/producer/products/{product.pk}/photos/",
        {"image": files.upload("a.png", files.png())},
        HTTP_X_OCOP_UPLOAD="1",
    )
    page = client.get(response.json()["redirect"])

    assert response.status_code == 200
    assert response.json() == {"redirect": f"/producer/products/{product.pk}/"}
    # The success message waits for the page the script then opens.
    assert [str(m) for m in page.context["messages"]] == ["The photos were added."]
