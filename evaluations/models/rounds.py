from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
