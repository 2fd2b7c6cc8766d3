from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.enums import UnitLevel, UnitScheme


class AdministrativeUnitQuerySet(models.QuerySet):
    def provinces(self, scheme: str = UnitScheme.THREE_TIER):
        return self.filter(scheme=scheme, level=UnitLevel.PROVINCE)

    def children_of(self, parent: "AdministrativeUnit"):
        return self.filter(parent=parent)


class AdministrativeUnit(models.Model):
    """A province, district or commune of one scheme, identified by its official GSO code."""

    scheme = models.CharField(_("scheme"), max_length=8, choices=UnitScheme.choices)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    code = models.CharField(_("official code"), max_length=10)
    name = models.CharField(_("name"), max_length=120, help_text=_("Official full name"))
    short_name = models.CharField(_("short name"), max_length=100, db_index=True)
    division_type = models.CharField(_("division type"), max_length=40)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["scheme", "level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "level", "code"], name="unit_unique_code_per_scheme_level"
            ),
            models.CheckConstraint(
                condition=models.Q(level=UnitLevel.PROVINCE, parent__isnull=True)
                | (~models.Q(level=UnitLevel.PROVINCE) & models.Q(parent__isnull=False)),
                name="unit_only_provinces_have_no_parent",
            ),
            models.CheckConstraint(
                condition=~models.Q(scheme=UnitScheme.TWO_TIER, level=UnitLevel.DISTRICT),
                name="unit_two_tier_has_no_district",
            ),
        ]
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list["AdministrativeUnit"]:
        """Parents from the province down, excluding self (at most two queries)."""
        chain = []
        unit = self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return list(reversed(chain))

    @property
    def full_path(self) -> str:
        return ", ".join(str(u) for u in reversed([*self.ancestors(), self]))

    def contains(self, other: "AdministrativeUnit | None") -> bool:
        """Whether `other` is this unit or lies inside it."""
        while other is not None:
            if other.pk == self.pk:
                return True
            other = other.parent
        return False
