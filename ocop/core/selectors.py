"""Reads scoped to what a user may see."""

from django.db.models import QuerySet

from ocop.core.models import AuditEntry, Notification


def audit_entries_for(user) -> QuerySet[AuditEntry]:
    if not user.has_perm("core.view_audit_log"):
        return AuditEntry.objects.none()
    return AuditEntry.objects.select_related("actor", "content_type").order_by("-seq")


def notifications_for(user) -> QuerySet[Notification]:
    """A user's own notifications; nobody sees anyone else's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")
