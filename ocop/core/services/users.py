"""Changing accounts: profile details and access (roles, jurisdiction)."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ocop.core.audit import audit_log
from ocop.core.enums import ROLE_JURISDICTION_LEVEL, Role
from ocop.core.models import AdministrativeUnit, User

PROFILE_FIELDS = ("first_name", "last_name", "email", "phone")


def validate_access(
    *,
    roles: list[str],
    jurisdiction: AdministrativeUnit | None,
    previous: AdministrativeUnit | int | None = None,
) -> None:
    """Officer roles need a jurisdiction of their level; one officer level per account. A
    jurisdiction newly given is a unit of the map in force today (an account may keep the
    abolished unit it already had, for the history it handled)."""
    officer_roles = [Role(r) for r in roles if Role(r) in ROLE_JURISDICTION_LEVEL]
    if len(officer_roles) > 1:
        raise ValidationError(
            _("An account can hold only one officer role (commune, district or province)."),
            code="several_officer_roles",
        )
    if officer_roles:
        level = ROLE_JURISDICTION_LEVEL[officer_roles[0]]
        if jurisdiction is None or jurisdiction.level != level:
            raise ValidationError(
                _("A %(role)s needs a jurisdiction at the %(level)s level.")
                % {"role": officer_roles[0].label.lower(), "level": level.label.lower()},
                code="jurisdiction_level",
            )
    previous_id = getattr(previous, "pk", previous)
    if (
        jurisdiction is not None
        and jurisdiction.pk != previous_id
        and not jurisdiction.in_force_on(timezone.localdate())
    ):
        raise ValidationError(
            _(
                "%(unit)s is not on today's map (in force %(period)s): choose a unit of "
                "today's map. Since 01/07/2025 there are no districts."
            )
            % {"unit": jurisdiction.name, "period": _period(jurisdiction)},
            code="jurisdiction_abolished",
        )


def _period(unit: AdministrativeUnit) -> str:
    start, end = (
        date_format(day, "SHORT_DATE_FORMAT") if day else "…"
        for day in (unit.valid_from, unit.valid_until)
    )
    return f"{start}–{end}"


def user_update_profile(*, user: User, actor: User, **changes) -> User:
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        changed = {
            field: {"from": getattr(locked, field), "to": value}
            for field, value in changes.items()
            if getattr(locked, field) != value
        }
        if not changed:
            return locked
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(changed))
        audit_log(actor=actor, action="user.update_profile", obj=locked, data=changed)
    return locked


def user_set_access(
    *,
    user: User,
    roles: list[str],
    jurisdiction: AdministrativeUnit | None,
    actor: User | None,
    abolished_ok: bool = False,
) -> User:
    """Give an account exactly these roles and this jurisdiction (administrators are staff).
    `abolished_ok` lets loaders (the demo's history, tests of past rounds) give a unit of the
    old map; people always choose on today's map."""
    roles = sorted({Role(r).value for r in roles})
    validate_access(
        roles=roles,
        jurisdiction=jurisdiction,
        previous=jurisdiction if abolished_ok else user.jurisdiction_id,
    )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = {
            "roles": sorted(
                locked.groups.filter(name__in=Role.values).values_list("name", flat=True)
            ),
            "jurisdiction": locked.jurisdiction_id,
            "is_staff": locked.is_staff,
        }
        groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
        missing = set(roles) - groups.keys()
        if missing:
            raise LookupError(f"Role groups missing (run migrate): {sorted(missing)}")
        other_groups = list(locked.groups.exclude(name__in=Role.values))
        locked.groups.set([*other_groups, *(groups[r] for r in roles)])
        locked.jurisdiction = jurisdiction
        locked.is_staff = locked.is_superuser or Role.ADMINISTRATOR.value in roles
        locked.save(update_fields=["jurisdiction", "is_staff"])
        after = {
            "roles": roles,
            "jurisdiction": jurisdiction.pk if jurisdiction else None,
            "is_staff": locked.is_staff,
        }
        if before != after:
            audit_log(
                actor=actor,
                action="user.set_access",
                obj=locked,
                data={"from": before, "to": after},
            )
    locked.__dict__.pop("role_names", None)
    return locked
