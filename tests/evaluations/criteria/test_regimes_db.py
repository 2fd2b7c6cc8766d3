import pytest

from evaluations.criteria.selectors import regime_spec
from evaluations.criteria.services import regimes_load
from evaluations.engine.regimes import REGIMES
from evaluations.models import Regime

pytestmark = pytest.mark.django_db


def test_stored_regimes_give_the_engine_the_same_levels():
    regimes_load()
    regimes_load()  # idempotent

    stored = {regime.code: regime_spec(regime) for regime in Regime.objects.all()}

    assert stored == REGIMES
    assert Regime.objects.get(code="148/2023").levels.count() == 4


def test_the_district_checks_dossiers_under_148_and_the_commune_under_1489():
    regimes_load()

    checking = dict(
        Regime.objects.filter(levels__checks_dossiers=True).values_list("code", "levels__level")
    )

    assert checking == {"1048/2019": "district", "148/2023": "district", "1489/2025": "commune"}
