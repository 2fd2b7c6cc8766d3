import copy

import pytest

from evaluations.criteria.services import criteria_import


@pytest.fixture(autouse=True)
def _from_empty(request):
    """These tests are about the loaders: they start from empty reference tables, as before
    the reference data was loaded once per test database (tests/fixtures/reference.py).
    Tests of the imported forms start from the module's import (`forms_world`)."""
    if "forms_world" not in request.fixturenames:
        request.getfixturevalue("empty_reference")


@pytest.fixture(scope="module")
def forms_world(django_db_setup, django_db_blocker, clock_day):
    """The 26 official forms imported once per module on empty reference tables, in a
    transaction the module's end rolls back (tests/fixtures/, decision 0018)."""
    from tests.fixtures.reference import empty_reference_tables
    from tests.fixtures.results_world import _world

    def build():
        empty_reference_tables()
        return {r.product_set: r for r in criteria_import()}

    yield from _world(django_db_blocker, clock_day, build)


@pytest.fixture
def imported_forms(request, forms_world):
    """The 26 official forms of 148/2023, imported as the registry does: product set number
    -> what `criteria_import` reported for it."""
    from tests.fixtures.results_world import _refuse_transactions

    _refuse_transactions(request)
    return copy.deepcopy(forms_world)
