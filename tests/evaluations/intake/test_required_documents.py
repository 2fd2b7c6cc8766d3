import pytest

from evaluations.intake.selectors import required_kinds
from evaluations.intake.services.required_documents import required_documents_load
from evaluations.models import RequiredDocument
from products.models import Sector

# The loader is counted from empty tables (the reference data is loaded per test database).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_reference")]


def test_defaults_load_once():
    first = required_documents_load()
    second = required_documents_load()

    assert first == {"created": 8, "updated": 0, "unchanged": 0}
    assert second == {"created": 0, "updated": 0, "unchanged": 8}
    assert RequiredDocument.objects.count() == 8


def test_lab_tests_are_required_for_food_drinks_and_herbs_only():
    required_documents_load()
    sector = {s.number: s.pk for s in Sector.objects.all()}

    food = required_kinds(sector_id=sector[1], dossier_kind="first")
    crafts = required_kinds(sector_id=sector[4], dossier_kind="upgrade")

    assert food == {
        "business_registration": True,
        "product_standard": True,
        "lab_test": True,
        "label": True,
        "product_story": True,
        "business_plan": False,
    }
    assert "lab_test" not in crafts
    assert crafts["business_plan"] is False


def test_a_row_for_one_dossier_kind_applies_to_that_kind_only():
    required_documents_load()
    RequiredDocument.objects.create(document_kind="trademark", dossier_kind="upgrade")

    assert "trademark" in required_kinds(sector_id=None, dossier_kind="upgrade")
    assert "trademark" not in required_kinds(sector_id=None, dossier_kind="first")
