from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocop.core.enums import BadgeChoices, badges

# The states' badge colours (Bootstrap's `text-bg-<colour>`) are given by `@badges` on each
# class and drawn by `{% badge %}` (ocop/core/templatetags/status_tags.py).


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


@badges(UNVERIFIED="warning", VERIFIED="success")
class FormStatus(BadgeChoices):
    UNVERIFIED = "unverified", _("Unverified")
    VERIFIED = "verified", _("Verified")


class Level(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


# How Vietnamese administrative documents name each level inside a sentence ("cấp huyện"):
# the minutes, the decision drafts and the forwarding letters, whatever the page's language.
LEVEL_NAMES_VI = {
    Level.COMMUNE: "xã",
    Level.DISTRICT: "huyện",
    Level.PROVINCE: "tỉnh",
    Level.CENTRAL: "trung ương",
}


class DossierKind(models.TextChoices):
    FIRST = "first", _("First registration")
    UPGRADE = "upgrade", _("Upgrade")
    REEVALUATION = "reevaluation", _("Re-evaluation")


@badges(
    DRAFT="secondary",
    SUBMITTED="primary",
    RETURNED="warning",
    RESUBMITTED="info",
    ACCEPTED="success",
    UNDER_EVALUATION="success",
    FORWARDED="info",
    RECOGNISED="success",
    NOT_RECOGNISED="secondary",
    WITHDRAWN="dark",
)
class DossierState(BadgeChoices):
    DRAFT = "draft", pgettext_lazy("dossier state", "Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted by the working group")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    FORWARDED = "forwarded", _("Forwarded to the next level")
    RECOGNISED = "recognised", _("Result final: recognised")
    NOT_RECOGNISED = "not_recognised", _("Result final: not recognised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Named groups of states.
DOSSIER_EDITABLE = frozenset({DossierState.DRAFT, DossierState.RETURNED})
DOSSIER_WAITING_FOR_CHECK = frozenset({DossierState.SUBMITTED, DossierState.RESUBMITTED})
DOSSIER_ACTIVE = frozenset(set(DossierState) - {DossierState.WITHDRAWN})
# States in which a council of the dossier's current level may take the dossier up.
DOSSIER_READY_FOR_COUNCIL = frozenset({DossierState.ACCEPTED, DossierState.FORWARDED})
DOSSIER_RESULT_FINAL = frozenset({DossierState.RECOGNISED, DossierState.NOT_RECOGNISED})


class DossierAction(models.TextChoices):
    """What a dossier event records: a move of the state machine, or a change beside it."""

    CREATE = "create", _("Registered")
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned for correction")
    RESUBMIT = "resubmit", _("Resubmitted")
    ACCEPT = "accept", _("Accepted")
    WITHDRAW = "withdraw", _("Withdrawn")
    START_EVALUATION = "start_evaluation", _("Evaluation started")
    EXTEND_DEADLINE = "extend_deadline", _("Deadline extended")
    FORWARD = "forward", _("Forwarded to the next level")
    RESULT = "result", _("Council result final")


class ReturnItemKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    CRITERION = "criterion", _("Criterion")
    OTHER = "other", _("Other")


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice-chair")
    MEMBER = "member", _("Member")
    SECRETARY = "secretary", _("Secretary")


# The roles that score; the secretary keeps the minutes and does not score.
SCORING_ROLES = frozenset({CouncilRole.CHAIR, CouncilRole.VICE_CHAIR, CouncilRole.MEMBER})


@badges(SCORING="primary", FINAL="success")
class ItemState(BadgeChoices):
    SCORING = "scoring", _("Scoring")
    FINAL = "final", _("Result final")


@badges(DRAFT="warning", SUBMITTED="success")
class SheetState(BadgeChoices):
    DRAFT = "draft", pgettext_lazy("score sheet", "Draft")
    SUBMITTED = "submitted", _("Submitted")


@badges(
    RECUSED="secondary",
    SUBMITTED="success",
    EXCUSED="secondary",
    REOPENED="warning",
    DRAFT="warning",
    NOT_DECLARED="light border",
)
class MemberSheetStatus(BadgeChoices):
    """Where a council member stands with one product's score sheet, as the session pages
    show it (`evaluations.councils.consolidation.MemberStatus.status`). Not stored."""

    RECUSED = "recused", _("recused")
    SUBMITTED = "submitted", _("submitted")
    EXCUSED = "excused", _("excused")
    REOPENED = "reopened", _("re-scoring")
    DRAFT = "draft", _("scoring")
    NOT_DECLARED = "not_declared", _("not started")


@badges(RECOGNISED="success", FORWARDED="primary", REFERRED_DOWN="info", NOT_RECOGNISED="secondary")
class Outcome(BadgeChoices):
    """A level's outcome for a product (`evaluations.engine.regimes.OutcomeKind`)."""

    RECOGNISED = "recognised", _("Recognised at this level")
    FORWARDED = "forwarded", _("Forwarded to the next level")
    REFERRED_DOWN = "referred_down", _("Recognised at a lower level")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


@badges(DRAFT="secondary", ISSUED="success")
class DecisionState(BadgeChoices):
    DRAFT = "draft", pgettext_lazy("decision", "Draft")
    ISSUED = "issued", _("Issued")


@badges(
    VALID="success",
    EXPIRING="warning",
    EXPIRED="secondary",
    REVOKED="danger",
    SUPERSEDED="info",
)
class CertificateStatus(BadgeChoices):
    """What a certificate's standing is. `valid`, `revoked`, `superseded` and `expired` are
    stored; `expiring` is a valid certificate within the warning period of its end (computed
    by date, so it is right before the daily command has run)."""

    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


STORED_CERTIFICATE_STATUSES = (
    CertificateStatus.VALID,
    CertificateStatus.EXPIRED,
    CertificateStatus.REVOKED,
    CertificateStatus.SUPERSEDED,
)


class RevocationReason(models.TextChoices):
    NOT_REEVALUATED = "not_reevaluated", _("Not re-evaluated in time")
    FAILED_MINIMUMS = "failed_minimums", _("Failed the mandatory minimums")
    QUALITY_VIOLATION = "quality_violation", _("Quality or food-safety violation")
    PRODUCER_REQUEST = "producer_request", _("At the producer's request")


@badges(COMPLIANT="success", WARNING="warning", PROPOSE_REVOCATION="danger")
class InspectionOutcome(BadgeChoices):
    COMPLIANT = "compliant", _("Compliant")
    WARNING = "warning", _("Warning")
    PROPOSE_REVOCATION = "propose_revocation", _("Proposal to revoke")


# --- follow-up after certification (evaluations.followup) ---------------------------------


class CommitmentKind(models.TextChoices):
    """What a producer commits to keep up while its certificate is valid."""

    STANDARD = "standard", _("Standard applied")
    LAB_TESTS = "lab_tests", _("Lab tests to renew")
    TRACEABILITY = "traceability", _("Traceability")
    VOLUME = "volume", _("Production volume")
    OTHER = "other", pgettext_lazy("commitment kind", "Other")


@badges(OPEN="primary", MET="success", MISSED="danger")
class CommitmentState(BadgeChoices):
    OPEN = "open", pgettext_lazy("commitment", "Open")
    MET = "met", pgettext_lazy("commitment", "Met")
    MISSED = "missed", pgettext_lazy("commitment", "Missed")


@badges(DRAFT="warning", SUBMITTED="success")
class SelfReportState(BadgeChoices):
    DRAFT = "draft", pgettext_lazy("self-report", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("self-report", "Submitted")


@badges(MET="success", NOT_MET="danger", IN_PROGRESS="info")
class AnswerStatus(BadgeChoices):
    """The producer's answer about one commitment in a yearly self-report."""

    MET = "met", pgettext_lazy("self-report answer", "Met")
    NOT_MET = "not_met", pgettext_lazy("self-report answer", "Not met")
    IN_PROGRESS = "in_progress", pgettext_lazy("self-report answer", "In progress")


@badges(
    UPCOMING="light border", OPEN="primary", SUBMITTED="success", LATE="warning", MISSED="danger"
)
class SelfReportStanding(BadgeChoices):
    """Where one year's self-report of a certificate stands on a day (computed, not stored)."""

    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("To write")
    SUBMITTED = "submitted", _("Submitted on time")
    LATE = "late", _("Submitted late")
    MISSED = "missed", _("Missed")


class ReminderKind(models.TextChoices):
    """The mails of `send_followup_reminders`, each sent once per certificate and year."""

    BEFORE_FIRST = "before_first", _("First reminder to the producer")
    BEFORE_LAST = "before_last", _("Last reminder to the producer")
    MISSED = "missed", _("Missed: notice to the office")


@badges(PLANNED="primary", DONE="success", CANCELLED="secondary")
class PlanItemState(BadgeChoices):
    PLANNED = "planned", pgettext_lazy("plan item", "Planned")
    DONE = "done", pgettext_lazy("plan item", "Inspected")
    CANCELLED = "cancelled", pgettext_lazy("plan item", "Cancelled")


@badges(
    PROPOSE_REVOCATION="danger",
    WARNING="warning",
    MISSED_SELF_REPORT="danger",
    LATE_SELF_REPORT="warning",
    NEVER_INSPECTED="secondary",
    EXPIRING="info",
)
class RiskReason(BadgeChoices):
    """Why a certified product is proposed for the year's inspection plan."""

    PROPOSE_REVOCATION = "propose_revocation", _("Last inspection proposed revocation")
    WARNING = "warning", _("Last inspection gave a warning")
    MISSED_SELF_REPORT = "missed_self_report", _("Self-report missed")
    LATE_SELF_REPORT = "late_self_report", _("Self-report submitted late")
    NEVER_INSPECTED = "never_inspected", _("Never inspected")
    EXPIRING = "expiring", _("Certificate ends within the year")
