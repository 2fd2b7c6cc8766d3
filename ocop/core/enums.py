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
