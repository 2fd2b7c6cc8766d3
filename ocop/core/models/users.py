from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ocop.core.enums import OFFICER_ROLES, Role


class User(AbstractUser):
    """An account. Roles are groups named after `Role`; officers have a jurisdiction."""

    phone = models.CharField(_("phone"), max_length=20, blank=True)
    jurisdiction = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province, district or commune an officer works for."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    # The area of its audit entries (ocop.core.audit.audit_unit_id): an officer's jurisdiction.
    audit_unit_path = "jurisdiction"

    def get_full_name(self) -> str:
        """Vietnamese order: family and middle names, then the given name ("Bùi Thị Lan")."""
        return f"{self.last_name} {self.first_name}".strip()

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The user's roles, read once per request (groups prefetched where listed)."""
        if not self.is_authenticated or not self.pk:
            return frozenset()
        return frozenset(g.name for g in self.groups.all() if g.name in Role.values)

    def has_role(self, role: str) -> bool:
        return role in self.role_names

    @property
    def roles(self) -> list[Role]:
        return [Role(name) for name in Role.values if name in self.role_names]

    @property
    def is_officer(self) -> bool:
        return bool(self.role_names & {r.value for r in OFFICER_ROLES})
