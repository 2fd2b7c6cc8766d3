"""Where to buy (decision 0030): the partial templates the public catalogue pages include.
They show what was published for each place, and nothing of the producer's private profile."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import formats, timezone

from products.models import Product
from products.selectors import WhereToBuy, producer_sales_points, where_to_buy
from products.services.sales import sales_point_create
from tests.products.sales_world import make_online, make_outlet, make_shop

pytestmark = pytest.mark.django_db


def render_where(product) -> str:
    product = Product.objects.select_related("producer__address_unit__parent__parent").get(
        pk=product.pk
    )
    where = where_to_buy(product, timezone.localdate())
    return render_to_string("includes/_where_to_buy.html", {"where": where})


def test_the_product_partial_shows_shops_pages_and_the_offices_places(cooperative, units, office):
    producer, owner, products = cooperative
    make_shop(units, producer, owner, products[:1])
    make_online(producer, owner, products[:1], url="https://shopee.vn/htx-tan-lac")
    make_outlet(units, office, name="Điểm bán có cam", products=products[:1])
    fair = make_outlet(units, office, kind="fair", name="Hội chợ OCOP xuân", days=(3, 6))

    html = render_where(products[0])

    assert '<a href="tel:02183861234" data-testid="place-phone">0218 3 861 234</a>' in html
    assert "Ki-ốt 12, chợ Mường Khến, Xã Tân Lạc, Tỉnh Phú Thọ" in html
    assert "7:00–18:00 hằng ngày" in html
    assert 'href="https://shopee.vn/htx-tan-lac" rel="noopener nofollow"' in html
    assert "target=" not in html  # opens as a normal link
    assert "Điểm bán có cam" in html
    first = formats.date_format(fair.first_day, "SHORT_DATE_FORMAT")
    last = formats.date_format(fair.last_day, "SHORT_DATE_FORMAT")
    assert f"{first} to {last}" in html
    assert "Hội chợ OCOP xuân" in html


def test_the_product_partial_never_shows_the_producers_own_phone_or_address(cooperative):
    producer, owner, products = cooperative
    producer.address_detail = "Nhà riêng, xóm Chiềng"
    producer.save(update_fields=["address_detail"])
    sales_point_create(
        producer=producer,
        actor=owner,
        kind="website",
        name="Trang của HTX",
        url="https://htx.example.com",
        products=products[:1],
    )

    html = render_where(products[0])

    assert "Trang của HTX" in html
    assert producer.phone not in re.sub(r"\s", "", html)
    assert "Nhà riêng" not in html
    assert producer.representative_name not in html


def test_the_product_partial_says_when_nothing_is_published(cooperative):
    _producer, _owner, products = cooperative

    html = render_where(products[0])

    assert "The producer has not published where to buy this product yet." in html
    assert "<ul" not in html


def test_the_producer_partial_lists_each_place_with_what_it_sells(cooperative, units):
    producer, owner, products = cooperative
    make_online(producer, owner, products[1:], name="Shopee")
    make_shop(units, producer, owner, products[:1])

    html = render_to_string(
        "includes/_sales_points.html", {"sales_points": producer_sales_points(producer)}
    )

    assert html.index("Cửa hàng HTX ở chợ Tân Lạc") < html.index("Shopee")
    assert "Gạo Tân Lạc, Mật ong Tân Lạc" in html
    assert 'href="https://shopee.vn/htx" rel="noopener nofollow"' in html
    empty = render_to_string("includes/_sales_points.html", {"sales_points": []})
    assert "The producer has not published where to buy its products yet." in empty


def test_the_partial_takes_an_empty_where_to_buy():
    html = render_to_string("includes/_where_to_buy.html", {"where": WhereToBuy()})

    assert 'data-testid="where-to-buy-empty"' in html
