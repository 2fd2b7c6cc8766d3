"""Evaluation councils, their members, sessions, agenda items, score sheets and level results."""

from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from evaluations.criteria.models import POINTS
from evaluations.enums import SCORING_ROLES, CouncilRole, ItemState, Level, Outcome, SheetState


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
    title = models.CharField(pgettext_lazy("job", "title"), max_length=120, blank=True)

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


class Session(models.Model):
    """The council meets for a round on a date and at a place, with a list of dossiers."""

    council = models.ForeignKey(
        "evaluations.Council",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    round = models.ForeignKey(
        "evaluations.Round", verbose_name=_("round"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("council session")
        verbose_name_plural = _("council sessions")
        ordering = ["-date", "-pk"]
        permissions = [("prepare_session", "Can prepare council sessions")]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "council__unit"

    def __str__(self) -> str:
        return f"{self.council} · {self.date:%d/%m/%Y}"


class SessionItem(models.Model):
    """A dossier on a session's agenda, scored afresh at the session's level."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="items"
    )
    dossier = models.ForeignKey(
        "evaluations.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="session_items",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=ItemState.choices,
        default=ItemState.SCORING,
        editable=False,
    )
    discussion = models.TextField(_("the council's discussion conclusion"), blank=True)
    discussion_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("product on the agenda")
        verbose_name_plural = _("products on the agenda")
        ordering = ["session", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "dossier"], name="session_item_unique"),
            # A dossier is scored by one session at a time at a level.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=models.Q(state=ItemState.SCORING),
                name="session_item_one_open_per_dossier",
            ),
        ]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "session__council__unit"

    def __str__(self) -> str:
        return f"{self.session} · {self.dossier.product}"


class ConflictDeclaration(models.Model):
    """A member's statement before scoring a product: no conflict, or a conflict (recusal)."""

    item = models.ForeignKey(SessionItem, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(
        "evaluations.CouncilMember", on_delete=models.PROTECT, related_name="+"
    )
    has_conflict = models.BooleanField(_("has a conflict of interest"))
    reason = models.TextField(_("reason"), blank=True)
    # Recorded by the system: the member belongs to the producer.
    automatic = models.BooleanField(default=False)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="conflict_once_per_member"),
            models.CheckConstraint(
                condition=models.Q(has_conflict=False) | ~models.Q(reason=""),
                name="conflict_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.item}"


class ScoreSheet(models.Model):
    """One member's score of one product on the product's form: the answers (leaf criterion
    key → option key) and a note per criterion. Locked once submitted."""

    item = models.ForeignKey(SessionItem, on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(
        "evaluations.CouncilMember", on_delete=models.PROTECT, related_name="sheets"
    )
    scoring_form = models.ForeignKey(
        "evaluations.ScoringForm", on_delete=models.PROTECT, related_name="sheets"
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=SheetState.choices,
        default=SheetState.DRAFT,
        editable=False,
    )
    answers = models.JSONField(default=dict)
    notes = models.JSONField(default=dict)
    total = models.DecimalField(_("total"), null=True, blank=True, **POINTS)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    reopen_reason = models.TextField(_("reason for re-scoring"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["item", "member"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="sheet_once_per_member"),
            models.CheckConstraint(
                condition=models.Q(state=SheetState.DRAFT)
                | models.Q(total__isnull=False, submitted_at__isnull=False),
                name="sheet_submitted_has_total",
            ),
        ]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "item__session__council__unit"

    def __str__(self) -> str:
        return f"{self.member} · {self.item}"


class SheetReopening(models.Model):
    """One time the chair sent a submitted sheet back for re-scoring: who asked, why, the
    total before and, once resubmitted, the total after; or the chair's reason for excusing
    the member from re-scoring. The minutes print each one."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="reopenings")
    number = models.PositiveSmallIntegerField(_("re-scoring number"))
    reason = models.TextField(_("reason for re-scoring"))
    # The council's discussion conclusion standing when the sheet was reopened.
    discussion = models.TextField(_("the council's discussion conclusion"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(_("reopened at"))
    total_before = models.DecimalField(_("total before"), **POINTS)
    total_after = models.DecimalField(_("total after"), null=True, blank=True, **POINTS)
    resubmitted_at = models.DateTimeField(_("resubmitted at"), null=True, blank=True)
    excuse_reason = models.TextField(_("reason for excusing the member"), blank=True)
    excused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    excused_at = models.DateTimeField(_("excused at"), null=True, blank=True)

    class Meta:
        verbose_name = _("re-scoring")
        verbose_name_plural = _("re-scorings")
        ordering = ["sheet", "number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="reopening_number_unique"),
            models.CheckConstraint(
                condition=models.Q(resubmitted_at__isnull=True)
                | models.Q(total_after__isnull=False, excused_at__isnull=True),
                name="reopening_resubmitted_has_total",
            ),
            models.CheckConstraint(
                condition=models.Q(excused_at__isnull=True) | ~models.Q(excuse_reason=""),
                name="reopening_excuse_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} · {self.number}"

    @property
    def open(self) -> bool:
        """Neither resubmitted nor excused yet."""
        return self.resubmitted_at is None and self.excused_at is None


class LevelResult(models.Model):
    """What a level's council concluded for a product, recorded when the chair finalises.

    `details` keeps the consolidation the producer and the office read later: part, group and
    criterion means, failed mandatory minimums, the member count and quorum figures.
    """

    # Empty for the central level's result, which a council of the ministry gives outside
    # the registry and the province's office records (`record_central_result`).
    item = models.OneToOneField(
        SessionItem, on_delete=models.PROTECT, related_name="result", null=True, blank=True
    )
    dossier = models.ForeignKey(
        "evaluations.Dossier", on_delete=models.PROTECT, related_name="results"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    # The score is unknown (NULL) only for a result of the historical import whose decision
    # published the stars alone.
    mean = models.DecimalField(_("exact mean"), max_digits=12, decimal_places=8, null=True)
    display_mean = models.DecimalField(_("score"), null=True, **POINTS)
    band_stars = models.PositiveSmallIntegerField(_("stars by the score"), null=True)
    stars = models.PositiveSmallIntegerField(_("stars"))
    spread = models.DecimalField(_("spread"), null=True, **POINTS)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    to_level = models.CharField(_("to level"), max_length=10, choices=Level.choices, blank=True)
    reason = models.TextField(_("reason"))
    comments = models.TextField(_("the council's comments to the producer"), blank=True)
    details = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(_("finalised at"))

    class Meta:
        verbose_name = _("level result")
        verbose_name_plural = _("level results")
        ordering = ["dossier", "finalised_at"]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.get_level_display()} · {self.display_mean}"

    @property
    def recognising_level(self) -> str:
        """The level whose People's Committee recognises the stars ('' if none)."""
        if self.outcome == Outcome.RECOGNISED:
            return self.level
        if self.outcome == Outcome.REFERRED_DOWN:
            return self.to_level
        return ""
