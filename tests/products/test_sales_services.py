"""Where to buy (decision 0030): the models' constraints and the services of the producer's
places to buy and of the office's points of sale and fairs."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from products.models import Outlet, SalesPoint
from products.services.sales import (
    outlet_create,
    outlet_delete,
    outlet_update,
    sales_point_create,
    sales_point_delete,
    sales_point_update,
)
from tests.factories import user_with_role
from tests.products.sales_world import make_online, make_outlet, make_shop, shop_values

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


# --- the constraints, below the services ---------------------------------------------------


def _raw_point(producer, **fields) -> SalesPoint:
    return SalesPoint(producer=producer, name=fields.pop("name", "Cửa hàng"), **fields)


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"kind": "kiosk", "url": "https://a.vn"}, "salespoint_kind_known"),
        ({"kind": "shop"}, "salespoint_address_by_kind"),
        ({"kind": "marketplace", "url": ""}, "salespoint_online_has_url"),
        ({"kind": "website", "url": "javascript:alert(1)"}, "salespoint_url_is_web"),
        ({"kind": "website", "url": "https://a.vn", "name": ""}, "salespoint_has_a_name"),
    ],
)
def test_the_database_refuses_a_place_to_buy_that_breaks_its_rules(cooperative, fields, constraint):
    producer, _owner, _products = cooperative

    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        _raw_point(producer, **fields).save()


def test_the_database_refuses_a_page_online_with_a_street_address(cooperative, units):
    producer, _owner, _products = cooperative
    point = _raw_point(
        producer, kind="website", url="https://a.vn", address_unit=units["new_commune"]
    )

    with pytest.raises(IntegrityError, match="salespoint_address_by_kind"), transaction.atomic():
        point.save()


def test_the_database_refuses_two_places_of_one_producer_named_alike(cooperative):
    producer, _owner, _products = cooperative
    _raw_point(producer, name="Shopee", kind="website", url="https://a.vn").save()

    with pytest.raises(IntegrityError, match="salespoint_unique_name"), transaction.atomic():
        _raw_point(producer, name="SHOPEE", kind="website", url="https://b.vn").save()


@pytest.mark.parametrize(
    "days",
    [
        {"first_day": None, "last_day": None},
        {"first_day": datetime.date(2026, 5, 2), "last_day": None},
        {"first_day": datetime.date(2026, 5, 2), "last_day": datetime.date(2026, 5, 1)},
    ],
)
def test_the_database_refuses_a_fair_without_its_days_in_order(units, office, days):
    outlet = Outlet(
        province=units["new_province"],
        kind="fair",
        name="Hội chợ",
        address_unit=units["new_commune"],
        address_detail="Quảng trường",
        created_by=office,
        **days,
    )

    with pytest.raises(IntegrityError, match="outlet_fair_days"), transaction.atomic():
        outlet.save()


def test_the_database_refuses_days_on_a_point_of_sale(units, office):
    outlet = Outlet(
        province=units["new_province"],
        kind="point_of_sale",
        name="Điểm bán",
        address_unit=units["new_commune"],
        address_detail="Số 1",
        first_day=datetime.date(2026, 5, 2),
        created_by=office,
    )

    with pytest.raises(IntegrityError, match="outlet_fair_days"), transaction.atomic():
        outlet.save()


# --- a producer's places to buy -------------------------------------------------------------


def test_a_member_adds_a_shop_with_its_products_and_it_is_audited(cooperative, units):
    producer, owner, products = cooperative

    point = make_shop(units, producer, owner, products[:2])

    point.refresh_from_db()
    assert (point.kind, point.address_unit, point.phone) == (
        "shop",
        units["new_commune"],
        "0218 3 861 234",
    )
    assert point.phone_link == "02183861234"
    assert list(point.products.order_by("name")) == [products[0], products[1]]
    entry = AuditEntry.objects.get(action="salespoint.create")
    assert entry.object_id == str(point.pk)
    assert entry.data["products"] == sorted(p.pk for p in products[:2])
    assert entry.data["phone"] == "0218 3 861 234"
    assert entry.unit_id == units["new_commune"].pk


def test_a_page_online_keeps_no_street_address(cooperative, units):
    producer, owner, products = cooperative

    point = sales_point_create(
        producer=producer,
        actor=owner,
        kind="website",
        name="Trang của HTX",
        url="https://htx.example.com",
        address_unit=units["new_commune"],
        address_detail="Ki-ốt 12",
        products=products[:1],
    )

    assert (point.address_unit, point.address_detail) == (None, "")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"address_unit": None}, {"address_unit": ["required"]}),
        ({"address_detail": "  "}, {"address_detail": ["required"]}),
        ({"products": []}, {"products": ["required"]}),
        ({"phone": "gọi Zalo"}, {"phone": ["phone"]}),
        ({"url": "ftp://htx.vn/gia"}, {"url": ["web_url"]}),
        ({"kind": "marketplace", "url": ""}, {"url": ["required"]}),
        ({"kind": "marketplace", "url": "javascript:alert(1)"}, {"url": ["web_url"]}),
        ({"name": ""}, {"name": ["blank"]}),
    ],
)
def test_a_place_to_buy_is_refused_with_the_field_named_and_nothing_saved(
    cooperative, units, overrides, expected
):
    producer, owner, products = cooperative
    values = {**shop_values(units, products), **overrides}

    with pytest.raises(ValidationError) as refused:
        sales_point_create(producer=producer, actor=owner, **values)

    assert codes(refused.value) == expected
    assert SalesPoint.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="salespoint").exists()


def test_a_shop_must_be_in_a_commune_of_todays_map(cooperative, units):
    producer, owner, products = cooperative

    for unit in (units["commune"], units["new_province"]):  # the old map; not a commune
        with pytest.raises(ValidationError) as refused:
            make_shop(units, producer, owner, products, address_unit=unit)
        assert codes(refused.value) == {"address_unit": ["not_a_commune"]}
    assert SalesPoint.objects.count() == 0


def test_a_place_to_buy_lists_the_producers_own_products_only(cooperative, units, elsewhere):
    producer, owner, products = cooperative

    with pytest.raises(ValidationError) as refused:
        make_shop(units, producer, owner, [products[0], elsewhere["product"]])

    assert codes(refused.value) == {"products": ["not_own_product"]}
    assert SalesPoint.objects.count() == 0


def test_two_places_of_a_producer_cannot_share_a_name(cooperative, units):
    producer, owner, products = cooperative
    make_online(producer, owner, products, name="Shopee")

    with pytest.raises(ValidationError) as refused:
        make_online(producer, owner, products, name="shopee", url="https://shopee.vn/b")

    assert codes(refused.value) == {"name": ["unique"]}
    assert SalesPoint.objects.count() == 1


def test_others_may_not_add_or_change_a_producers_places(cooperative, units, elsewhere, office):
    producer, owner, products = cooperative
    point = make_shop(units, producer, owner, products)

    for outsider in (elsewhere["owner"], office):
        with pytest.raises(PermissionDenied):
            make_shop(units, producer, outsider, products, name="Khác")
        with pytest.raises(PermissionDenied):
            sales_point_update(sales_point=point, actor=outsider, name="Đổi")
        with pytest.raises(PermissionDenied):
            sales_point_delete(sales_point=point, actor=outsider)
    assert SalesPoint.objects.get().name == "Cửa hàng HTX ở chợ Tân Lạc"


def test_a_member_changes_a_place_and_the_audit_keeps_what_changed(cooperative, units):
    producer, owner, products = cooperative
    point = make_shop(units, producer, owner, products[:1])

    sales_point_update(
        sales_point=point,
        actor=owner,
        opening_hours="8:00–17:00",
        products=[products[0], products[2]],
    )

    point.refresh_from_db()
    assert point.opening_hours == "8:00–17:00"
    assert set(point.products.all()) == {products[0], products[2]}
    entry = AuditEntry.objects.get(action="salespoint.update")
    assert entry.data == {
        "opening_hours": {"from": "7:00–18:00 hằng ngày", "to": "8:00–17:00"},
        "products": {
            "from": [products[0].pk],
            "to": sorted([products[0].pk, products[2].pk]),
        },
    }


def test_a_refused_change_leaves_the_place_as_it_was(cooperative, units):
    producer, owner, products = cooperative
    point = make_shop(units, producer, owner, products[:1])

    with pytest.raises(ValidationError) as refused:
        sales_point_update(sales_point=point, actor=owner, kind="marketplace", products=[])

    assert codes(refused.value) == {"url": ["required"], "products": ["required"]}
    point.refresh_from_db()
    assert (point.kind, point.address_unit) == ("shop", units["new_commune"])
    assert list(point.products.all()) == [products[0]]
    assert not AuditEntry.objects.filter(action="salespoint.update").exists()


def test_a_change_to_nothing_writes_no_audit_entry(cooperative, units):
    producer, owner, products = cooperative
    point = make_shop(units, producer, owner, products[:1])

    sales_point_update(sales_point=point, actor=owner, **shop_values(units, products[:1]))

    assert not AuditEntry.objects.filter(action="salespoint.update").exists()


def test_a_member_removes_a_place_and_the_audit_keeps_it(cooperative, units):
    producer, owner, products = cooperative
    point = make_shop(units, producer, owner, products[:1])

    sales_point_delete(sales_point=point, actor=owner)

    assert SalesPoint.objects.count() == 0
    entry = AuditEntry.objects.get(action="salespoint.delete")
    assert (entry.data["name"], entry.data["products"]) == (point.name, [products[0].pk])
    assert products[0].sales_points.count() == 0


# --- the office's points of sale and fairs ---------------------------------------------------


def test_the_office_marks_a_fair_listing_its_provinces_products(units, office, cooperative):
    _producer, _owner, products = cooperative

    fair = make_outlet(units, office, kind="fair", products=products[:2], days=(10, 14))

    fair.refresh_from_db()
    assert fair.province == units["new_province"]
    assert fair.last_day - fair.first_day == datetime.timedelta(days=4)
    assert set(fair.products.all()) == set(products[:2])
    entry = AuditEntry.objects.get(action="outlet.create")
    assert entry.unit_id == units["new_province"].pk
    assert entry.actor == office


def test_an_outlet_may_list_products_of_producers_recorded_on_the_old_map(units, office):
    """A producer of Mãn Đức (Hòa Bình, merged into Phú Thọ) lies in today's Phú Thọ."""
    from tests.factories import producer_with_owner, product_for

    producer, _owner = producer_with_owner(commune=units["commune"], username="manduc")
    product = product_for(producer)

    outlet = make_outlet(units, office, products=[product])

    assert list(outlet.products.all()) == [product]


def test_a_point_of_sale_keeps_no_days(units, office):
    outlet = make_outlet(units, office, days=(1, 2))

    assert (outlet.first_day, outlet.last_day) == (None, None)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"kind": "fair"}, {"first_day": ["required"], "last_day": ["required"]}),
        (
            {
                "kind": "fair",
                "first_day": datetime.date(2026, 6, 5),
                "last_day": datetime.date(2026, 6, 4),
            },
            {"last_day": ["before_first_day"]},
        ),
        ({"address_detail": ""}, {"address_detail": ["blank"]}),
        ({"phone": "12"}, {"phone": ["phone"]}),
        ({"url": "data:text/html,hi"}, {"url": ["web_url"]}),
    ],
)
def test_an_outlet_is_refused_with_the_field_named_and_nothing_saved(
    units, office, overrides, expected
):
    with pytest.raises(ValidationError) as refused:
        make_outlet(units, office, **overrides)

    assert codes(refused.value) == expected
    assert Outlet.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="outlet").exists()


def test_an_outlet_is_in_a_commune_of_its_province_and_lists_its_products(units, office, elsewhere):
    with pytest.raises(ValidationError) as refused:
        make_outlet(units, office, address_unit=elsewhere["commune"])
    assert codes(refused.value) == {"address_unit": ["not_in_province"]}

    with pytest.raises(ValidationError) as refused:
        make_outlet(units, office, products=[elsewhere["product"]])
    assert codes(refused.value) == {"products": ["not_in_province"]}
    assert Outlet.objects.count() == 0


def test_an_office_marks_places_of_its_own_province_only(units, office, elsewhere):
    with pytest.raises(PermissionDenied):
        outlet_create(
            province=elsewhere["province"],
            actor=office,
            kind="point_of_sale",
            name="Điểm bán",
            address_unit=elsewhere["commune"],
            address_detail="Số 2",
        )
    outlet = make_outlet(units, office)
    with pytest.raises(PermissionDenied):
        outlet_update(outlet=outlet, actor=elsewhere["officer"], name="Đổi")
    with pytest.raises(PermissionDenied):
        outlet_delete(outlet=outlet, actor=elsewhere["officer"])
    with pytest.raises(PermissionDenied):
        outlet_update(
            outlet=outlet,
            actor=office,
            province=elsewhere["province"],
            address_unit=elsewhere["commune"],
        )
    assert Outlet.objects.get().province == units["new_province"]


def test_the_office_of_an_abolished_province_marks_nothing(units):
    """Hòa Bình's officers kept their accounts for its history; outlets are of today's map."""
    old_office = user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hoabinh")

    with pytest.raises(PermissionDenied):
        make_outlet(units, old_office)


def test_an_administrator_marks_places_of_any_province_of_todays_map(units, elsewhere):
    admin = user_with_role(Role.ADMINISTRATOR, username="quantri")

    outlet = outlet_create(
        province=elsewhere["province"],
        actor=admin,
        kind="point_of_sale",
        name="Điểm bán OCOP Thái Nguyên",
        address_unit=elsewhere["commune"],
        address_detail="Số 2",
    )
    assert outlet.province == elsewhere["province"]

    with pytest.raises(ValidationError) as refused:
        outlet_create(
            province=units["province"],  # Hòa Bình, abolished
            actor=admin,
            kind="point_of_sale",
            name="Điểm bán",
            address_unit=units["commune"],
            address_detail="Số 2",
        )
    assert codes(refused.value) == {"province": ["not_a_province"]}


def test_the_office_changes_a_fair_and_removes_it(units, office, cooperative):
    _producer, _owner, products = cooperative
    fair = make_outlet(units, office, kind="fair", products=products[:1], days=(10, 14))
    new_last = timezone.localdate() + datetime.timedelta(days=20)

    outlet_update(outlet=fair, actor=office, last_day=new_last, products=[])

    fair.refresh_from_db()
    assert fair.last_day == new_last
    assert list(fair.products.all()) == []
    change = AuditEntry.objects.get(action="outlet.update").data
    assert change["products"] == {"from": [products[0].pk], "to": []}
    assert change["last_day"]["to"] == new_last.isoformat()

    outlet_delete(outlet=fair, actor=office)

    assert Outlet.objects.count() == 0
    assert AuditEntry.objects.get(action="outlet.delete").data["name"] == "Hội chợ OCOP"
