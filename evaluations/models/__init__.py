from .certificates import (
    Certificate,
    Decision,
    DecisionItem,
    Inspection,
    InspectionAttachment,
    Revocation,
)
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
    "Certificate",
    "ConflictDeclaration",
    "Council",
    "CouncilMember",
    "CriteriaVersion",
    "Criterion",
    "CriterionGroup",
    "Decision",
    "DecisionItem",
    "Dossier",
    "DossierEvent",
    "DossierVersion",
    "FormPart",
    "Inspection",
    "InspectionAttachment",
    "LevelResult",
    "Option",
    "Regime",
    "RegimeLevel",
    "RequiredDocument",
    "ReturnReason",
    "Revocation",
    "Round",
    "ScoreSheet",
    "ScoringForm",
    "SelfAssessmentAnswer",
    "Session",
    "SessionItem",
]
