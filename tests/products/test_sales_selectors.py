"""Where to buy (decision 0030): the public reads the catalogue's pages use, their content and
their number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocop.core.models import AdministrativeUnit
from products.models import Product
from products.selectors import (
    WhereToBuy,
    producer_sales_points,
    products_sold_in,
    sold_in_counts,
    where_to_buy,
)
from products.services.sales import outlet_create, sales_point_create
from tests.factories import producer_with_owner, product_for
from tests.products.sales_world import make_online, make_outlet, make_shop

pytestmark = pytest.mark.django_db


def loaded(product: Product) -> Product:
    """The product as the product page reads it."""
    return Product.objects.select_related("producer__address_unit__parent__parent").get(
        pk=product.pk
    )


def names(places) -> list[str]:
    return [place.name for place in places]


def test_nothing_published_is_empty(cooperative):
    _producer, _owner, products = cooperative

    where = where_to_buy(loaded(products[0]), timezone.localdate())

    assert where == WhereToBuy()
    assert where.is_empty is True


def test_where_to_buy_lists_the_producers_shops_then_its_pages_online(cooperative, units):
    producer, owner, products = cooperative
    cam, mat_ong, _gao = products
    make_online(producer, owner, [cam], name="Shopee")
    sales_point_create(
        producer=producer,
        actor=owner,
        kind="website",
        name="Trang của HTX",
        url="https://htx.example.com",
        products=[cam, mat_ong],
    )
    make_shop(units, producer, owner, [cam], name="Cửa hàng B", order=2)
    make_shop(units, producer, owner, [cam], name="Cửa hàng A", order=1)
    make_shop(units, producer, owner, [mat_ong], name="Chỉ bán mật ong")

    where = where_to_buy(loaded(cam), timezone.localdate())

    assert names(where.sales_points) == ["Cửa hàng A", "Cửa hàng B", "Trang của HTX", "Shopee"]
    assert names(where.shops) == ["Cửa hàng A", "Cửa hàng B"]
    assert names(where.online) == ["Trang của HTX", "Shopee"]
    assert (where.outlets, where.province_outlets, where.is_empty) == ((), (), False)
    assert where.shops[0].full_address == "Ki-ốt 12, chợ Mường Khến, Xã Tân Lạc, Tỉnh Phú Thọ"


@pytest.mark.dates
def test_where_to_buy_lists_the_offices_places_and_leaves_ended_fairs_out(
    cooperative, units, office, elsewhere
):
    _producer, _owner, products = cooperative
    cam, mat_ong, _gao = products
    make_outlet(units, office, name="Điểm bán có cam", products=[cam])
    make_outlet(units, office, name="Điểm bán mật ong", products=[mat_ong])
    make_outlet(units, office, name="Điểm bán chung")
    make_outlet(units, office, kind="fair", name="Hội chợ sắp tới", products=[cam], days=(3, 5))
    make_outlet(units, office, kind="fair", name="Hội chợ hôm nay", days=(-2, 0))
    make_outlet(units, office, kind="fair", name="Hội chợ đã qua", products=[cam], days=(-5, -1))
    make_outlet(units, office, kind="fair", name="Hội chợ chung đã qua", days=(-9, -8))
    outlet_create(
        province=elsewhere["province"],
        actor=elsewhere["officer"],
        kind="point_of_sale",
        name="Điểm bán tỉnh khác",
        address_unit=elsewhere["commune"],
        address_detail="Số 2",
    )

    where = where_to_buy(loaded(cam), timezone.localdate())

    assert names(where.outlets) == ["Điểm bán có cam", "Hội chợ sắp tới"]
    assert names(where.province_outlets) == ["Điểm bán chung", "Hội chợ hôm nay"]
    assert where.sales_points == ()


def test_a_producer_on_the_old_map_gets_the_places_of_the_province_it_went_into(units, office):
    """Mãn Đức (Hòa Bình) went into Xã Tân Lạc of today's Phú Thọ."""
    producer, _owner = producer_with_owner(commune=units["commune"], username="manduc")
    product = product_for(producer)
    make_outlet(units, office, name="Điểm bán chung")

    where = where_to_buy(loaded(product), timezone.localdate())

    assert names(where.province_outlets) == ["Điểm bán chung"]


def _where_to_buy_queries(product) -> tuple[int, WhereToBuy]:
    product = loaded(product)
    with CaptureQueriesContext(connection) as queries:
        where = where_to_buy(product, timezone.localdate())
        # What the partial template reads: addresses, kinds, dates.
        for place in (*where.sales_points, *where.outlets, *where.province_outlets):
            assert place.full_address or place.url
    return len(queries), where


def test_where_to_buy_takes_two_queries_however_many_places(cooperative, units, office):
    producer, owner, products = cooperative
    cam = products[0]
    make_shop(units, producer, owner, [cam], name="Cửa hàng 1")
    make_outlet(units, office, name="Điểm bán 1", products=[cam])
    make_outlet(units, office, name="Điểm bán chung 1")
    one, where = _where_to_buy_queries(cam)
    assert [len(where.sales_points), len(where.outlets), len(where.province_outlets)] == [1, 1, 1]
    for n in (2, 3):
        make_shop(units, producer, owner, [cam], name=f"Cửa hàng {n}")
        make_outlet(units, office, name=f"Điểm bán {n}", products=[cam])
        make_outlet(units, office, kind="fair", name=f"Hội chợ chung {n}", days=(1, n))

    three, where = _where_to_buy_queries(cam)

    assert [len(where.sales_points), len(where.outlets), len(where.province_outlets)] == [3, 3, 3]
    assert one == three == 2


def test_where_to_buy_reads_the_producers_address_once_when_not_given(cooperative, units, office):
    _producer, _owner, products = cooperative
    make_outlet(units, office, name="Điểm bán chung")
    product = Product.objects.get(pk=products[0].pk)

    with CaptureQueriesContext(connection) as queries:
        where = where_to_buy(product, timezone.localdate())

    assert names(where.province_outlets) == ["Điểm bán chung"]
    assert len(queries) == 3


def test_producer_sales_points_come_with_their_products_in_two_queries(cooperative, units):
    producer, owner, products = cooperative
    make_online(producer, owner, [products[1], products[0]], name="Shopee")
    with CaptureQueriesContext(connection) as one:
        points = producer_sales_points(producer)
        sold = [[p.name for p in point.products.all()] for point in points]
        addresses = [point.full_address for point in points]
    assert sold == [["Cam Tân Lạc", "Mật ong Tân Lạc"]]
    make_shop(units, producer, owner, products, name="Cửa hàng 1")
    make_shop(units, producer, owner, products[2:], name="Cửa hàng 2")

    with CaptureQueriesContext(connection) as three:
        points = producer_sales_points(producer)
        sold = [[p.name for p in point.products.all()] for point in points]
        addresses = [point.full_address for point in points]

    assert names(points) == ["Cửa hàng 1", "Cửa hàng 2", "Shopee"]
    assert sold[1] == ["Gạo Tân Lạc"]
    assert addresses[2] == ""
    assert len(one) == len(three) == 2


def test_products_sold_in_a_province(cooperative, units, office, elsewhere):
    producer, owner, products = cooperative
    cam, mat_ong, gao = products
    make_shop(units, producer, owner, [cam])
    make_online(producer, owner, [gao])  # online: sold everywhere, near nowhere
    make_outlet(units, office, kind="fair", products=[mat_ong], days=(-9, -8))
    make_outlet(units, office, name="Điểm bán chung")  # lists none
    # A shop of the Phú Thọ cooperative in Thái Nguyên, and Thái Nguyên's own product.
    make_shop(units, producer, owner, [gao], name="Ki-ốt Đại Từ", address_unit=elsewhere["commune"])
    outlet_create(
        province=elsewhere["province"],
        actor=elsewhere["officer"],
        kind="point_of_sale",
        name="Điểm bán Thái Nguyên",
        address_unit=elsewhere["commune"],
        address_detail="Số 2",
        products=[elsewhere["product"]],
    )

    today = timezone.localdate()

    def sold_in(*provinces):
        ids = [p.pk for p in provinces]
        return set(products_sold_in(AdministrativeUnit.objects.filter(pk__in=ids), today))

    with CaptureQueriesContext(connection) as queries:
        products_sold_in(AdministrativeUnit.objects.filter(pk=units["new_province"].pk), today)
    assert len(queries) == 0  # lazy, for product_id__in=...

    # The fair of nine days ago has ended: mật ong is not sold there any more.
    assert sold_in(units["new_province"]) == {cam}
    assert sold_in(elsewhere["province"]) == {gao, elsewhere["product"]}
    # The old Hòa Bình stands for today's Phú Thọ it went into.
    assert sold_in(units["province"]) == {cam}
    # Counted per province of today's map, as the catalogue's filter offers them.
    counts = sold_in_counts(Product.objects.all(), today)
    assert counts == {units["new_province"].pk: 1, elsewhere["province"].pk: 2}


def test_the_product_page_shows_a_fair_until_its_last_day(cooperative, units, office):
    _producer, _owner, products = cooperative
    fair = make_outlet(units, office, kind="fair", products=products[:1], days=(1, 3))
    product = loaded(products[0])

    assert names(where_to_buy(product, fair.last_day).outlets) == ["Hội chợ OCOP"]
    assert where_to_buy(product, fair.last_day + datetime.timedelta(days=1)).is_empty
