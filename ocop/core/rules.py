"""Predicates for object permissions (django-rules). Pure, None-safe, no side effects."""

import rules

from ocop.core.enums import Role

is_producer_member = rules.is_group_member(Role.PRODUCER_MEMBER.value)
is_commune_officer = rules.is_group_member(Role.COMMUNE_OFFICER.value)
is_district_officer = rules.is_group_member(Role.DISTRICT_OFFICER.value)
is_province_officer = rules.is_group_member(Role.PROVINCE_OFFICER.value)
is_administrator = rules.is_group_member(Role.ADMINISTRATOR.value)
is_officer = is_commune_officer | is_district_officer | is_province_officer


@rules.predicate
def has_jurisdiction(user) -> bool:
    return bool(getattr(user, "jurisdiction_id", None))


@rules.predicate
def unit_in_jurisdiction(user, unit) -> bool:
    """The unit is the officer's jurisdiction or lies inside it."""
    if unit is None or not getattr(user, "jurisdiction_id", None):
        return False
    return user.jurisdiction.contains(unit)


can_view_audit_log = is_province_officer | is_administrator
can_browse_units = is_officer | is_administrator

rules.add_perm("core.view_audit_log", can_view_audit_log)
rules.add_perm("core.browse_units", can_browse_units)
# Personal-data requests (Decree 13/2023): the office's administrators answer them.
rules.add_perm("core.handle_deletion_requests", is_administrator)
# Background tasks that failed (decision 0031): the provincial office sees and retries them.
rules.add_perm("core.handle_failed_tasks", is_province_officer | is_administrator)
