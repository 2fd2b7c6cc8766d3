"""The real map of the provinces the published results name, loaded by the real loader.

`units_load` reads every unit of both maps (about 14,000); the tests load only Thừa Thiên
Huế (46), Thanh Hóa (38) and Yên Bái (15) of the old map and Huế, Thanh Hóa and Lào Cai
(15, which absorbed Yên Bái) of the new one, with the official conversion links between
them: a few hundred rows, the same code path."""

import datetime
from unittest import mock

import pytest

from evaluations.history.services import PUBLISHED_SAMPLE
from ocop.core.enums import Role, UnitLevel, UnitScheme
from ocop.core.models import AdministrativeUnit
from ocop.core.services import units as units_service
from tests.factories import user_with_role

SAMPLE = PUBLISHED_SAMPLE
PROVINCE_CODES = {"46", "38", "15"}
# The day the tests import on: the sample's latest decision (28/12/2023) is then still valid
# (until 28/12/2026), the others long expired; a fixed day, so the counts hold any day.
IMPORT_DAY = datetime.date(2026, 12, 1)


def _only(source, scheme):
    def rows():
        kept_districts = set()
        for row in source():
            if row.level == UnitLevel.PROVINCE:
                if row.code in PROVINCE_CODES:
                    yield row
            elif row.level == UnitLevel.DISTRICT:
                if row.parent_code in PROVINCE_CODES:
                    kept_districts.add(row.code)
                    yield row
            elif scheme == UnitScheme.TWO_TIER:
                if row.parent_code in PROVINCE_CODES:
                    yield row
            elif row.parent_code in kept_districts:
                yield row

    return rows


@pytest.fixture
def sample_map(db):
    sources = {scheme: _only(source, scheme) for scheme, source in units_service._SOURCES.items()}
    with mock.patch.dict(units_service._SOURCES, sources):
        units_service.units_load()
    return {
        (unit.scheme, unit.code): unit
        for unit in AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE)
    }


@pytest.fixture
def importer(sample_map):
    """An administrator: may import any province's results."""
    return user_with_role(Role.ADMINISTRATOR, username="nhap.lieu")


@pytest.fixture
def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture(autouse=True)
def _english():
    """The services' messages are asserted in English, the source language (the pages are
    asserted in Vietnamese, the UI's default)."""
    from django.utils import translation

    with translation.override("en"):
        yield
