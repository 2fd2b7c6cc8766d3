from .councils import Council, CouncilMember
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
from .sessions import ConflictDeclaration, LevelResult, ScoreSheet, Session, SessionItem

__all__ = [
    "ConflictDeclaration",
    "Council",
    "CouncilMember",
    "CriteriaVersion",
    "Criterion",
    "CriterionGroup",
    "Dossier",
    "DossierEvent",
    "DossierVersion",
    "FormPart",
    "LevelResult",
    "Option",
    "Regime",
    "RegimeLevel",
    "RequiredDocument",
    "ReturnReason",
    "Round",
    "ScoreSheet",
    "ScoringForm",
    "SelfAssessmentAnswer",
    "Session",
    "SessionItem",
]
