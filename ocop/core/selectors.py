"""Reads scoped to what a user may see."""

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from ocop.core.enums import OFFICER_ROLES, Role, UnitLevel
from ocop.core.models import (
    AdministrativeUnit,
    AuditEntry,
    DeletionRequest,
    Notification,
    UnitSuccession,
    User,
)


def in_unit_q(unit_id: int, *, field: str = "address_unit") -> Q:
    """The unit in `field` is `unit_id` or lies inside it (commune → district → province),
    through joins to its parent and grandparent (which a `select_related` of the same unit
    shares); or it is a unit of the old map whose territory went to `unit_id` or into it
    (`merged_into`: a new province's officers see the history of the old units merged into
    it)."""
    return (
        Q(**{f"{field}_id": unit_id})
        | Q(**{f"{field}__parent_id": unit_id})
        | Q(**{f"{field}__parent__parent_id": unit_id})
        | Q(**{f"{field}_id__in": merged_into(unit_id)})
    )


def units_within(unit_id: int) -> QuerySet[AdministrativeUnit]:
    """The ids of `unit_id`, of the units inside it and of the old units merged into it, as a
    subquery: for a query that would otherwise join the unit table through several paths
    (PostgreSQL then spends longer planning the joins than running the query)."""
    children = AdministrativeUnit.objects.filter(parent_id=unit_id).values("pk")
    # The grandchildren by their parent's id among the children, not by a join to every
    # unit's parent (a scan of the whole map: 20-30 ms at each use, docs/benchmarks.md).
    return AdministrativeUnit.objects.filter(
        Q(pk=unit_id)
        | Q(parent_id=unit_id)
        | Q(parent_id__in=children)
        | Q(pk__in=merged_into(unit_id))
    ).values("pk")


def units_with_code(code: str) -> QuerySet[AdministrativeUnit]:
    """The ids, as a subquery, of the units of either map whose official code is `code`, of
    the units inside them, and of the old units merged into them: what a filter by "17" (the
    old Hòa Bình) or "25" (today's Phú Thọ, and so Hòa Bình too) covers."""
    merged = UnitSuccession.objects.filter(Q(new__code=code) | Q(new__parent__code=code))
    return AdministrativeUnit.objects.filter(
        Q(code=code)
        | Q(parent__code=code)
        | Q(parent__parent__code=code)
        | Q(pk__in=merged.values("old_id"))
    ).values("pk")


def merged_into(unit_id: int) -> QuerySet[UnitSuccession]:
    """The ids of the old map's units whose territory went, wholly or partly, to `unit_id` or
    to a unit inside it (the 2025 conversion table), as a subquery. For Phú Thọ: Hòa Bình,
    Vĩnh Phúc and the old Phú Thọ, their districts and communes; for a new commune, the old
    communes merged into it. Empty for a unit of the old map."""
    return UnitSuccession.objects.into(unit_id).values("old_id")


def address_on_map_of(
    unit: AdministrativeUnit | None, province: AdministrativeUnit
) -> tuple[AdministrativeUnit | None, str]:
    """An address (`unit`) on the map of `province` (a round's), and an error message when it
    has no single place there. A commune of the old map for a round of today's map: the new
    commune it went to, or, when it was split, an error asking the producer to say which one
    it is in today (on its profile). A commune of today's map for a round of the old map (a
    round entered as history) has no single old unit: an error too."""
    if unit is None or unit.scheme == province.scheme:
        return unit, ""
    if unit.valid_until is None:
        return None, gettext(
            "The producer's address is on today's map; this round, entered as history, is on "
            "the map of its time."
        )
    now = units_now(unit)
    if len(now) == 1:
        return now[0], ""
    if not now:
        return None, gettext(
            "The producer's commune (%(unit)s) has no successor on today's map: update the "
            "address on the producer's profile."
        ) % {"unit": unit.name}
    return None, gettext(
        "%(unit)s was split among several communes in 2025: say on the producer's profile which "
        "one the producer is in today, then register."
    ) % {"unit": unit.name}


def linked_province_ids(ids) -> set[int]:
    """`ids` (provinces) with the provinces linked to them across the 2025 reform, in both
    directions (the old provinces merged into a new one, the new ones an old one went to);
    one query. A producer recorded on either map takes part in the rounds of both."""
    ids = set(ids)
    if not ids:
        return ids
    links = UnitSuccession.objects.filter(
        Q(old_id__in=ids) | Q(new_id__in=ids), old__level=UnitLevel.PROVINCE
    ).values_list("old_id", "new_id")
    for old_id, new_id in links:
        ids.update((old_id, new_id))
    return ids


def units_now(unit: AdministrativeUnit | None) -> list[AdministrativeUnit]:
    """The units of today's map that took over an old unit's territory, with their parents
    (one query; none for a unit still in force): one for a commune merged whole, several for a
    commune split among new ones."""
    if unit is None or unit.valid_until is None:
        return []
    return list(unit.successors.select_related("parent").order_by("code"))


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


def failed_tasks_for(user) -> QuerySet[DBTaskResult]:
    """Background tasks that failed for good, newest first: the provincial office's and the
    administrators' (a deployment serves one province), nobody else's."""
    if not user.has_perm("core.handle_failed_tasks"):
        return DBTaskResult.objects.none()
    return (
        DBTaskResult.objects.failed()
        .defer("return_value")
        .order_by(F("finished_at").desc(nulls_last=True), "-enqueued_at")
    )


def province_of(unit: AdministrativeUnit | None) -> AdministrativeUnit | None:
    """The province a unit lies in (itself for a province); at most two queries."""
    while unit is not None and unit.level != UnitLevel.PROVINCE:
        unit = unit.parent
    return unit


def unit_at_level(unit: AdministrativeUnit | None, level: str) -> AdministrativeUnit | None:
    """The unit of `level` that contains `unit` (itself if it has that level)."""
    while unit is not None and unit.level != level:
        unit = unit.parent
    return unit


def officer_unit_id(user) -> int | None:
    if getattr(user, "is_authenticated", False) and user.is_active and user.is_officer:
        return user.jurisdiction_id
    return None


def working_group_users(unit: AdministrativeUnit) -> QuerySet[User]:
    """The officers whose jurisdiction is exactly this unit: its working group."""
    return User.objects.filter(
        is_active=True,
        jurisdiction=unit,
        groups__name__in=[role.value for role in OFFICER_ROLES],
    ).distinct()
