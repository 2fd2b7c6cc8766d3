"""The catalogue's pages, anonymous: the list, a product with its photos, a producer; what
they never show; their query counts."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from products.services.products import product_photos_add
from tests.products.files import png

pytestmark = pytest.mark.django_db


def photo(product, actor, n=1):
    image = SimpleUploadedFile(f"anh-{n}.png", png((1600, 1200)), content_type="image/png")
    return product_photos_add(product=product, images=[image], actor=actor)[0]


@pytest.fixture
def cam(world):
    certificate = world.certificate(
        name="Cam Cao Phong", stars=4, score=Decimal("78.50"), product_set=4
    )
    product = certificate.product
    product.description = "Cam trồng trên đồi đá vôi, ngọt đậm."
    product.save()
    return certificate


def test_the_catalogue_lists_and_searches_without_login(client, cam):
    response = client.get(reverse("evaluations:catalogue"), {"q": "CAM CAO PHÒNG"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cam Cao Phong" in html
    # What was typed stays in the box.
    assert 'value="CAM CAO PHÒNG"' in html
    assert response.context["page"].paginator.count == 1


def test_a_wrong_filter_is_said_and_the_rest_still_shown(client, cam):
    response = client.get(reverse("evaluations:catalogue"), {"province": "99", "stars": "4"})
    assert response.status_code == 200
    assert "No province has the code 99, on either map." in response.content.decode()
    assert response.context["page"].paginator.count == 1


def test_a_wrong_filter_is_said_in_vietnamese(client, cam):
    client.cookies["django_language"] = "vi"
    response = client.get(
        reverse("evaluations:catalogue"), {"year": "1999"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert "Chương trình bắt đầu từ năm 2018." in response.content.decode()


def test_the_words_people_type_lead_to_the_catalogue(client):
    assert client.get("/products/", {"q": "chè"})["Location"] == "/catalogue/?q=ch%C3%A8"
    assert client.get("/search/")["Location"] == "/catalogue/"


def test_the_product_page_shows_what_the_public_may_know(client, cam, world):
    producer = cam.producer
    response = client.get(reverse("evaluations:catalogue_product", args=[cam.product_id]))
    assert response.status_code == 200
    html = response.content.decode()
    for shown in [
        "Cam Cao Phong",
        "Cam trồng trên đồi đá vôi",
        cam.number,
        cam.decision.number,
        cam.producer_name,
        "Huyện Tân Lạc",
        "Tỉnh Hoà Bình",
        "78.50",
        reverse("evaluations:verify", args=[cam.number]),
        reverse("evaluations:catalogue_producer", args=[producer.pk]),
    ]:
        assert shown in html, shown
    # Nothing private: the producer's phone, e-mail, tax code, representative.
    for private in [
        producer.phone,
        producer.email,
        producer.tax_code,
        producer.representative_name,
    ]:
        assert private not in html, private


def test_a_product_never_recognised_is_not_public(client, world):
    from tests.factories import product_for

    cam = world.certificate(name="Cam Cao Phong")
    other = product_for(cam.producer, name="Chưa công nhận")
    assert client.get(reverse("evaluations:catalogue_product", args=[other.pk])).status_code == 404
    assert client.get(reverse("evaluations:catalogue_product", args=[999999])).status_code == 404


def test_photos_are_public_in_three_sizes_for_recognised_products_only(client, cam, world):
    from tests.factories import product_for

    owner = cam.producer.members.get().user
    shown = photo(cam.product, owner)
    url = reverse("evaluations:catalogue_product", args=[cam.product_id])
    html = client.get(url).content.decode()
    assert 'srcset="' in html and "480w" in html and "1200w" in html
    sizes = {}
    for variant in ["thumb", "medium", "full"]:
        response = client.get(
            reverse("evaluations:catalogue_photo", args=[cam.product_id, shown.pk, variant])
        )
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=86400"
        sizes[variant] = len(b"".join(response.streaming_content))
    assert sizes["thumb"] < sizes["medium"]
    unknown = reverse("evaluations:catalogue_photo", args=[cam.product_id, shown.pk, "huge"])
    assert client.get(unknown).status_code == 404
    private = product_for(cam.producer, name="Chưa công nhận")
    hidden = photo(private, owner, 2)
    url = reverse("evaluations:catalogue_photo", args=[private.pk, hidden.pk, "thumb"])
    assert client.get(url).status_code == 404
    # A photo asked for under another product's address.
    url = reverse("evaluations:catalogue_photo", args=[cam.product_id, hidden.pk, "thumb"])
    assert client.get(url).status_code == 404


def test_the_producer_page_lists_its_recognised_products(client, cam, world):
    world.certificate(producer=cam.producer, name="Bưởi đỏ Tân Lạc", stars=3)
    response = client.get(reverse("evaluations:catalogue_producer", args=[cam.producer_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cam Cao Phong" in html and "Bưởi đỏ Tân Lạc" in html
    assert cam.producer.phone not in html


def test_a_producer_without_recognised_product_or_unnamed_is_not_public(
    client, world, units, users
):
    from ocop.core.enums import Role
    from products.services.imports import producer_import
    from tests.factories import producer_with_owner

    producer, _owner = producer_with_owner(commune=units["commune"], username="moi")
    url = reverse("evaluations:catalogue_producer", args=[producer.pk])
    assert client.get(url).status_code == 404
    placeholder = producer_import(
        name="", kind="", unit=units["district"], actor=users[Role.ADMINISTRATOR]
    )
    world.certificate(producer=placeholder, name="Chè không tên")
    url = reverse("evaluations:catalogue_producer", args=[placeholder.pk])
    assert client.get(url).status_code == 404


def queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "san pham", "province": "25", "stars": "3"}])
def test_the_catalogue_costs_the_same_with_1_and_30_products(client, world, params):
    first = world.certificate()
    photo(first.product, first.producer.members.get().user)
    one = queries(client, reverse("evaluations:catalogue"), params)
    for _ in range(29):
        world.certificate()
    assert queries(client, reverse("evaluations:catalogue"), params) == one


def test_the_producer_page_costs_the_same_with_1_and_3_products(client, world):
    first = world.certificate()
    url = reverse("evaluations:catalogue_producer", args=[first.producer_id])
    one = queries(client, url)
    world.certificate(producer=first.producer)
    world.certificate(producer=first.producer)
    assert queries(client, url) == one


def test_the_product_page_shows_where_to_buy_it(client, cam, units):
    from products.services.sales import sales_point_create

    owner = cam.producer.members.get().user
    sales_point_create(
        producer=cam.producer,
        actor=owner,
        kind="shop",
        name="Cửa hàng cam Mãn Đức",
        address_unit=units["new_commune"],
        address_detail="Xóm Chiềng",
        opening_hours="7:00–17:00",
        phone="0987 654 321",
        products=[cam.product],
    )
    html = client.get(reverse("evaluations:catalogue_product", args=[cam.product_id])).content
    html = html.decode()
    assert "Cửa hàng cam Mãn Đức" in html and 'href="tel:0987654321"' in html
    producer_page = client.get(reverse("evaluations:catalogue_producer", args=[cam.producer_id]))
    assert "Cửa hàng cam Mãn Đức" in producer_page.content.decode()


def test_the_product_page_costs_the_same_with_1_and_3_photos_and_places(client, cam, units):
    from products.services.sales import sales_point_create

    owner = cam.producer.members.get().user
    url = reverse("evaluations:catalogue_product", args=[cam.product_id])

    def place(n):
        sales_point_create(
            producer=cam.producer,
            actor=owner,
            kind="shop",
            name=f"Cửa hàng {n}",
            address_unit=units["new_commune"],
            address_detail=f"Số {n}",
            products=[cam.product],
        )

    photo(cam.product, owner)
    place(1)
    one = queries(client, url)
    for n in (2, 3):
        photo(cam.product, owner, n)
        place(n)
    assert queries(client, url) == one
