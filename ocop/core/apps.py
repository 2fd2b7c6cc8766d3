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

    def desk(self, user, today) -> list:
        """The administrators' part of the desk: requests to erase personal data."""
        from django.urls import reverse

        from .desk import DeskSection, DeskTask, limited
        from .enums import DeletionRequestState
        from .selectors import deletion_requests_for

        if not user.has_perm("core.handle_deletion_requests"):
            return []
        pending, total = limited(
            deletion_requests_for(user)
            .filter(state=DeletionRequestState.PENDING)
            .order_by("requested_at", "pk")
        )
        return [
            DeskSection(
                key="deletion_requests",
                title=_("Requests to erase personal data"),
                tasks=[
                    DeskTask(
                        title=r.user.get_full_name() or r.user.username,
                        url=reverse("core:deletion_request", args=[r.pk]),
                        since=r.requested_at,
                    )
                    for r in pending
                ],
                total=total,
                empty=_("No request waits."),
                more_url=reverse("core:deletion_requests"),
                more_label=_("Personal data requests"),
                order=60,
            )
        ]

    def ready(self) -> None:
        from . import roles
        from .search import register_sqlite_unaccent

        connection_created.connect(register_sqlite_unaccent, dispatch_uid="ocop_sqlite_unaccent")

        post_migrate.connect(
            roles.sync_role_groups_after_migrate, dispatch_uid="ocop_sync_role_groups"
        )
