"""Council sessions, the dossiers on their agenda, conflict declarations, score sheets and
the level result each product gets."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.enums import ItemState, Level, Outcome, SheetState
from evaluations.models.criteria import POINTS


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

    item = models.OneToOneField(SessionItem, on_delete=models.PROTECT, related_name="result")
    dossier = models.ForeignKey(
        "evaluations.Dossier", on_delete=models.PROTECT, related_name="results"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    mean = models.DecimalField(_("exact mean"), max_digits=12, decimal_places=8)
    display_mean = models.DecimalField(_("score"), **POINTS)
    band_stars = models.PositiveSmallIntegerField(_("stars by the score"))
    stars = models.PositiveSmallIntegerField(_("stars"))
    spread = models.DecimalField(_("spread"), **POINTS)
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
