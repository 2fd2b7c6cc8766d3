import pytest
from django.conf import settings as django_settings
from django.utils import translation

from ocop.core.enums import Role
from products.enums import ProducerState
from tests.factories import producer_with_owner, product_for, user_with_role
from tests.products.sales_world import thai_nguyen_today


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are asserted in English, the source language (the UI defaults to Vietnamese)."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """Uploads go to a fresh private directory for each test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def producer(units):
    """A pending cooperative in Mãn Đức and its owner."""
    return producer_with_owner(commune=units["commune"], state=ProducerState.PENDING)


@pytest.fixture
def verified(units):
    return producer_with_owner(
        commune=units["commune"], state=ProducerState.VERIFIED, username="htx_verified"
    )


@pytest.fixture
def district_officer(units):
    return user_with_role(Role.DISTRICT_OFFICER, units["district"], username="tanlac")


@pytest.fixture
def other_district_officer(units):
    return user_with_role(Role.DISTRICT_OFFICER, units["other_district"], username="dabac")


# --- where to buy (tests/products/sales_world.py) ---------------------------------------


@pytest.fixture
def cooperative(units):
    """A verified cooperative of Xã Tân Lạc (today's map), its owner and three products,
    recognised."""
    producer, owner = producer_with_owner(
        commune=units["new_commune"], username="htx_tanlac", name="HTX Tân Lạc"
    )
    products = [
        product_for(producer, number=number, name=name)
        for number, name in ((1, "Cam Tân Lạc"), (2, "Mật ong Tân Lạc"), (3, "Gạo Tân Lạc"))
    ]
    for product in products:
        product.ocop_stars = 3
        product.save(update_fields=["ocop_stars"])
    return producer, owner, products


@pytest.fixture
def office(units):
    """Phú Thọ's OCOP office (a province officer of today's map)."""
    return user_with_role(Role.PROVINCE_OFFICER, units["new_province"], username="phutho")


@pytest.fixture
def elsewhere(units):
    """Thái Nguyên of today's map, its office, and a cooperative there with a product."""
    place = thai_nguyen_today()
    officer = user_with_role(Role.PROVINCE_OFFICER, place["province"], username="thainguyen")
    producer, owner = producer_with_owner(
        commune=place["commune"], username="htx_daitu", name="HTX Đại Từ"
    )
    product = product_for(producer, name="Chè Đại Từ")
    return {**place, "officer": officer, "producer": producer, "owner": owner, "product": product}
