from django.db import transaction

from evaluations.models import Regime, RegimeLevel
from evaluations.reference_data import FIRST_CHECKING_LEVEL, REGIMES
from ocop.core.audit import audit_log


def regimes_load(*, actor=None) -> list[Regime]:
    """Create or update the regimes of OCOP.md's "Levels" table. Idempotent."""
    regimes = []
    with transaction.atomic():
        for code, name, effective_from, levels in REGIMES:
            regime, _ = Regime.objects.update_or_create(
                code=code, defaults={"name": name, "effective_from": effective_from}
            )
            for level, order, scores, role, min_stars, max_stars, threshold in levels:
                RegimeLevel.objects.update_or_create(
                    regime=regime,
                    level=level,
                    defaults={
                        "order": order,
                        "scores": scores,
                        "checks_dossiers": FIRST_CHECKING_LEVEL[code] == level,
                        "role": role,
                        "recognises_min_stars": min_stars,
                        "recognises_max_stars": max_stars,
                        "forward_threshold": threshold,
                    },
                )
            regimes.append(regime)
        audit_log(actor=actor, action="regimes.load", data={"codes": [r.code for r in regimes]})
    return regimes
