import pytest

from evaluations.criteria.services import criteria_import


@pytest.fixture
def imported_forms(db):
    """The 26 official forms of 148/2023, imported as the registry does."""
    return {r.product_set: r for r in criteria_import()}
