import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ocop.core.enums import Role, UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit, AuditEntry
from ocop.core.services.units import format_code, short_name, units_load
from tests.factories import UnitFactory, phu_tho_units

pytestmark = pytest.mark.django_db


def _counts(scheme):
    qs = AdministrativeUnit.objects.filter(scheme=scheme)
    return {level: qs.filter(level=level).count() for level in UnitLevel.values}


def test_load_units_gives_the_official_counts_of_both_schemes():
    units_load()

    assert _counts(UnitScheme.THREE_TIER) == {"province": 63, "district": 696, "commune": 10051}
    assert _counts(UnitScheme.TWO_TIER) == {"province": 34, "district": 0, "commune": 3321}


def test_load_units_twice_changes_nothing_and_keeps_ids():
    units_load(schemes=[UnitScheme.TWO_TIER])
    ids = dict(AdministrativeUnit.objects.values_list("code", "pk").filter(level="province"))

    units_load(schemes=[UnitScheme.TWO_TIER])

    assert AdministrativeUnit.objects.filter(scheme=UnitScheme.TWO_TIER).count() == 34 + 3321
    assert (
        dict(AdministrativeUnit.objects.values_list("code", "pk").filter(level="province")) == ids
    )


def test_load_units_places_tan_lac_under_hoa_binh():
    units_load(schemes=[UnitScheme.THREE_TIER])

    tan_lac = AdministrativeUnit.objects.get(
        scheme=UnitScheme.THREE_TIER, level=UnitLevel.DISTRICT, short_name="Tân Lạc"
    )
    assert tan_lac.code == "155"
    assert tan_lac.name == "Huyện Tân Lạc"
    assert tan_lac.parent.code == "17"
    assert tan_lac.parent.short_name == "Hoà Bình"
    assert tan_lac.children.filter(level=UnitLevel.COMMUNE).count() == 16


def test_load_units_records_one_audit_entry_with_the_counts():
    before = AuditEntry.objects.count()

    units_load(schemes=[UnitScheme.TWO_TIER])

    entry = AuditEntry.objects.get(seq=before + 1)
    assert entry.action == "units.load"
    assert entry.data["counts"] == {"2tier": {"province": 34, "commune": 3321}}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Huyện Tân Lạc", "Tân Lạc"),
        ("Thành phố Hà Nội", "Hà Nội"),
        ("Thị trấn Mãn Đức", "Mãn Đức"),
        ("Xã Phong Hiền", "Phong Hiền"),
        ("Đặc khu Phú Quốc", "Phú Quốc"),
        ("Côn Đảo", "Côn Đảo"),
    ],
)
def test_short_name_strips_the_division_type(name, expected):
    assert short_name(name) == expected


def test_format_code_pads_to_the_official_width():
    assert (format_code("province", 1), format_code("district", 1), format_code("commune", 4)) == (
        "01",
        "001",
        "00004",
    )


def test_contains_follows_the_parent_chain(units):
    assert units["province"].contains(units["commune"]) is True
    assert units["district"].contains(units["commune"]) is True
    assert units["other_district"].contains(units["commune"]) is False
    assert units["commune"].contains(units["province"]) is False


def test_full_path_reads_from_commune_to_province(units):
    assert units["commune"].full_path == "Thị trấn Mãn Đức, Huyện Tân Lạc, Tỉnh Hoà Bình"


def test_unit_options_lists_the_districts_of_the_chosen_province(client, units):
    response = client.get(
        "/units/options/",
        {"child": "district", "scheme": "3tier", "province": units["province"].pk},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Huyện Tân Lạc" in body
    assert "Huyện Đà Bắc" in body
    assert "Mãn Đức" not in body


def test_unit_options_with_garbage_lists_nothing(client, units):
    response = client.get("/units/options/", {"child": "district", "province": "x';--"})

    assert response.status_code == 200
    assert "Huyện" not in response.content.decode()


def test_units_page_shows_the_officers_jurisdiction(client, role_users):
    client.force_login(role_users[Role.DISTRICT_OFFICER])

    response = client.get("/units/")

    assert response.status_code == 200
    assert response.context["unit"].short_name == "Tân Lạc"
    assert [u.short_name for u in response.context["children"]] == ["Mãn Đức"]


def test_units_page_filters_by_the_selects(client, role_users, units):
    client.force_login(role_users[Role.PROVINCE_OFFICER])

    response = client.get(
        "/units/",
        {
            "scheme": "3tier",
            "province": units["province"].pk,
            "district": units["other_district"].pk,
        },
    )

    assert response.context["unit"] == units["other_district"]
    assert response.context["form"].has_districts


def test_units_page_opens_on_todays_map_and_shows_each_units_other_map(client, role_users, units):
    """Province → commune, no district select; a new unit lists the old ones merged into it,
    an old one the unit it went to."""
    new = phu_tho_units(units)
    client.force_login(role_users[Role.PROVINCE_OFFICER])

    start = client.get("/units/", {"scheme": "2tier"})
    commune = client.get(
        "/units/", {"scheme": "2tier", "province": new["province"].pk, "commune": new["commune"].pk}
    )
    old = client.get("/units/", {"scheme": "3tier", "province": units["province"].pk})

    assert not start.context["form"].has_districts
    assert "district" not in start.context["form"].fields
    assert list(start.context["children"]) == [new["province"]]
    assert commune.context["unit"] == new["commune"]
    assert commune.context["before"] == [units["commune"]]
    assert "Thị trấn Mãn Đức" in commune.text
    assert old.context["now"] == [new["province"]]
    assert 'data-testid="unit-now"' in old.text


def test_unit_options_lists_the_communes_of_a_province_of_todays_map(client, units):
    new = phu_tho_units(units)

    response = client.get(
        "/units/options/",
        {
            "child": "commune",
            "parent": "province",
            "scheme": "2tier",
            "province": new["province"].pk,
        },
    )

    assert "Xã Tân Lạc" in response.text
    assert "Xã Đà Bắc" in response.text


def test_units_page_refuses_a_commune_outside_the_chosen_district(client, role_users, units):
    client.force_login(role_users[Role.PROVINCE_OFFICER])

    response = client.get(
        "/units/",
        {
            "scheme": "3tier",
            "province": units["province"].pk,
            "district": units["other_district"].pk,
            "commune": units["commune"].pk,
        },
    )

    assert response.status_code == 200
    assert "commune" in response.context["form"].errors


def test_units_page_is_404_for_a_producer(client, role_users):
    client.force_login(role_users[Role.PRODUCER_MEMBER])

    assert client.get("/units/").status_code == 404


def test_units_page_sends_anonymous_users_to_login(client):
    response = client.get("/units/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


def _units_page_queries(client, user, parent, n):
    for i in range(n):
        UnitFactory(
            level=UnitLevel.COMMUNE,
            code=f"7{i:04d}",
            name=f"Xã Thử {i}",
            short_name=f"Thử {i}",
            parent=parent,
        )
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/units/")
    assert response.status_code == 200
    return len(queries)


def test_units_page_query_count_does_not_grow_with_units(client, role_users, units):
    user = role_users[Role.DISTRICT_OFFICER]

    with_one = _units_page_queries(client, user, units["district"], 1)
    with_three = _units_page_queries(client, user, units["district"], 2)

    assert with_one == with_three
