"""Where to buy in the demo (decision 0030): the demo cooperative publishes its shop, its
page on Shopee and its own website, each with some of its products; Phú Thọ's OCOP office
marks its OCOP point of sale (listing no product: the province's OCOP products in general)
and an OCOP fair a little after the seed's today, listing some products.

Through the services the screens use. Idempotent: a second run adds nothing, except that a
demo fair that has ended by then is moved after the new today, so the demo always has an
upcoming fair. The places are fictional: their names say so, the web addresses are
placeholders and the phone is the cooperative's demo number.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from ocop.demo.dossiers import DEMO_PRODUCER_NAME
from products.models import Outlet, Producer, Product
from products.services.sales import outlet_create, outlet_update, sales_point_create

# (kind, name, products, extra fields)
SALES_POINTS = [
    (
        "shop",
        "Cửa hàng HTX Mãn Đức ở chợ Mường Khến (demo)",
        ["Gạo Séng Cù Mường Bi (demo)", "Bưởi đỏ Tân Lạc (demo)", "Mía tím Tân Lạc (demo)"],
        {
            "address_detail": "Ki-ốt số 12, chợ Mường Khến",
            "opening_hours": "6:30–18:00 hằng ngày",
            "phone": "0912 345 678",
        },
    ),
    (
        "marketplace",
        "Shopee (demo)",
        ["Gạo Séng Cù Mường Bi (demo)", "Muối ớt rừng Mường Bi (demo)"],
        {"url": "https://shopee.vn/htx-man-duc-demo"},
    ),
    (
        "website",
        "Trang của HTX Nông nghiệp Mãn Đức (demo)",
        [
            "Gạo Séng Cù Mường Bi (demo)",
            "Bưởi đỏ Tân Lạc (demo)",
            "Thổ cẩm Mường Bi (demo)",
            "Rượu ngô men lá Mãn Đức (demo)",
        ],
        {"url": "https://htx-man-duc.example.com/san-pham"},
    ),
]
POINT_OF_SALE = "Điểm giới thiệu và bán sản phẩm OCOP tỉnh Phú Thọ (demo)"
FAIR = "Hội chợ sản phẩm OCOP Phú Thọ (demo)"
FAIR_PRODUCTS = ["Gạo Séng Cù Mường Bi (demo)", "Thổ cẩm Mường Bi (demo)"]
# The fair opens this many days after the seed's today and lasts this many days.
FAIR_STARTS_IN, FAIR_LASTS = 12, 5


def _products(producer: Producer, names: list[str]) -> list[Product]:
    return list(producer.products.filter(name__in=names).order_by("name"))


def _fair_days(today: datetime.date) -> dict:
    first = today + datetime.timedelta(days=FAIR_STARTS_IN)
    return {"first_day": first, "last_day": first + datetime.timedelta(days=FAIR_LASTS - 1)}


@transaction.atomic
def seed_sales(*, units, accounts) -> None:
    today = timezone.localdate()
    owner, office = accounts["htx.demo"], accounts["tinh.demo"]
    producer = Producer.objects.filter(name=DEMO_PRODUCER_NAME).first()
    if producer is not None and not producer.sales_points.exists():
        for kind, name, product_names, extra in SALES_POINTS:
            products = _products(producer, product_names)
            if not products:
                continue
            if kind == "shop":
                extra = {**extra, "address_unit": units["commune"]}
            sales_point_create(
                producer=producer, actor=owner, kind=kind, name=name, products=products, **extra
            )
    province = units["province"]
    outlets = Outlet.objects.filter(province=province)
    if not outlets.filter(name=POINT_OF_SALE).exists():
        outlet_create(
            province=province,
            actor=office,
            kind="point_of_sale",
            name=POINT_OF_SALE,
            address_unit=units["commune"],
            address_detail="Số 1 đường Hùng Vương",
            opening_hours="7:30–17:30, thứ Hai đến thứ Bảy",
            url="https://ocop.example.com/phu-tho",
        )
    fair = outlets.filter(name=FAIR).first()
    if fair is None:
        outlet_create(
            province=province,
            actor=office,
            kind="fair",
            name=FAIR,
            address_unit=units["commune"],
            address_detail="Sân vận động xã Tân Lạc",
            opening_hours="8:00–22:00",
            products=_products(producer, FAIR_PRODUCTS) if producer is not None else [],
            **_fair_days(today),
        )
    elif fair.has_ended(today):
        outlet_update(outlet=fair, actor=office, **_fair_days(today))
