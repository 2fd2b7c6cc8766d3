"""Where to buy (decision 0030): the producer's "Where to buy" pages and the office's points of
sale and fairs; bad input keeps the form, others' places are 404."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ocop.core.enums import Role
from ocop.core.models import AuditEntry
from products.models import Outlet, SalesPoint
from products.services.sales import outlet_create
from tests.factories import user_with_role
from tests.products.sales_world import make_online, make_outlet, make_shop

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


def shop_form(units, products, **overrides) -> dict:
    return {
        "kind": "shop",
        "name": "Cửa hàng HTX ở chợ Tân Lạc",
        "products": [p.pk for p in products],
        "province": units["new_province"].pk,
        "commune": units["new_commune"].pk,
        "address_detail": "Ki-ốt 12, chợ Mường Khến",
        "opening_hours": "7:00–18:00",
        "phone": "0218 3 861 234",
        "url": "",
        "order": "",
        **overrides,
    }


def outlet_form(units, **overrides) -> dict:
    return {
        "kind": "point_of_sale",
        "name": "Điểm giới thiệu và bán sản phẩm OCOP",
        "province": units["new_province"].pk,
        "commune": units["new_commune"].pk,
        "address_detail": "Số 1 đường Hùng Vương",
        "opening_hours": "",
        "phone": "",
        "url": "",
        "first_day": "",
        "last_day": "",
        **overrides,
    }


def errors(response) -> dict[str, list[str]]:
    return {field: list(messages) for field, messages in response.context["form"].errors.items()}


# --- the producer's pages -------------------------------------------------------------------


def test_the_desk_leads_to_where_to_buy_which_says_it_is_public(client, cooperative, units):
    producer, owner, products = cooperative
    make_shop(units, producer, owner, products[:2])
    client.force_login(owner)

    desk = client.get("/producer/").content.decode()
    assert 'href="/producer/sales-points/"' in desk

    response = client.get("/producer/sales-points/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Everything on this page is public" in body
    assert "Cửa hàng HTX ở chợ Tân Lạc" in body
    assert 'href="tel:02183861234"' in body
    assert "Cam Tân Lạc, Mật ong Tân Lạc" in body


def test_a_member_adds_a_shop_from_the_form(client, cooperative, units):
    producer, owner, products = cooperative
    client.force_login(owner)
    assert client.get("/producer/sales-points/new/").status_code == 200

    response = client.post("/producer/sales-points/new/", shop_form(units, products[:1]))

    assert response.status_code == 302
    assert response["Location"] == "/producer/sales-points/"
    point = SalesPoint.objects.get()
    assert (point.producer, point.address_unit, point.order) == (
        producer,
        units["new_commune"],
        0,
    )
    assert list(point.products.all()) == [products[0]]
    assert AuditEntry.objects.filter(action="salespoint.create").count() == 1


def test_a_web_address_typed_without_https_gets_it(client, cooperative):
    _producer, owner, products = cooperative
    client.force_login(owner)

    client.post(
        "/producer/sales-points/new/",
        {
            "kind": "marketplace",
            "name": "Shopee",
            "products": [products[0].pk],
            "url": "shopee.vn/htx-tan-lac",
        },
    )

    assert SalesPoint.objects.get().url == "https://shopee.vn/htx-tan-lac"


def test_bad_input_names_each_field_keeps_what_was_typed_and_saves_nothing(
    client, cooperative, units
):
    _producer, owner, products = cooperative
    client.force_login(owner)
    data = shop_form(units, products[:1], commune="", address_detail="", phone="12345")

    response = client.post("/producer/sales-points/new/", data)

    assert response.status_code == 200
    assert errors(response) == {
        "commune": ["Choose the commune the shop is in."],
        "address_detail": ["Enter the shop's street address (house number, street or village)."],
        "phone": ["Enter a phone number of 9 to 15 digits, e.g. 0912345678."],
    }
    body = response.content.decode()
    assert 'value="Cửa hàng HTX ở chợ Tân Lạc"' in body
    assert 'value="12345"' in body
    assert SalesPoint.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"kind": "marketplace", "url": "javascript:alert(1)"},
            {
                "url": [
                    "Enter a web address starting with http:// or https://, e.g. https://shopee.vn/…"
                ]
            },
        ),
        ({"kind": "website", "url": ""}, {"url": ["Enter the page's web address."]}),
        ({"products": []}, {"products": ["This field is required."]}),
        (
            {"kind": "stall"},
            {"kind": ["Select a valid choice. stall is not one of the available choices."]},
        ),
        ({"order": "-1"}, {"order": ["Ensure this value is greater than or equal to 0."]}),
        (
            {"products": ["99999999999999999999"]},
            {"products": ["“99999999999999999999” is not a valid value."]},
        ),
        ({"province": "1e5"}, {"province": [INVALID_CHOICE], "commune": [INVALID_CHOICE]}),
    ],
)
def test_more_bad_input_is_refused_on_its_field(client, cooperative, units, overrides, expected):
    _producer, owner, products = cooperative
    client.force_login(owner)

    data = {**shop_form(units, products), **overrides}

    response = client.post("/producer/sales-points/new/", data)

    assert response.status_code == 200
    assert errors(response) == expected
    assert SalesPoint.objects.count() == 0


def test_another_producers_product_cannot_be_ticked(client, cooperative, units, elsewhere):
    _producer, owner, products = cooperative
    client.force_login(owner)
    data = shop_form(units, [products[0], elsewhere["product"]])

    response = client.post("/producer/sales-points/new/", data)

    assert response.status_code == 200
    assert list(errors(response)) == ["products"]
    assert SalesPoint.objects.count() == 0


def test_the_messages_are_in_vietnamese_for_a_vietnamese_page(client, cooperative, units):
    _producer, owner, products = cooperative
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"

    response = client.post(
        "/producer/sales-points/new/",
        shop_form(units, products, commune="", kind="shop", url="ftp://htx.vn"),
    )

    assert errors(response) == {
        "commune": ["Chọn xã, phường nơi có cửa hàng."],
        "url": ["Nhập địa chỉ web bắt đầu bằng http:// hoặc https://, ví dụ https://shopee.vn/…"],
    }
    assert "Mọi thông tin bạn nhập ở đây đều công khai" in response.content.decode()


def test_a_member_edits_and_removes_a_place(client, cooperative, units):
    producer, owner, products = cooperative
    point = make_shop(units, producer, owner, products[:1])
    client.force_login(owner)
    page = client.get(f"/producer/sales-points/{point.pk}/edit/")
    assert page.status_code == 200
    assert page.context["form"].initial["commune"] == units["new_commune"].pk

    response = client.post(
        f"/producer/sales-points/{point.pk}/edit/",
        shop_form(units, products, opening_hours="Cả tuần"),
    )

    assert response.status_code == 302
    point.refresh_from_db()
    assert point.opening_hours == "Cả tuần"
    assert point.products.count() == 3
    assert client.get(f"/producer/sales-points/{point.pk}/delete/").status_code == 405

    response = client.post(f"/producer/sales-points/{point.pk}/delete/")

    assert response.status_code == 302
    assert SalesPoint.objects.count() == 0


def test_others_get_404_for_a_producers_places(client, cooperative, units, elsewhere, office):
    producer, owner, products = cooperative
    point = make_shop(units, producer, owner, products[:1])
    edit = f"/producer/sales-points/{point.pk}/edit/"
    delete = f"/producer/sales-points/{point.pk}/delete/"

    response = client.get("/producer/sales-points/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")
    assert client.get(edit).status_code == 302

    for outsider in (elsewhere["owner"], office):
        client.force_login(outsider)
        assert client.get(edit).status_code == 404
        assert client.post(edit, shop_form(units, products, name="Của tôi")).status_code == 404
        assert client.post(delete).status_code == 404
    client.force_login(office)
    assert client.get("/producer/sales-points/").status_code == 404
    assert client.get("/producer/sales-points/new/").status_code == 404
    point.refresh_from_db()
    assert point.name == "Cửa hàng HTX ở chợ Tân Lạc"
    # The other producer's own list does not show it.
    client.force_login(elsewhere["owner"])
    assert "Cửa hàng HTX" not in client.get("/producer/sales-points/").content.decode()


def test_the_list_query_count_does_not_grow(client, cooperative, units):
    producer, owner, products = cooperative
    make_shop(units, producer, owner, products[:2], name="Cửa hàng 1")
    client.force_login(owner)
    with CaptureQueriesContext(connection) as one:
        response = client.get("/producer/sales-points/")
    assert len(response.context["sales_points"]) == 1
    make_shop(units, producer, owner, products, name="Cửa hàng 2")
    make_online(producer, owner, products[1:])

    with CaptureQueriesContext(connection) as three:
        response = client.get("/producer/sales-points/")

    assert len(response.context["sales_points"]) == 3
    assert len(three) == len(one)


# --- the office's pages ---------------------------------------------------------------------


def test_the_office_lists_its_provinces_places_only(client, units, office, elsewhere):
    make_outlet(units, office, name="Điểm bán Phú Thọ")
    make_outlet(units, office, kind="fair", name="Hội chợ Phú Thọ", days=(5, 7))
    outlet_create(
        province=elsewhere["province"],
        actor=elsewhere["officer"],
        kind="point_of_sale",
        name="Điểm bán Thái Nguyên",
        address_unit=elsewhere["commune"],
        address_detail="Số 2",
    )
    client.force_login(office)

    response = client.get("/outlets/")

    assert response.status_code == 200
    assert [o.name for o in response.context["outlets"]] == ["Điểm bán Phú Thọ", "Hội chợ Phú Thọ"]
    assert "Điểm bán Thái Nguyên" not in response.content.decode()
    assert 'href="/outlets/new/?kind=fair"' in response.content.decode()


def test_the_office_filters_by_kind_and_fairs_by_their_days(client, units, office):
    make_outlet(units, office, name="Điểm bán")
    make_outlet(units, office, kind="fair", name="Sắp tới", days=(5, 7))
    make_outlet(units, office, kind="fair", name="Đang diễn ra", days=(-1, 1))
    make_outlet(units, office, kind="fair", name="Đã qua", days=(-7, -5))
    client.force_login(office)

    def listed(query: str) -> list[str]:
        return sorted(o.name for o in client.get(f"/outlets/?{query}").context["outlets"])

    assert listed("kind=point_of_sale") == ["Điểm bán"]
    assert listed("kind=fair") == ["Sắp tới", "Đang diễn ra", "Đã qua"]
    assert listed("period=upcoming") == ["Sắp tới"]
    assert listed("period=ongoing") == ["Đang diễn ra"]
    assert listed("period=past") == ["Đã qua"]
    assert client.get("/outlets/?period=soon").status_code == 200


def test_the_office_marks_a_fair_from_the_form(client, units, office, cooperative):
    _producer, _owner, products = cooperative
    client.force_login(office)
    page = client.get("/outlets/new/?kind=fair")
    assert page.status_code == 200
    form = page.context["form"]
    assert [p.pk for p in form.fields["province"].queryset] == [units["new_province"].pk]
    assert set(form.fields["products"].queryset) == set(products)
    first = timezone.localdate() + datetime.timedelta(days=10)

    response = client.post(
        "/outlets/new/",
        outlet_form(
            units,
            kind="fair",
            name="Hội chợ OCOP Phú Thọ",
            first_day=first.isoformat(),
            last_day=(first + datetime.timedelta(days=4)).isoformat(),
            products=[products[0].pk],
        ),
    )

    assert response.status_code == 302
    fair = Outlet.objects.get()
    assert (fair.kind, fair.first_day, fair.created_by) == ("fair", first, office)
    assert list(fair.products.all()) == [products[0]]


def test_a_fair_without_its_days_in_order_is_refused_with_the_input_kept(client, units, office):
    client.force_login(office)
    first = timezone.localdate() + datetime.timedelta(days=10)
    data = outlet_form(
        units,
        kind="fair",
        name="Hội chợ xuân",
        first_day=first.isoformat(),
        last_day=(first - datetime.timedelta(days=1)).isoformat(),
    )

    response = client.post("/outlets/new/", data)

    assert response.status_code == 400
    assert errors(response) == {"last_day": ["The last day cannot come before the first day."]}
    assert 'value="Hội chợ xuân"' in response.content.decode()

    response = client.post("/outlets/new/", {**data, "first_day": "", "last_day": "31/02/2026"})

    assert errors(response) == {
        "first_day": ["Enter the fair's first day."],
        "last_day": ["Enter a valid date."],
    }
    assert Outlet.objects.count() == 0


def test_the_office_cannot_pick_another_province(client, units, office, elsewhere):
    client.force_login(office)

    response = client.post(
        "/outlets/new/",
        outlet_form(units, province=elsewhere["province"].pk, commune=elsewhere["commune"].pk),
    )

    assert response.status_code == 400
    assert list(errors(response)) == ["province"]
    assert Outlet.objects.count() == 0


def test_the_office_edits_and_removes_a_place(client, units, office):
    outlet = make_outlet(units, office)
    client.force_login(office)
    assert client.get(f"/outlets/{outlet.pk}/edit/").status_code == 200

    response = client.post(
        f"/outlets/{outlet.pk}/edit/", outlet_form(units, opening_hours="8:00–17:00")
    )

    assert response.status_code == 302
    outlet.refresh_from_db()
    assert outlet.opening_hours == "8:00–17:00"

    assert client.post(f"/outlets/{outlet.pk}/delete/").status_code == 302
    assert Outlet.objects.count() == 0


def test_others_get_404_for_the_offices_places(client, units, office, elsewhere, cooperative):
    outlet = make_outlet(units, office)
    _producer, owner, _products = cooperative
    old_office = user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hoabinh")
    district = user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tanlac")

    assert client.get("/outlets/").status_code == 302
    for outsider in (elsewhere["officer"], owner, old_office, district):
        client.force_login(outsider)
        assert client.get(f"/outlets/{outlet.pk}/edit/").status_code == 404
        assert client.post(f"/outlets/{outlet.pk}/edit/", outlet_form(units)).status_code == 404
        assert client.post(f"/outlets/{outlet.pk}/delete/").status_code == 404
    for outsider in (owner, old_office, district):
        client.force_login(outsider)
        assert client.get("/outlets/").status_code == 404
        assert client.get("/outlets/new/").status_code == 404
    assert Outlet.objects.get().name == outlet.name


def test_an_administrator_sees_and_edits_every_provinces_places(client, units, office, elsewhere):
    outlet = make_outlet(units, office)
    admin = user_with_role(Role.ADMINISTRATOR, username="quantri")
    client.force_login(admin)

    response = client.get("/outlets/")

    assert [o.name for o in response.context["outlets"]] == [outlet.name]
    assert "Tỉnh Phú Thọ" in response.content.decode()
    assert client.get(f"/outlets/{outlet.pk}/edit/").status_code == 200
    assert client.get("/outlets/new/").context["form"].fields["province"].queryset.count() == 2


def test_the_office_list_query_count_does_not_grow(client, units, office, cooperative):
    _producer, _owner, products = cooperative
    make_outlet(units, office, products=products[:1])
    client.force_login(office)
    with CaptureQueriesContext(connection) as one:
        response = client.get("/outlets/")
    assert len(response.context["outlets"]) == 1
    make_outlet(units, office, name="Điểm bán 2", products=products)
    make_outlet(units, office, kind="fair", name="Hội chợ", days=(1, 2))

    with CaptureQueriesContext(connection) as three:
        response = client.get("/outlets/")

    assert len(response.context["outlets"]) == 3
    assert len(three) == len(one)


def test_the_offices_menu_leads_to_its_places(client, office, units):
    client.force_login(office)

    body = client.get("/outlets/").content.decode()

    assert 'href="/outlets/" data-nav="outlet_list"' in body


def test_the_menu_entry_is_for_the_offices_of_todays_provinces_and_administrators(
    units, office, cooperative
):
    from django.apps import apps

    def keys(user) -> list[str]:
        return [item.key for item in apps.get_app_config("products").navigation(user)]

    _producer, owner, _products = cooperative
    old_office = user_with_role(Role.PROVINCE_OFFICER, units["province"], username="hoabinh")
    admin = user_with_role(Role.ADMINISTRATOR, username="quantri")

    assert "outlet_list" in keys(office)
    assert "outlet_list" in keys(admin)
    assert "outlet_list" not in keys(old_office)
    assert "outlet_list" not in keys(owner)
