"""The catalogue's world: certified products of Tân Lạc (the old Hoà Bình, today in Phú Thọ)
and of Thái Nguyên, made as the follow-up's tests make them (tests.evaluations.followup)."""

import pytest

from tests.evaluations.followup.conftest import World, today  # noqa: F401
from tests.evaluations.followup.conftest import _english as _english
from tests.evaluations.followup.conftest import units as units
from tests.evaluations.followup.conftest import users as users
from tests.evaluations.followup.conftest import world as world
from tests.factories import thai_nguyen_units


@pytest.fixture
def other(db):
    return thai_nguyen_units()
