"""Roles are Django groups; each app declares which permissions each role holds."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from ocop.core.enums import Role


def declared_role_permissions() -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            merged[Role(role).value].update(perms)
    return merged


def sync_role_groups() -> None:
    """Create one group per role and give it exactly the declared permissions."""
    declared = declared_role_permissions()
    wanted = {perm for perms in declared.values() for perm in perms}
    by_name = {}
    for perm in Permission.objects.select_related("content_type"):
        by_name[f"{perm.content_type.app_label}.{perm.codename}"] = perm
    missing = wanted - by_name.keys()
    if missing:
        raise LookupError(f"Declared role permissions do not exist: {sorted(missing)}")
    for role, perms in declared.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([by_name[p] for p in perms])


def sync_role_groups_after_migrate(sender, **kwargs) -> None:
    # Permissions are created app by app by auth's own post_migrate handler; this runs after
    # each app and does its work once every declared permission exists.
    using = kwargs.get("using", "default")
    if using != "default":
        return
    if not _all_permissions_present():
        return
    sync_role_groups()


def _all_permissions_present() -> bool:
    declared = declared_role_permissions()
    wanted = {perm for perms in declared.values() for perm in perms}
    existing = {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    }
    return wanted <= existing
