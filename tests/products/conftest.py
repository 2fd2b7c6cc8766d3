import pytest
from django.conf import settings as django_settings
from django.utils import translation

from ocop.core.enums import Role
from products.enums import ProducerState
from tests.factories import producer_with_owner, user_with_role


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
