from .criteria import CriteriaVersion, Criterion, CriterionGroup, FormPart, Option, ScoringForm
from .regimes import Regime, RegimeLevel

__all__ = [
    "CriteriaVersion",
    "Criterion",
    "CriterionGroup",
    "FormPart",
    "Option",
    "Regime",
    "RegimeLevel",
    "ScoringForm",
]
