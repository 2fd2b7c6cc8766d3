from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.enums import DeletionRequestState


class DeletionRequest(models.Model):
    """A person's request to erase their personal data; an administrator carries it out
    (anonymising the account, see ocop.core.services.privacy) or refuses it with a reason."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="deletion_requests",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=DeletionRequestState.choices,
        default=DeletionRequestState.PENDING,
        editable=False,
    )
    reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state=DeletionRequestState.PENDING),
                name="deletion_request_one_pending_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_state_display()}"
