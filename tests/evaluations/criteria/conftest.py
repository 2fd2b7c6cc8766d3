import pytest

from evaluations.criteria.services import criteria_import


@pytest.fixture(autouse=True)
def _from_empty(empty_reference):
    """These tests are about the loaders: they start from empty reference tables, as before
    the reference data was loaded once per test database (tests/fixtures/reference.py)."""


@pytest.fixture
def imported_forms(db):
    """The 26 official forms of 148/2023, imported as the registry does."""
    return {r.product_set: r for r in criteria_import()}
