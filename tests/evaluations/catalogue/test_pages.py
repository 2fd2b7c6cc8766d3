"""The catalogue's pages, anonymous: the list, a product with its photos, a producer; what
they never show; their query counts."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Certificate
from ocop.core.public_cache import register_changed
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
    """The queries of the page as rendered, not as kept whole in the cache (decision 0033)."""
    cache.clear()
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


def test_a_product_recognised_again_after_a_revocation_shows_its_new_certificate(client, world):
    from evaluations.certificates.validity import add_months
    from evaluations.enums import CertificateStatus

    old = world.certificate(
        name="Mật ong bạc hà",
        issued_on=add_months(timezone.localdate(), -20),
        status=CertificateStatus.REVOKED,
    )
    # Revoked certificates are never superseded; the product is recognised again.
    new = world.certificate(product=old.product, stars=4)
    latest = dict(Certificate.objects.filter(product=old.product).values_list("pk", "latest"))
    assert latest == {old.pk: False, new.pk: True}
    response = client.get(reverse("evaluations:catalogue_product", args=[old.product_id]))
    assert response.status_code == 200
    assert response.context["entry"].pk == new.pk
    listed = client.get(reverse("evaluations:catalogue"), {"status": "all", "q": "mat ong"})
    assert [e.pk for e in listed.context["page"].object_list] == [new.pk]
    revoked = client.get(reverse("evaluations:catalogue"), {"status": "revoked"})
    assert revoked.context["page"].paginator.count == 0


@pytest.mark.parametrize(
    "url",
    [
        "/catalogue/products/99999999999999999999999/",
        "/catalogue/products/99999999999999999999999/photos/1/thumb/",
        "/catalogue/producers/99999999999999999999999/",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(client, url):
    assert client.get(url).status_code == 404


def test_the_producer_page_names_only_its_products_that_stand(client, cam, units):
    from products.services.sales import sales_point_create
    from tests.factories import product_for

    owner = cam.producer.members.get().user
    unrecognised = product_for(cam.producer, name="Măng chua chưa công nhận")
    sales_point_create(
        producer=cam.producer,
        actor=owner,
        kind="marketplace",
        name="Trên Shopee",
        url="https://shopee.vn/htx",
        products=[cam.product, unrecognised],
    )
    sales_point_create(
        producer=cam.producer,
        actor=owner,
        kind="website",
        name="Trang chỉ có măng",
        url="https://htx.vn/mang",
        products=[unrecognised],
    )
    html = client.get(reverse("evaluations:catalogue_producer", args=[cam.producer_id]))
    html = html.content.decode()
    assert "Trên Shopee" in html and "Cam Cao Phong" in html
    assert "Măng chua chưa công nhận" not in html
    assert "Trang chỉ có măng" not in html


def test_a_product_no_longer_certified_is_not_promoted_where_to_buy(client, world, units):
    from evaluations.certificates.validity import add_months
    from evaluations.enums import CertificateStatus
    from products.services.sales import sales_point_create

    old = world.certificate(
        name="Mật ong cũ",
        issued_on=add_months(timezone.localdate(), -40),
        status=CertificateStatus.EXPIRED,
    )
    sales_point_create(
        producer=old.producer,
        actor=old.producer.members.get().user,
        kind="marketplace",
        name="Trên Shopee",
        url="https://shopee.vn/htx",
        products=[old.product],
    )
    html = client.get(reverse("evaluations:catalogue_product", args=[old.product_id]))
    html = html.content.decode()
    assert "This product no longer holds a valid OCOP certificate." in html
    assert "Trên Shopee" not in html


def test_the_place_as_certified_and_today(client, cam):
    response = client.get(reverse("evaluations:catalogue_product", args=[cam.product_id]))
    html = response.content.decode()
    assert "Thị trấn Mãn Đức, Huyện Tân Lạc, Tỉnh Hoà Bình" in html
    assert "today in Tỉnh Phú Thọ" in html
    # The breadcrumb leads to today's province, which the filter offers.
    assert "?province=25" in html


def test_nothing_found_says_so_once(client, cam):
    html = client.get(reverse("evaluations:catalogue"), {"q": "xyz"}).content.decode()
    assert 'data-testid="no-results"' in html
    assert 'data-testid="forgiving"' not in html


def test_the_list_links_its_files_with_its_filters(client, cam):
    response = client.get(
        reverse("evaluations:catalogue"),
        {"q": "cam", "stars": "4", "province": "", "sort": "name", "status": "valid"},
    )
    html = response.content.decode()
    assert 'href="/open-data/products.csv?q=cam&amp;stars=4&amp;status=valid"' in html
    assert 'href="/api/v1/products/?q=cam&amp;stars=4&amp;status=valid"' in html
    # The same files answer.
    assert client.get("/api/v1/products/?q=cam&stars=4&status=valid").json()["count"] == 1


def test_another_page_of_a_list_reuses_its_counts_until_the_register_changes(
    client, world, django_capture_on_commit_callbacks
):
    """The filters' counts are the same for every page and order of a list: kept with the
    register's version (ocop.core.public_cache.kept), renewed when it changes."""
    for _ in range(30):
        world.certificate(stars=4)
    url = reverse("evaluations:catalogue")
    first = queries(client, url, {"stars": "4"})
    with CaptureQueriesContext(connection) as again:
        second = client.get(url, {"stars": "4", "page": "2", "sort": "name"})
    assert second.status_code == 200
    # The counts (stars, status, province and commune, sold near, set, year) and the lists
    # they name are not read again: the page's count, ids, rows, photos and places only.
    assert (first, len(again)) == (15, 5)
    assert [o.count for o in second.context["facets"].stars] == [0, 30, 0]

    with django_capture_on_commit_callbacks(execute=True):
        world.certificate(stars=4)
        register_changed()
    third = client.get(url, {"stars": "4", "page": "2"})
    assert [o.count for o in third.context["facets"].stars] == [0, 31, 0]
