"""Regimes: which level scores, which stars it recognises, from which score it forwards."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.enums import Level
from evaluations.models.criteria import POINTS


class Regime(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True, help_text=_("e.g. 148/2023"))
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("regime")
        verbose_name_plural = _("regimes")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return self.name


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
