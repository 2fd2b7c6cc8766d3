"""Follow-up after certification: the producer's commitments on a certificate, its yearly
self-reports against them (and the reminders sent about them), and the province office's
annual inspection plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.enums import (
    AnswerStatus,
    CommitmentKind,
    CommitmentState,
    PlanItemState,
    ReminderKind,
    SelfReportState,
)

# The area of their audit entries (ocop.core.audit.audit_unit_id): the certificate's.
CERTIFICATE_UNIT = "certificate__dossier__first_level_unit"


def _evidence_path(instance, filename: str) -> str:
    return f"self-reports/{instance.report.certificate_id}/{instance.report.year}/{filename}"


class Commitment(models.Model):
    """A quality commitment the producer keeps while its certificate is valid: the standard
    it applies, lab tests to renew, traceability, volumes. A standing one has no due date."""

    certificate = models.ForeignKey(
        "evaluations.Certificate", on_delete=models.PROTECT, related_name="commitments"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommitmentKind.choices)
    text = models.TextField(_("commitment"))
    due_on = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=CommitmentState.choices,
        default=CommitmentState.OPEN,
        editable=False,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["certificate", models.F("due_on").asc(nulls_last=True), "pk"]

    audit_unit_path = CERTIFICATE_UNIT

    def __str__(self) -> str:
        return f"{self.certificate_id} · {self.get_kind_display()}"


class SelfReport(models.Model):
    """The producer's report of one anniversary year against its commitments; locked once
    submitted."""

    certificate = models.ForeignKey(
        "evaluations.Certificate", on_delete=models.PROTECT, related_name="self_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    due_on = models.DateField(_("due date"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=SelfReportState.choices,
        default=SelfReportState.DRAFT,
        editable=False,
    )
    note = models.TextField(_("general note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")
        ordering = ["certificate", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "year"], name="self_report_once_per_certificate_year"
            ),
            models.CheckConstraint(
                condition=models.Q(state=SelfReportState.DRAFT, submitted_at__isnull=True)
                | models.Q(state=SelfReportState.SUBMITTED, submitted_at__isnull=False),
                name="self_report_submitted_has_time",
            ),
        ]

    audit_unit_path = CERTIFICATE_UNIT

    def __str__(self) -> str:
        return f"{self.certificate_id} · {self.year}"


class SelfReportAnswer(models.Model):
    """The producer's answer about one commitment, with an optional evidence file (checked by
    content, served only through a permission check). The commitment's kind and text are
    copied when the report is submitted: the report reads as it was sent."""

    report = models.ForeignKey(SelfReport, on_delete=models.CASCADE, related_name="answers")
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="answers")
    # Blank in a draft not answered yet; required to submit.
    status = models.CharField(_("status"), max_length=12, choices=AnswerStatus.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    commitment_kind = models.CharField(max_length=20, choices=CommitmentKind.choices, blank=True)
    commitment_text = models.TextField(blank=True)
    evidence = models.FileField(_("evidence"), upload_to=_evidence_path, blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("self-report answer")
        verbose_name_plural = _("self-report answers")
        ordering = ["report", "commitment"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "commitment"], name="self_report_answer_once_per_commitment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.commitment_id}"


class SelfReportReminder(models.Model):
    """A reminder `send_followup_reminders` sent (each kind once per certificate and year)."""

    certificate = models.ForeignKey(
        "evaluations.Certificate", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "year", "kind"], name="self_report_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} · {self.year} · {self.kind}"


class InspectionPlan(models.Model):
    """The province OCOP office's plan of post-certification inspections for a year."""

    province = models.ForeignKey(
        "core.AdministrativeUnit", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="inspection_plan_unique")
        ]

    audit_unit_path = "province"

    def __str__(self) -> str:
        return f"{self.province_id} · {self.year}"


class PlanItem(models.Model):
    """A certified product the plan inspects: when (a month of the plan's year), by whom, why
    (the risk reasons shown when it was chosen), and the inspection once recorded."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="items")
    certificate = models.ForeignKey(
        "evaluations.Certificate", on_delete=models.PROTECT, related_name="plan_items"
    )
    month = models.PositiveSmallIntegerField(_("planned month"))
    inspector = models.CharField(_("inspector"), max_length=200)
    reasons = models.JSONField(_("reasons"), default=list, blank=True, editable=False)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=PlanItemState.choices,
        default=PlanItemState.PLANNED,
        editable=False,
    )
    inspection = models.OneToOneField(
        "evaluations.Inspection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_item",
        editable=False,
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "certificate"], name="plan_item_unique"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="plan_item_month_1_to_12"
            ),
            models.CheckConstraint(
                condition=models.Q(state=PlanItemState.DONE, inspection__isnull=False)
                | (~models.Q(state=PlanItemState.DONE) & models.Q(inspection__isnull=True)),
                name="plan_item_done_has_inspection",
            ),
        ]

    audit_unit_path = "plan__province"

    def __str__(self) -> str:
        return f"{self.plan} · {self.certificate_id}"
