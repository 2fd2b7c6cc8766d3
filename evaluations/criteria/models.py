"""Scoring forms (criteria versions, forms, parts, groups, criteria, options) and the regimes."""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.enums import FormStatus, Level, VersionStatus

POINTS = {"max_digits": 5, "decimal_places": 2}


class RegimeQuerySet(models.QuerySet):
    def in_force(self, day):
        """The regimes in force on a day (one, when the periods are loaded by regimes_load)."""
        return self.filter(effective_from__lte=day).filter(
            models.Q(effective_until__isnull=True) | models.Q(effective_until__gte=day)
        )

    def in_force_during(self, year: int):
        """The regimes in force on at least one day of a year."""
        return self.filter(effective_from__lte=datetime.date(year, 12, 31)).filter(
            models.Q(effective_until__isnull=True)
            | models.Q(effective_until__gte=datetime.date(year, 1, 1))
        )


class Regime(models.Model):
    """Who receives, scores and recognises, from one decision (OCOP.md, "Levels"), over its
    period of force: a regime ends the day before the next one takes effect."""

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. 148/2023"))
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    effective_until = models.DateField(
        _("effective until"), null=True, blank=True, help_text=_("Empty: still in force.")
    )

    objects = RegimeQuerySet.as_manager()

    class Meta:
        verbose_name = _("regime")
        verbose_name_plural = _("regimes")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return self.name

    def in_force_on(self, day) -> bool:
        return self.effective_from <= day and (
            self.effective_until is None or day <= self.effective_until
        )


class RegimeLevel(models.Model):
    regime = models.ForeignKey(Regime, on_delete=models.CASCADE, related_name="levels")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    scores = models.BooleanField(_("a council scores at this level"))
    checks_dossiers = models.BooleanField(
        _("its working group receives and checks the producers' dossiers"), default=False
    )
    role = models.CharField(_("what this level does"), max_length=300, blank=True)
    recognises_min_stars = models.PositiveSmallIntegerField(
        _("recognises from"), null=True, blank=True
    )
    recognises_max_stars = models.PositiveSmallIntegerField(
        _("recognises up to"), null=True, blank=True
    )
    forward_threshold = models.DecimalField(
        _("forwards from score"), null=True, blank=True, **POINTS
    )

    class Meta:
        verbose_name = _("regime level")
        verbose_name_plural = _("regime levels")
        ordering = ["regime", "order"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "level"], name="regime_level_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(recognises_min_stars__isnull=True, recognises_max_stars__isnull=True)
                    | models.Q(recognises_min_stars__lte=models.F("recognises_max_stars"))
                ),
                name="regime_level_star_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regime.code} · {self.get_level_display()}"

    @property
    def recognised_stars(self) -> frozenset[int]:
        if self.recognises_min_stars is None:
            return frozenset()
        return frozenset(range(self.recognises_min_stars, self.recognises_max_stars + 1))


class CriteriaVersion(models.Model):
    """A set of criteria issued by a decision (e.g. 148/2023), with its part maxima and star
    bands. A score sheet always keeps the version (and form revision) it was scored with."""

    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. 148/2023"))
    name = models.CharField(_("name"), max_length=200)
    basis = models.CharField(_("legal basis"), max_length=300)
    effective_from = models.DateField(_("effective from"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    part_a_max = models.DecimalField(_("part A maximum"), **POINTS)
    part_b_max = models.DecimalField(_("part B maximum"), **POINTS)
    part_c_max = models.DecimalField(_("part C maximum"), **POINTS)
    # Star bands: a mean at or above the threshold gets the stars (half-open bands).
    stars_2_from = models.DecimalField(_("2 stars from"), default=Decimal(30), **POINTS)
    stars_3_from = models.DecimalField(_("3 stars from"), default=Decimal(50), **POINTS)
    stars_4_from = models.DecimalField(_("4 stars from"), default=Decimal(70), **POINTS)
    stars_5_from = models.DecimalField(_("5 stars from"), default=Decimal(90), **POINTS)

    class Meta:
        verbose_name = _("criteria version")
        verbose_name_plural = _("criteria versions")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars_2_from__lt=models.F("stars_3_from"))
                & models.Q(stars_3_from__lt=models.F("stars_4_from"))
                & models.Q(stars_4_from__lt=models.F("stars_5_from")),
                name="criteria_version_bands_increase",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def slug(self) -> str:
        return self.code.replace("/", "-")

    @property
    def part_maxima(self) -> dict[str, Decimal]:
        return {"A": self.part_a_max, "B": self.part_b_max, "C": self.part_c_max}

    @property
    def star_thresholds(self) -> tuple[tuple[Decimal, int], ...]:
        return (
            (self.stars_5_from, 5),
            (self.stars_4_from, 4),
            (self.stars_3_from, 3),
            (self.stars_2_from, 2),
            (Decimal(0), 1),
        )


class ScoringForm(models.Model):
    """The form of one product set in one criteria version, in a numbered revision.

    A form that does not validate is stored but unverified and cannot be used to score.
    Once a submitted score sheet uses a revision it is frozen: corrections then create the
    next revision.
    """

    version = models.ForeignKey(
        CriteriaVersion,
        verbose_name=_("criteria version"),
        on_delete=models.PROTECT,
        related_name="forms",
    )
    product_set = models.ForeignKey(
        "products.ProductSet",
        verbose_name=_("product set"),
        on_delete=models.PROTECT,
        related_name="scoring_forms",
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_current = models.BooleanField(_("current revision"), default=True)
    status = models.CharField(
        _("status"), max_length=12, choices=FormStatus.choices, default=FormStatus.UNVERIFIED
    )
    defects = models.JSONField(_("defects"), default=list, blank=True)
    corrections = models.JSONField(_("corrections applied on import"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("scoring form")
        verbose_name_plural = _("scoring forms")
        ordering = ["version", "product_set__number", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "product_set", "revision"], name="form_unique_revision"
            ),
            models.UniqueConstraint(
                fields=["version", "product_set"],
                condition=models.Q(is_current=True),
                name="form_one_current_revision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version.code} · {self.product_set}"

    @property
    def is_verified(self) -> bool:
        return self.status == FormStatus.VERIFIED

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    @property
    def key(self) -> str:
        return f"{self.version.code}:{self.product_set.number:02d}"


class FormPart(models.Model):
    form = models.ForeignKey(ScoringForm, on_delete=models.CASCADE, related_name="parts")
    key = models.CharField(max_length=2)
    label = models.TextField(_("label"))
    note = models.TextField(_("note"), blank=True)
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    order = models.PositiveSmallIntegerField()
    source_row = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["form", "key"], name="part_unique_key")]

    def __str__(self) -> str:
        return self.label


class CriterionGroup(models.Model):
    part = models.ForeignKey(FormPart, on_delete=models.CASCADE, related_name="groups")
    key = models.CharField(max_length=20)
    label = models.TextField(_("label"))
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    choose_one = models.BooleanField(
        _("choose one case"),
        default=False,
        help_text=_("The criteria are alternative cases: the scorer picks the one that applies."),
    )
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField()
    source_row = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label


class Criterion(models.Model):
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    key = models.CharField(max_length=30)
    label = models.TextField(_("label"))
    max_points = models.DecimalField(_("maximum points"), null=True, blank=True, **POINTS)
    # A star mark on the criterion row itself ("e) Sở hữu trí tuệ****").
    min_stars = models.PositiveSmallIntegerField(
        _("mandatory for stars"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField()
    source_row = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.label


class Option(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(max_length=40)
    label = models.TextField(_("label"))
    points = models.DecimalField(_("points"), **POINTS)
    min_stars = models.PositiveSmallIntegerField(
        _("mandatory minimum for stars"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )
    order = models.PositiveSmallIntegerField()
    source_row = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_stars__isnull=True) | models.Q(min_stars__range=(3, 5)),
                name="option_min_stars_3_to_5",
            ),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="option_points_gte_0"),
        ]

    def __str__(self) -> str:
        return self.label
