"""Evaluation councils ("hội đồng đánh giá, phân hạng") and their members."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.enums import SCORING_ROLES, CouncilRole, Level
from evaluations.models.criteria import POINTS


class Council(models.Model):
    """The council of one level and administrative unit, set up by that level's People's
    Committee. Its quorum and spread threshold are its own settings (OCOP.md, "Council
    rules")."""

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    unit = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("administrative unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    decision_number = models.CharField(_("establishing decision number"), max_length=40)
    decision_date = models.DateField(_("establishing decision date"))
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"), null=True, blank=True)
    quorum = models.DecimalField(
        _("quorum (share of the members who score)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.75"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(1))],
    )
    spread_threshold = models.DecimalField(
        _("largest allowed spread between members' totals"), default=Decimal(10), **POINTS
    )
    discussion_clears_spread = models.BooleanField(
        _("a discussion alone may clear a wide spread"),
        default=False,
        help_text=_(
            "When the members' totals differ by more than the threshold, the council discusses "
            "and the members re-score (OCOP.md). Tick this if the council's rules let the "
            "written discussion conclusion alone stand instead."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        ordering = ["level", "name", "pk"]
        permissions = [("manage_council", "Can set up councils and their members")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum__gte=Decimal("0.5"), quorum__lte=1),
                name="council_quorum_range",
            ),
            models.CheckConstraint(
                condition=models.Q(spread_threshold__gte=0), name="council_spread_positive"
            ),
        ]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "unit"

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    council = models.ForeignKey(
        Council, verbose_name=_("council"), on_delete=models.CASCADE, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="council_memberships",
    )
    role = models.CharField(_("role in the council"), max_length=12, choices=CouncilRole.choices)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["council", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_unique"),
            models.UniqueConstraint(
                fields=["council"],
                condition=models.Q(role=CouncilRole.CHAIR),
                name="council_one_chair",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.user.get_full_name() or self.user.get_username()} ({self.get_role_display()})"
        )

    @property
    def name(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def scores(self) -> bool:
        """The secretary keeps the minutes and does not score."""
        return self.role in SCORING_ROLES

    @property
    def is_chair(self) -> bool:
        return self.role == CouncilRole.CHAIR
