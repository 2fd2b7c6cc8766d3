"""Reads scoped to what a user may see."""

from django.db.models import Q, QuerySet

from ocop.core.enums import Role
from ocop.core.models import AuditEntry, DeletionRequest, Notification


def in_unit_q(unit_id: int, *, field: str = "address_unit") -> Q:
    """The unit in `field` is `unit_id` or lies inside it (commune → district → province)."""
    return (
        Q(**{f"{field}_id": unit_id})
        | Q(**{f"{field}__parent_id": unit_id})
        | Q(**{f"{field}__parent__parent_id": unit_id})
    )


def audit_entries_for(user) -> QuerySet[AuditEntry]:
    """Administrators read the whole log; officers the entries about objects of their
    jurisdiction and below (an entry's `unit`); entries without a unit (national reference
    data, accounts without a jurisdiction) only administrators."""
    if not user.has_perm("core.view_audit_log"):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.select_related("actor", "content_type", "unit").order_by("-seq")
    if user.is_superuser or user.has_role(Role.ADMINISTRATOR):
        return entries
    if not user.jurisdiction_id:
        return AuditEntry.objects.none()
    return entries.filter(in_unit_q(user.jurisdiction_id, field="unit"))


def notifications_for(user) -> QuerySet[Notification]:
    """A user's own notifications; nobody sees anyone else's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def deletion_requests_for(user) -> QuerySet[DeletionRequest]:
    """Requests to erase personal data: administrators see them all, others none (their own
    show on their profile page)."""
    if not user.has_perm("core.handle_deletion_requests"):
        return DeletionRequest.objects.none()
    return DeletionRequest.objects.select_related("user", "decided_by").order_by(
        "-requested_at", "-pk"
    )
