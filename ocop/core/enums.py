from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class UnitScheme(models.TextChoices):
    """Which map of Vietnam a unit belongs to.

    Until 30 June 2025: 63 provinces, districts, communes (three tiers).
    From 1 July 2025 (Resolution 202/2025/QH15): 34 provinces and communes (two tiers).
    """

    THREE_TIER = "3tier", _("Three-tier (until 30/06/2025)")
    TWO_TIER = "2tier", _("Two-tier (from 01/07/2025)")


class Role(models.TextChoices):
    """Roles are Django groups named by these values."""

    PRODUCER_MEMBER = "producer_member", _("Producer member")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    DISTRICT_OFFICER = "district_officer", _("District officer")
    PROVINCE_OFFICER = "province_officer", _("Province officer")
    ADMINISTRATOR = "administrator", _("Administrator")


OFFICER_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.DISTRICT_OFFICER, Role.PROVINCE_OFFICER})

# The administrative level an officer's jurisdiction must have, by role.
ROLE_JURISDICTION_LEVEL = {
    Role.COMMUNE_OFFICER: UnitLevel.COMMUNE,
    Role.DISTRICT_OFFICER: UnitLevel.DISTRICT,
    Role.PROVINCE_OFFICER: UnitLevel.PROVINCE,
}


class DeletionRequestState(models.TextChoices):
    """A request to erase one's personal data (Decree 13/2023/NĐ-CP), handled by the office."""

    PENDING = "pending", _("Pending")
    DONE = "done", _("Carried out")
    REFUSED = "refused", _("Refused")


# --- badges -------------------------------------------------------------------------------

# Every choices class with badge colours, by class name (what templates name them by:
# `{% badge "DossierState" dossier.state %}`, ocop/core/templatetags/status_tags.py).
BADGE_CHOICES: dict[str, type["BadgeChoices"]] = {}


class BadgeChoices(models.TextChoices):
    """TextChoices whose every member is drawn as a badge: its label, in its Bootstrap
    colour ("success", "warning"...; `text-bg-<colour>`). The colours are given by
    `@badges(...)` on the class, one per member."""

    @classmethod
    def css(cls, value, default: str = "secondary") -> str:
        """The colour of `value`'s badge (`default` for a value that is no member)."""
        return getattr(cls, "badge_colours", {}).get(value, default)

    @classmethod
    def label_of(cls, value) -> str:
        """`value`'s label, or `value` itself when it is no member."""
        try:
            return cls(value).label
        except ValueError:
            return "" if value is None else str(value)


def badges(**colours: str):
    """Give each member of a `BadgeChoices` class its badge colour, by member name; every
    member needs one (checked when the module is imported)."""

    def apply(cls: type[BadgeChoices]) -> type[BadgeChoices]:
        if not issubclass(cls, BadgeChoices):
            raise TypeError(f"{cls.__name__} is not a BadgeChoices class.")
        missing = set(cls.names) - set(colours)
        unknown = set(colours) - set(cls.names)
        if missing or unknown:
            raise TypeError(
                f"{cls.__name__} badges: missing {sorted(missing)}, unknown {sorted(unknown)}."
            )
        known = BADGE_CHOICES.get(cls.__name__)
        if known is not None and known.__module__ != cls.__module__:
            raise TypeError(f"Two badge classes are named {cls.__name__}.")
        cls.badge_colours = {cls[name].value: css for name, css in colours.items()}
        BADGE_CHOICES[cls.__name__] = cls
        return cls

    return apply
