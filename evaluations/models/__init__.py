"""The app's models, re-exported for Django's model discovery (one app label, `evaluations`).

Each model lives in its subdomain package: criteria, intake, councils, certificates, followup.
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
from evaluations.followup.models import (
    Commitment,
    InspectionPlan,
    PlanItem,
    SelfReport,
    SelfReportAnswer,
    SelfReportReminder,
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
    "Commitment",
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
    "InspectionPlan",
    "LevelResult",
    "Option",
    "PlanItem",
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
    "SelfReport",
    "SelfReportAnswer",
    "SelfReportReminder",
    "Session",
    "SessionItem",
]
