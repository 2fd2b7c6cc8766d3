from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ocop.core"
    label = "core"
    verbose_name = _("Core")

    # Permissions each role (group) holds, as "app_label.codename". Every app of ours may
    # declare the same attribute; `ocop.core.roles.sync_role_groups` merges them after migrate.
    role_permissions = {
        "province_officer": ["core.view_auditentry", "core.view_administrativeunit"],
        "district_officer": ["core.view_administrativeunit"],
        "commune_officer": ["core.view_administrativeunit"],
        "administrator": [
            "core.view_auditentry",
            "core.view_administrativeunit",
            "core.add_user",
            "core.change_user",
            "core.view_user",
            "auth.view_group",
            # django-axes' failed logins, to unlock them (the admin's action audits it).
            "axes.view_accessattempt",
        ],
    }

    def ready(self) -> None:
        from . import roles
        from .search import register_sqlite_unaccent

        connection_created.connect(register_sqlite_unaccent, dispatch_uid="ocop_sqlite_unaccent")

        post_migrate.connect(
            roles.sync_role_groups_after_migrate, dispatch_uid="ocop_sync_role_groups"
        )
