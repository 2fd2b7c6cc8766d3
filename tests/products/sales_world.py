"""What the "where to buy" tests share (decision 0030); their fixtures (`cooperative`,
`office`, `elsewhere`) are in tests/products/conftest.py."""

import datetime

from django.utils import timezone

from ocop.core.enums import UnitLevel, UnitScheme
from products.services.sales import outlet_create, sales_point_create
from tests.factories import UnitFactory

TWO_TIER = {"scheme": UnitScheme.TWO_TIER}


def thai_nguyen_today() -> dict:
    """Today's Thái Nguyên and one of its communes."""
    province = UnitFactory(**TWO_TIER, code="19", name="Tỉnh Thái Nguyên", short_name="Thái Nguyên")
    commune = UnitFactory(
        **TWO_TIER,
        level=UnitLevel.COMMUNE,
        code="05611",
        name="Xã Đại Từ",
        short_name="Đại Từ",
        division_type="xã",
        parent=province,
    )
    return {"province": province, "commune": commune}


def shop_values(units, products, **overrides) -> dict:
    return {
        "kind": "shop",
        "name": "Cửa hàng HTX ở chợ Tân Lạc",
        "address_unit": units["new_commune"],
        "address_detail": "Ki-ốt 12, chợ Mường Khến",
        "opening_hours": "7:00–18:00 hằng ngày",
        "phone": "0218 3 861 234",
        "products": products,
        **overrides,
    }


def make_shop(units, producer, owner, products, **overrides):
    return sales_point_create(
        producer=producer, actor=owner, **shop_values(units, products, **overrides)
    )


def make_online(producer, owner, products, *, name="Shopee", url="https://shopee.vn/htx"):
    return sales_point_create(
        producer=producer,
        actor=owner,
        kind="marketplace",
        name=name,
        url=url,
        products=products,
    )


def make_outlet(units, office, *, kind="point_of_sale", products=(), days=None, **overrides):
    """An outlet of Phú Thọ; `days` (first, last) from today for a fair."""
    today = timezone.localdate()
    dates = {}
    if days is not None:
        dates = {
            "first_day": today + datetime.timedelta(days=days[0]),
            "last_day": today + datetime.timedelta(days=days[1]),
        }
    values = {
        "kind": kind,
        "name": "Điểm bán sản phẩm OCOP Phú Thọ" if kind == "point_of_sale" else "Hội chợ OCOP",
        "address_unit": units["new_commune"],
        "address_detail": "Số 1 đường Hùng Vương",
        "products": products,
        **dates,
        **overrides,
    }
    return outlet_create(province=units["new_province"], actor=office, **values)
