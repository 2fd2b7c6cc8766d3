"""Navigation by role: the menu shows only what the user may open.

Apps add their own entries with an AppConfig method `navigation(user) -> list[NavItem]`,
so that the core app never names another app's pages.
"""

from dataclasses import dataclass, replace

from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str
    public: bool = False
    # Shown under "More" so the menu fits one line on a laptop: pages used now and then.
    more: bool = False


def _items_for(user) -> list[NavItem]:
    # Signed in, the brand is the way home: the menu keeps its room for the work.
    items = [] if user.is_authenticated else [NavItem(_("Home"), reverse("home"), "home")]
    contributed = [
        item
        for config in apps.get_app_configs()
        if hasattr(config, "navigation")
        for item in config.navigation(user)
    ]
    public = [item for item in contributed if item.public]
    if not user.is_authenticated:
        return items + public
    # Signed in, the public reference pages move under "More": the menu is for the work.
    items.extend(replace(item, more=True) for item in public)
    items.append(NavItem(_("My desk"), reverse("core:dashboard"), "dashboard"))
    if user.has_perm("core.browse_units"):
        items.append(NavItem(_("Administrative units"), reverse("core:units"), "units", more=True))
    if user.has_perm("core.view_audit_log"):
        items.append(NavItem(_("Audit log"), reverse("core:audit_log"), "audit", more=True))
    if user.has_perm("core.handle_deletion_requests"):
        items.append(
            NavItem(
                _("Personal data requests"),
                reverse("core:deletion_requests"),
                "deletion_requests",
                more=True,
            )
        )
    if user.has_perm("core.handle_failed_tasks"):
        items.append(
            NavItem(_("Failed tasks"), reverse("core:failed_tasks"), "failed_tasks", more=True)
        )
    items.extend(item for item in contributed if not item.public)
    if user.is_staff:
        items.append(NavItem(_("Administration"), reverse("admin:index"), "admin", more=True))
    return items


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    items = _items_for(user)
    context = {
        "nav_items": items,
        "nav_main": [item for item in items if not item.more],
        "nav_more": [item for item in items if item.more],
    }
    if user.is_authenticated:
        context["unread_notifications"] = user.notifications.filter(read_at__isnull=True).count()
    return context
