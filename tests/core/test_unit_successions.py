"""Both maps of Vietnam, each with its period of force, and the official 2025 links from the
old map to the new one, on the real data (issue 12): a merged province, a split commune, and a
new province's officers seeing what was recorded under the old units merged into it."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from vietnam_provinces import legacy
from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

from ocop.core.enums import Role, UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit, UnitSuccession
from ocop.core.selectors import units_now
from ocop.core.services.units import _load_successions, units_load
from products.selectors import producers_visible_to
from tests.factories import producer_with_owner, user_with_role

OLD, NEW = UnitScheme.THREE_TIER, UnitScheme.TWO_TIER


@pytest.fixture(scope="module")
def both_maps(django_db_setup, django_db_blocker):
    """Both maps loaded by the real loader, once for the module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        units_load()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def maps(both_maps, db):
    return both_maps


def unit(scheme, level, code) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(scheme=scheme, level=level, code=code)


def provinces_in_force(day: datetime.date) -> int:
    return AdministrativeUnit.objects.in_force(day).filter(level=UnitLevel.PROVINCE).count()


def test_each_map_has_its_period_of_force(maps):
    old = AdministrativeUnit.objects.filter(scheme=OLD)
    new = AdministrativeUnit.objects.filter(scheme=NEW)
    assert set(old.values_list("valid_from", "valid_until")) == {(None, datetime.date(2025, 6, 30))}
    assert set(new.values_list("valid_from", "valid_until")) == {(datetime.date(2025, 7, 1), None)}
    assert provinces_in_force(datetime.date(2024, 2, 29)) == 63
    assert provinces_in_force(datetime.date(2025, 6, 30)) == 63
    assert provinces_in_force(datetime.date(2025, 7, 1)) == 34
    assert provinces_in_force(datetime.date(2028, 2, 29)) == 34
    tan_lac = unit(OLD, UnitLevel.DISTRICT, "155")
    assert tan_lac.in_force_on(datetime.date(2025, 6, 30))
    assert not tan_lac.in_force_on(datetime.date(2025, 7, 1))


def test_a_merged_province_links_to_the_new_one(maps):
    phu_tho = unit(NEW, UnitLevel.PROVINCE, "25")
    merged = phu_tho.predecessors.filter(level=UnitLevel.PROVINCE).order_by("code")
    assert list(merged.values_list("name", flat=True)) == [
        "Tỉnh Hoà Bình",
        "Tỉnh Phú Thọ",
        "Tỉnh Vĩnh Phúc",
    ]
    hoa_binh = unit(OLD, UnitLevel.PROVINCE, "17")
    assert list(hoa_binh.successions.values_list("new__name", "partly")) == [
        ("Tỉnh Phú Thọ", False)
    ]
    # A district of the old map goes to the province its communes went to.
    tan_lac = unit(OLD, UnitLevel.DISTRICT, "155")
    assert list(tan_lac.successors.values_list("code", flat=True)) == ["25"]


def test_a_split_commune_links_to_each_part_and_a_whole_one_to_one(maps):
    dien_bien = unit(OLD, UnitLevel.COMMUNE, "00019")  # Phường Điện Biên, Ba Đình, Hà Nội
    assert sorted(dien_bien.successions.values_list("new__name", "partly")) == [
        ("Phường Ba Đình", True),
        ("Phường Hoàn Kiếm", True),
        ("Phường Văn Miếu - Quốc Tử Giám", True),
        ("Phường Ô Chợ Dừa", True),
    ]
    man_duc = unit(OLD, UnitLevel.COMMUNE, "05128")  # Thị trấn Mãn Đức, Tân Lạc
    assert man_duc.name == "Thị trấn Mãn Đức"
    assert list(man_duc.successions.values_list("new__name", "new__parent__code", "partly")) == [
        ("Xã Tân Lạc", "25", False)
    ]


def test_every_link_of_the_official_table_is_loaded_once(maps):
    # The table names 9 old wards (of Sơn La and Hồ Chí Minh City) that the package's old map
    # does not list: their 11 links have nothing to start from.
    old_communes = {w.code for w in legacy.Ward.iter_all()}
    links = [
        (entry.old_ward.code, new.code) for entry in OLD_TO_NEW.values() for new in entry.new_wards
    ]
    kept = [link for link in links if link[0] in old_communes]
    assert len(links) - len(kept) == 11
    communes = UnitSuccession.objects.filter(old__level=UnitLevel.COMMUNE)
    assert communes.count() == len(kept)
    assert not communes.exclude(new__level=UnitLevel.COMMUNE).exists()
    # Every province of the old map went somewhere; one (Tiền Giang) went to two.
    old_provinces = UnitSuccession.objects.filter(old__level=UnitLevel.PROVINCE)
    assert old_provinces.values("old").distinct().count() == 63
    assert list(old_provinces.filter(partly=True).values_list("old__name", flat=True)) == [
        "Tỉnh Tiền Giang",
        "Tỉnh Tiền Giang",
    ]
    total = UnitSuccession.objects.count()

    assert _load_successions() == total
    assert UnitSuccession.objects.count() == total


def test_a_new_units_officers_see_what_was_recorded_under_the_old_units_merged_into_it(maps):
    man_duc = unit(OLD, UnitLevel.COMMUNE, "05128")
    producer, _ = producer_with_owner(commune=man_duc, name="HTX Mãn Đức")
    phu_tho = unit(NEW, UnitLevel.PROVINCE, "25")
    tan_lac_commune = unit(NEW, UnitLevel.COMMUNE, "05128")
    officers = {
        "new province": user_with_role(Role.PROVINCE_OFFICER, phu_tho, username="pt"),
        "new commune": user_with_role(Role.COMMUNE_OFFICER, tan_lac_commune, username="tl"),
        "old province": user_with_role(
            Role.PROVINCE_OFFICER, unit(OLD, UnitLevel.PROVINCE, "17"), username="hb"
        ),
        "another new province": user_with_role(
            Role.PROVINCE_OFFICER, unit(NEW, UnitLevel.PROVINCE, "01"), username="hn"
        ),
        "another new commune": user_with_role(
            Role.COMMUNE_OFFICER, unit(NEW, UnitLevel.COMMUNE, "05158"), username="pp"
        ),
    }

    sees = {
        who: producers_visible_to(officer).filter(pk=producer.pk).exists()
        for who, officer in officers.items()
    }
    contains = {who: officer.jurisdiction.contains(man_duc) for who, officer in officers.items()}

    expected = {
        "new province": True,
        "new commune": True,
        "old province": True,
        "another new province": False,
        "another new commune": False,
    }
    assert sees == expected
    assert contains == expected


def test_a_producer_recorded_on_the_old_map_is_shown_on_todays_map(
    maps, client, django_assert_num_queries
):
    man_duc = unit(OLD, UnitLevel.COMMUNE, "05128")
    whole, owner = producer_with_owner(commune=man_duc, name="HTX Mãn Đức", username="md")
    dien_bien = unit(OLD, UnitLevel.COMMUNE, "00019")  # split among four new wards
    split, _ = producer_with_owner(commune=dien_bien, name="HTX Điện Biên", username="db")
    phu_tho_officer = user_with_role(
        Role.PROVINCE_OFFICER, unit(NEW, UnitLevel.PROVINCE, "25"), username="pt"
    )
    ha_noi_officer = user_with_role(
        Role.PROVINCE_OFFICER, unit(NEW, UnitLevel.PROVINCE, "01"), username="hn"
    )

    client.force_login(phu_tho_officer)
    page = client.get(reverse("products:producer_detail", args=[whole.pk]))
    assert page.status_code == 200
    now = _text(page, "address-now")
    assert "Xã Tân Lạc, Tỉnh Phú Thọ" in now and "30/06/2025" in now
    assert client.get(reverse("products:producer_detail", args=[split.pk])).status_code == 404

    client.force_login(ha_noi_officer)
    now = _text(client.get(reverse("products:producer_detail", args=[split.pk])), "address-now")
    assert "chia tách" in now
    for ward in ("Ba Đình", "Hoàn Kiếm", "Ô Chợ Dừa", "Văn Miếu - Quốc Tử Giám"):
        assert f"Phường {ward}, Thành phố Hà Nội" in now

    client.force_login(owner)
    assert "Xã Tân Lạc, Tỉnh Phú Thọ" in _text(client.get(reverse("products:desk")), "address-now")

    # An address on today's map: nothing more to show, and no query to find it out.
    tan_lac_commune = unit(NEW, UnitLevel.COMMUNE, "05128")
    with django_assert_num_queries(0):
        assert units_now(tan_lac_commune) == []


def _text(response, testid: str) -> str:
    """The page's text from the element with this test id to the end of its <dd>."""
    page = response.content.decode()
    start = page.index(f'data-testid="{testid}"')
    return " ".join(page[start : page.index("</dd>", start)].split())
