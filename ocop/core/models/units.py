import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.enums import UnitLevel, UnitScheme

# The two-tier map's first day (Resolution 202/2025/QH15), and the three-tier map's last.
TWO_TIER_FROM = datetime.date(2025, 7, 1)
THREE_TIER_UNTIL = TWO_TIER_FROM - datetime.timedelta(days=1)


def scheme_in_force(day: datetime.date | None = None) -> str:
    """The map in force on `day` (today by default): new registrations, officer areas and
    councils are recorded on it."""
    day = day or timezone.localdate()
    return UnitScheme.TWO_TIER if day >= TWO_TIER_FROM else UnitScheme.THREE_TIER


class AdministrativeUnitQuerySet(models.QuerySet):
    def provinces(self, scheme: str = UnitScheme.THREE_TIER):
        return self.filter(scheme=scheme, level=UnitLevel.PROVINCE)

    def children_of(self, parent: "AdministrativeUnit"):
        return self.filter(parent=parent)

    def in_force(self, day: datetime.date):
        """The units of the map in force on `day`."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


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
    # The unit's period of force (either end open when unknown or not yet ended): the
    # three-tier units until 30/06/2025, the two-tier ones from 01/07/2025.
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    # The units of the next map that took over this unit's territory (the official 2025
    # conversion table): communes to communes, districts and provinces to provinces.
    successors = models.ManyToManyField(
        "self",
        through="UnitSuccession",
        symmetrical=False,
        related_name="predecessors",
        blank=True,
        verbose_name=_("successor units"),
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

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def contains(self, other: "AdministrativeUnit | None") -> bool:
        """Whether `other` is this unit or lies inside it; or, for a unit of the new map,
        whether `other` is an old unit whose territory went (wholly or partly) to this unit or
        into it (as `ocop.core.selectors.in_unit_q`; one query in that case)."""
        chain = []
        while other is not None:
            if other.pk == self.pk:
                return True
            chain.append(other.pk)
            other = other.parent
        if not chain or self.scheme != UnitScheme.TWO_TIER:
            return False
        return UnitSuccession.objects.into(self.pk).filter(old_id__in=chain).exists()


class UnitSuccessionQuerySet(models.QuerySet):
    def into(self, unit_id: int):
        """The links whose new unit is `unit_id` or lies inside it (the two-tier map has two
        levels: the unit and its children), chosen by the index on `new` rather than by a
        join to every new unit's parent."""
        return self.filter(
            new_id__in=AdministrativeUnit.objects.filter(
                Q(pk=unit_id) | Q(parent_id=unit_id)
            ).values("pk")
        )


class UnitSuccession(models.Model):
    """One link of the official conversion table: `old` (a unit of the three-tier map) became,
    in whole or in part, `new` (a unit of the two-tier map). An old commune split among several
    new ones has one link to each, marked `partly`; an old district or province links to the
    provinces its communes went to."""

    old = models.ForeignKey(
        AdministrativeUnit, on_delete=models.CASCADE, related_name="successions"
    )
    new = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="succeeded")
    partly = models.BooleanField(
        _("partly"), default=False, help_text=_("Only part of the old unit went to this one.")
    )

    objects = UnitSuccessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["old", "new"], name="unit_succession_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.old} → {self.new}"
