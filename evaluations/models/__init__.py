"""The app's models, re-exported for Django's model discovery (one app label, `evaluations`).

Each model lives in its subdomain package: criteria, intake, councils, certificates.
"""

from evaluations.certificates.models import (
    Certificate,
    Decision,
    DecisionItem,
    Inspection,
    InspectionAttachment,
    Revocation,
)
from evaluations.councils.models import (
    ConflictDeclaration,
    Council,
    CouncilMember,
    LevelResult,
    ScoreSheet,
    Session,
    SessionItem,
)
from evaluations.criteria.models import (
    CriteriaVersion,
    Criterion,
    CriterionGroup,
    FormPart,
    Option,
    Regime,
    RegimeLevel,
    ScoringForm,
)
from evaluations.history.models import ResultImport
from evaluations.intake.models import (
    CommuneAssessment,
    Dossier,
    DossierEvent,
    DossierVersion,
    RequiredDocument,
    ReturnReason,
    Round,
    SelfAssessmentAnswer,
)

__all__ = [
    "Certificate",
    "CommuneAssessment",
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
    "ResultImport",
    "ReturnReason",
    "Revocation",
    "Round",
    "ScoreSheet",
    "ScoringForm",
    "SelfAssessmentAnswer",
    "Session",
    "SessionItem",
]
