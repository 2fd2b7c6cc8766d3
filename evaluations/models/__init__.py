from .criteria import CriteriaVersion, Criterion, CriterionGroup, FormPart, Option, ScoringForm
from .dossiers import (
    Dossier,
    DossierEvent,
    DossierVersion,
    RequiredDocument,
    ReturnReason,
    SelfAssessmentAnswer,
)
from .regimes import Regime, RegimeLevel
from .rounds import Round

__all__ = [
    "CriteriaVersion",
    "Criterion",
    "CriterionGroup",
    "Dossier",
    "DossierEvent",
    "DossierVersion",
    "FormPart",
    "Option",
    "Regime",
    "RegimeLevel",
    "RequiredDocument",
    "ReturnReason",
    "Round",
    "ScoringForm",
    "SelfAssessmentAnswer",
]
