"""Rounds of the annual cycle and the dossiers producers submit to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.enums import DossierAction, DossierKind, DossierState, Level, ReturnItemKind


class Round(models.Model):
    """An evaluation round ("đợt") of a province's annual cycle."""

    province = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("round number"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    regime = models.ForeignKey(
        "evaluations.Regime",
        verbose_name=_("regime"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    criteria_version = models.ForeignKey(
        "evaluations.CriteriaVersion",
        verbose_name=_("criteria version"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    # A round of a past year entered afterwards, under the regime of that year; any other
    # round takes the regime in force on the day it is opened (round_open).
    historical = models.BooleanField(_("entered as history"), default=False)
    # The historical import that created it (evaluations.history), if any.
    import_batch = models.ForeignKey(
        "evaluations.ResultImport",
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submission_deadline = models.DateField(_("submission deadline"))
    first_level_deadline = models.DateField(_("first-level evaluation deadline"))
    province_deadline = models.DateField(_("province evaluation deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-year", "-number"]
        permissions = [("open_round", "Can open rounds for the province")]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year", "number"], name="round_unique_number"
            ),
            models.CheckConstraint(
                condition=models.Q(first_level_deadline__gte=models.F("submission_deadline"))
                & models.Q(province_deadline__gte=models.F("first_level_deadline")),
                name="round_deadlines_in_order",
            ),
        ]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "province"

    def __str__(self) -> str:
        return self.title or f"{self.year} · {self.number}"


class RequiredDocument(models.Model):
    """The configurable checklist: which document kinds a dossier needs, by sector and kind."""

    document_kind = models.CharField(_("document kind"), max_length=30)
    sector = models.ForeignKey(
        "products.Sector",
        verbose_name=_("sector"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Empty: every sector."),
    )
    dossier_kind = models.CharField(
        _("dossier kind"),
        max_length=20,
        choices=DossierKind.choices,
        blank=True,
        help_text=_("Empty: every kind."),
    )
    mandatory = models.BooleanField(_("mandatory"), default=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self) -> str:
        return self.document_kind


class Dossier(models.Model):
    """A product registered to a round ("hồ sơ"): its self-assessment and documents."""

    round = models.ForeignKey(
        "evaluations.Round",
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    product = models.ForeignKey(
        "products.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    kind = models.CharField(_("registering as"), max_length=20, choices=DossierKind.choices)
    # For an upgrade or re-evaluation: the certificate held (linked for real in the
    # certificates issue; its number until then).
    current_certificate_number = models.CharField(
        _("current certificate number"), max_length=40, blank=True
    )
    current_certificate = models.ForeignKey(
        "evaluations.Certificate",
        verbose_name=_("current certificate"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_dossiers",
    )
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=DossierState.choices,
        default=DossierState.DRAFT,
        editable=False,
    )
    version = models.PositiveSmallIntegerField(_("version"), default=0, editable=False)
    # Empty only for a dossier of the historical import (its sheets are not in the registry).
    scoring_form = models.ForeignKey(
        "evaluations.ScoringForm",
        verbose_name=_("scoring form"),
        null=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    first_level_unit = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The district or commune whose working group checks it."),
    )
    documents = models.ManyToManyField(
        "products.EvidenceDocument",
        verbose_name=_("documents"),
        blank=True,
        related_name="dossiers",
    )
    # The level whose working group and council hold the dossier now: set on acceptance to
    # the first level that scores, moved up when a council forwards it.
    level = models.CharField(
        _("at level"), max_length=10, choices=Level.choices, blank=True, editable=False
    )
    deadline_extended_to = models.DateField(_("deadline extended to"), null=True, blank=True)
    samples_count = models.PositiveSmallIntegerField(_("samples received"), null=True, blank=True)
    samples_received_on = models.DateField(_("samples received on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The historical import that created it (evaluations.history), if any.
    import_batch = models.ForeignKey(
        "evaluations.ResultImport",
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-created_at"]
        permissions = [
            ("check_dossier", "Can check dossiers in the jurisdiction"),
            ("extend_deadline", "Can extend a dossier's submission deadline"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "product"],
                condition=~models.Q(state=DossierState.WITHDRAWN),
                name="dossier_one_active_per_round_product",
            )
        ]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "first_level_unit"

    def __str__(self) -> str:
        return f"{self.product} · {self.round}"

    @property
    def submission_deadline(self):
        return self.deadline_extended_to or self.round.submission_deadline

    @property
    def code(self) -> str:
        """The dossier's code on its receipt and pages: province, year, number
        ("HS-25-2026-000042"). Reads the round's province."""
        return f"HS-{self.round.province.code}-{self.round.year}-{self.pk:06d}"


class SelfAssessmentAnswer(models.Model):
    """The producer's answer to one criterion of the form, with its evidence."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="answers")
    criterion_key = models.CharField(max_length=30)
    option_key = models.CharField(max_length=40)
    note = models.TextField(_("note"), blank=True)
    documents = models.ManyToManyField("products.EvidenceDocument", blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "criterion_key"], name="answer_unique_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_key}: {self.option_key}"


class DossierVersion(models.Model):
    """What was submitted, frozen: answers, totals, documents (with hashes), product data."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField()

    class Meta:
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="version_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} v{self.number}"


class DossierEvent(models.Model):
    """Each move of a dossier, with the itemised reasons of a return."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=DossierAction.choices)
    from_state = models.CharField(max_length=20, choices=DossierState.choices)
    to_state = models.CharField(max_length=20, choices=DossierState.choices)
    version = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_state} → {self.to_state}"


class ReturnReason(models.Model):
    event = models.ForeignKey(DossierEvent, on_delete=models.CASCADE, related_name="reasons")
    item_kind = models.CharField(max_length=10, choices=ReturnItemKind.choices)
    item_ref = models.CharField(max_length=60, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.reason[:60]


def commune_letter_path(instance, filename: str) -> str:
    return f"forwarding/{instance.dossier.round_id}/{instance.dossier_id}/{filename}"


class CommuneAssessment(models.Model):
    """The commune's step under 1489/2025, where the first level checks but does not score:
    its working group's assessment of the product's local origin and of the dossier, and the
    letter forwarding the dossier to the province (OCOP.md, "Levels")."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="commune_assessment"
    )
    local_origin_met = models.BooleanField(_("meets the local-origin criteria"))
    local_origin_note = models.TextField(_("assessment of the local origin"))
    dossier_assessment = models.TextField(_("assessment of the dossier"))
    letter_number = models.CharField(_("letter number"), max_length=40)
    letter_date = models.DateField(_("letter date"))
    letter = models.FileField(_("forwarding letter (signed scan)"), upload_to=commune_letter_path)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    forwarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commune assessment")
        verbose_name_plural = _("commune assessments")

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "dossier__first_level_unit"

    def __str__(self) -> str:
        return f"{self.letter_number} · {self.dossier}"
