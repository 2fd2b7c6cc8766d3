from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class FormStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    VERIFIED = "verified", _("Verified")


class Level(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


class DossierKind(models.TextChoices):
    FIRST = "first", _("First registration")
    UPGRADE = "upgrade", _("Upgrade")
    REEVALUATION = "reevaluation", _("Re-evaluation")


class DossierState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    ACCEPTED = "accepted", _("Accepted by the working group")
    UNDER_EVALUATION = "under_evaluation", _("Under evaluation")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Named groups of states.
DOSSIER_EDITABLE = frozenset({DossierState.DRAFT, DossierState.RETURNED})
DOSSIER_WAITING_FOR_CHECK = frozenset({DossierState.SUBMITTED, DossierState.RESUBMITTED})
DOSSIER_ACTIVE = frozenset(set(DossierState) - {DossierState.WITHDRAWN})


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


class ReturnItemKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    CRITERION = "criterion", _("Criterion")
    OTHER = "other", _("Other")
