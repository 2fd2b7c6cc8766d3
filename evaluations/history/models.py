from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultImport(models.Model):
    """One file of published results loaded into the registry (`results_import`): what it
    was, who loaded it, and what it created. The rows it created point back to it
    (`import_batch`), producers and products carry `imported`."""

    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    # Counts of what was created and matched, per kind (producers, products, ...).
    summary = models.JSONField(default=dict)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import of published results")
        verbose_name_plural = _("imports of published results")
        ordering = ["-imported_at", "-pk"]
        permissions = [("import_results", "Can import published results")]

    def __str__(self) -> str:
        return self.file_name
