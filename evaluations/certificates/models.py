"""Recognition decisions, certificates, inspections and revocations."""

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Replace, Upper
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.criteria.models import POINTS
from evaluations.enums import (
    STORED_CERTIFICATE_STATUSES,
    CertificateStatus,
    DecisionState,
    InspectionOutcome,
    Level,
    RevocationReason,
)
from evaluations.models.certificates import _inspection_path, _scan_path
from products.enums import ProducerKind

# What a certificate number typed by hand may carry beside its letters and digits.
NUMBER_SEPARATORS = ("-", " ", ".", "/", "_")


def number_key():
    """The stored number as compared with one typed by hand (selectors.number_key): upper
    case, without separators ("OCOP-17-2025-0001" → "OCOP1720250001"); indexed
    (migration 0017)."""
    expression = Upper("number")
    for separator in NUMBER_SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression


class Decision(models.Model):
    """A People's Committee's decision recognising products' stars. Drafted by the OCOP office
    from finalised level results; once issued (its signed scan uploaded) it is immutable and
    public."""

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    issuer = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("issuing People's Committee"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A body outside the registry's map that issued it (the ministry, for 5★); `issuer` is
    # then the province whose office recorded it (its certificates take that province's
    # numbers, its office keeps it).
    issuer_name = models.CharField(
        _("issuing body"),
        max_length=200,
        blank=True,
        help_text=_("Only for a decision of the central level, e.g. Bộ Nông nghiệp và Môi trường."),
    )
    number = models.CharField(
        _("number"), max_length=40, help_text=_("As printed, e.g. 2365/QĐ-UBND.")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    date = models.DateField(_("date"))
    signer_name = models.CharField(_("signed by"), max_length=120)
    signer_title = models.CharField(_("signer's title"), max_length=160)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DecisionState.choices,
        default=DecisionState.DRAFT,
        editable=False,
    )
    signed_scan = models.FileField(_("signed scan (PDF)"), upload_to=_scan_path, blank=True)
    scan_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
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
        verbose_name = _("recognition decision")
        verbose_name_plural = _("recognition decisions")
        ordering = ["-date", "-pk"]
        permissions = [("issue_decision", "Can draft and issue recognition decisions")]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "year", "number"], name="decision_number_unique_per_issuer_year"
            ),
            models.CheckConstraint(
                condition=models.Q(state=DecisionState.DRAFT)
                | (models.Q(issued_at__isnull=False) & ~models.Q(signed_scan=""))
                | models.Q(issued_at__isnull=False, import_batch__isnull=False),
                name="decision_issued_has_scan_unless_imported",
            ),
        ]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "issuer"

    def __str__(self) -> str:
        return self.number

    @property
    def issuer_label(self) -> str:
        """Who issued it, as people read it: the ministry, or the People's Committee."""
        if self.issuer_name:
            return self.issuer_name
        return gettext("People's Committee of %(unit)s") % {"unit": self.issuer.name}


class DecisionItem(models.Model):
    """A product the decision recognises, from its level result."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="items")
    result = models.OneToOneField(
        "evaluations.LevelResult", on_delete=models.PROTECT, related_name="decision_item"
    )
    stars = models.PositiveSmallIntegerField(_("stars"))
    # NULL only for an imported decision that published the stars alone.
    score = models.DecimalField(_("score"), null=True, **POINTS)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["decision", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.decision} · {self.result.dossier.product}"


class Certificate(models.Model):
    number = models.CharField(_("certificate number"), max_length=40, unique=True)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="certificates")
    item = models.OneToOneField(DecisionItem, on_delete=models.PROTECT, related_name="certificate")
    product = models.ForeignKey(
        "products.Product", on_delete=models.PROTECT, related_name="certificates"
    )
    producer = models.ForeignKey(
        "products.Producer", on_delete=models.PROTECT, related_name="certificates"
    )
    dossier = models.ForeignKey(
        "evaluations.Dossier", on_delete=models.PROTECT, related_name="certificates"
    )
    stars = models.PositiveSmallIntegerField(_("stars"))
    # NULL only for a certificate of the historical import whose decision published no score.
    score = models.DecimalField(_("score"), null=True, **POINTS)
    # What was certified, frozen when the certificate is issued (docs/decisions/0013): the
    # verification page, the open data and the PDF show these, whatever the product or the
    # producer is called later.
    product_name = models.CharField(_("product name"), max_length=200, editable=False)
    product_set = models.ForeignKey(
        "products.ProductSet",
        verbose_name=_("product set"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    producer_name = models.CharField(_("producer name"), max_length=200, editable=False)
    producer_kind = models.CharField(
        _("kind of producer"), max_length=20, choices=ProducerKind.choices, editable=False
    )
    producer_address = models.CharField(_("producer address"), max_length=500, editable=False)
    producer_address_unit = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("producer's commune"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # The product's and the producer's names as the public catalogue searches them
    # (ocop.core.search.fold: no diacritics, lower case), frozen with them; trigram-indexed
    # on PostgreSQL (migration 0014).
    search_text = models.CharField(max_length=401, editable=False, default="")
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=[(s.value, s.label) for s in STORED_CERTIFICATE_STATUSES],
        default=CertificateStatus.VALID,
        editable=False,
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    # The product's latest certificate: none of the product's was issued later (or the same
    # day and recorded later). The catalogue's entry for the product, whatever its status
    # (a revoked certificate stays the latest until the product is recognised again). Kept
    # by the services that record certificates (certificates.services._new_certificate);
    # stored so that the catalogue reads it from an index instead of looking for a newer
    # certificate of every product (docs/benchmarks.md, issue 16).
    latest = models.BooleanField(default=True, editable=False)
    # Sequence within the province and year, for the number pattern.
    province_code = models.CharField(max_length=10, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    expiring_notified_on = models.DateField(null=True, blank=True, editable=False)
    expired_notified_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")
        ordering = ["-issued_on", "-pk"]
        permissions = [
            ("revoke_certificate", "Can revoke certificates"),
            ("inspect_certificate", "Can record post-certification inspections"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["province_code", "year", "sequence"], name="certificate_sequence_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__gt=models.F("issued_on")),
                name="certificate_valid_after_issue",
            ),
            models.CheckConstraint(
                condition=models.Q(stars__gte=3, stars__lte=5), name="certificate_stars_3_to_5"
            ),
        ]
        # The public register's reads (docs/benchmarks.md): its order, its standing by the
        # stored status and date, and a number typed in another case.
        indexes = [
            models.Index(fields=["-issued_on", "number"], name="certificate_register_order"),
            models.Index(fields=["status", "valid_until"], name="certificate_status_until"),
            # The catalogue: each product's latest certificate, by its standing.
            models.Index(
                fields=["status", "valid_until"],
                condition=models.Q(latest=True),
                name="certificate_latest_status",
            ),
            # A number typed by hand, compared as `number_key` writes it.
            models.Index(number_key(), name="certificate_number_key"),
        ]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "dossier__first_level_unit"

    def __str__(self) -> str:
        return self.number


class Revocation(models.Model):
    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, related_name="revocation"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=RevocationReason.choices)
    decision_number = models.CharField(_("revoking decision number"), max_length=40)
    decision_date = models.DateField(_("revoking decision date"))
    note = models.TextField(_("note"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")

    def __str__(self) -> str:
        return f"{self.certificate} · {self.decision_number}"


class Inspection(models.Model):
    """A post-certification inspection ("hậu kiểm") of a certified product."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="inspections"
    )
    date = models.DateField(_("date"))
    inspector = models.CharField(_("inspector"), max_length=200)
    findings = models.TextField(_("findings"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=InspectionOutcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.certificate} · {self.date}"


class InspectionAttachment(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_inspection_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.original_name
