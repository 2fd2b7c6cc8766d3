import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from products.enums import (
    PRODUCER_EDITABLE_STATES,
    Gender,
    MemberRole,
    ProducerKind,
    ProducerState,
)
from products.validators import validate_business_number


class Producer(models.Model):
    """An OCOP producer ("chủ thể"): a cooperative, enterprise, group or household business."""

    kind = models.CharField(
        pgettext_lazy("producer", "kind"), max_length=20, choices=ProducerKind.choices
    )
    name = models.CharField(_("name"), max_length=200)
    # NULL, not "", so that the unique constraint allows several (Django's documented case).
    registration_no = models.CharField(  # noqa: DJ001
        _("business registration number"),
        max_length=14,
        unique=True,
        # Empty (NULL) only for a producer of the historical import, whose numbers were not
        # published; forms still require both.
        null=True,
        validators=[validate_business_number],
    )
    tax_code = models.CharField(  # noqa: DJ001
        _("tax code"),
        max_length=14,
        unique=True,
        null=True,
        validators=[validate_business_number],
    )
    representative_name = models.CharField(_("legal representative"), max_length=120)
    representative_title = models.CharField(pgettext_lazy("job", "title"), max_length=100)
    representative_gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    representative_ethnic_minority = models.BooleanField(
        _("belongs to an ethnic minority"), default=False
    )
    address_unit = models.ForeignKey(
        "core.AdministrativeUnit",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address_detail = models.CharField(_("street address, village"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ProducerState.choices, default=ProducerState.PENDING
    )
    state_reason = models.TextField(_("reason"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Created by the historical import (evaluations.history) from a published decision,
    # not registered through the registry; `name_published` is False for the placeholder
    # standing for the producers a decision did not name (UNPUBLISHED_PRODUCER_NAME).
    imported = models.BooleanField(_("imported from published results"), default=False)
    name_published = models.BooleanField(default=True, editable=False)

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]
        permissions = [("verify_producer", "Can verify producers in the jurisdiction")]

    # The area of its audit entries (ocop.core.audit.audit_unit_id).
    audit_unit_path = "address_unit"

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        """Street address, then commune, district and province ("Xóm Mới, Xã Mãn Đức, ...")."""
        parts = [self.address_detail] if self.address_detail else []
        if self.address_unit_id:
            parts.append(self.address_unit.full_path)
        return ", ".join(parts)

    @property
    def is_verified(self) -> bool:
        return self.state == ProducerState.VERIFIED

    @property
    def is_rejected(self) -> bool:
        return self.state == ProducerState.REJECTED

    @property
    def is_editable(self) -> bool:
        """Whether its members may still correct the profile."""
        return self.state in PRODUCER_EDITABLE_STATES


class ProducerMember(models.Model):
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="producer_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("producer member")
        verbose_name_plural = _("producer members")
        constraints = [
            models.UniqueConstraint(fields=["producer", "user"], name="member_unique_user"),
            # An account acts for one producer only: someone working for two uses two accounts.
            models.UniqueConstraint(fields=["user"], name="member_one_producer_per_account"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.producer}"

    @property
    def is_owner(self) -> bool:
        return self.role == MemberRole.OWNER


def _token() -> str:
    return secrets.token_urlsafe(24)


class ProducerInvitation(models.Model):
    """An invitation by mail to act for a producer; accepted by a signed-in user."""

    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email

    @property
    def expires_at(self):
        days = getattr(settings, "OCOP_INVITATION_VALID_DAYS", 14)
        return self.created_at + timedelta(days=days)

    def is_open(self, now=None) -> bool:
        """Not accepted yet and not expired."""
        return self.accepted_at is None and (now or timezone.now()) < self.expires_at
