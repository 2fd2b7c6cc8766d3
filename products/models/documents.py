from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from products.enums import DocumentKind


def _document_path(instance, filename: str) -> str:
    return f"producers/{instance.producer_id}/documents/{filename}"


class EvidenceDocument(models.Model):
    """A document in the producer's library, reused across rounds.

    The file never changes once uploaded (a dossier frozen at submission points at it):
    a new version of a document is a new row that supersedes the old one.
    """

    producer = models.ForeignKey(
        "products.Producer", on_delete=models.PROTECT, related_name="documents"
    )
    product = models.ForeignKey(
        "products.Product",
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("Leave empty for a document about the producer as a whole."),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_document_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["kind", "-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(valid_until__gte=models.F("issued_on")),
                name="document_valid_after_issue",
            )
        ]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "producer__address_unit"

    def __str__(self) -> str:
        return self.title

    def is_expired(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.valid_until is not None and self.valid_until < on
