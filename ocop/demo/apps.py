from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make demo`. Lives on the top floor: it may import every app."""

    name = "ocop.demo"
    label = "demo"
    verbose_name = "Demo data"

    def navigation(self, user):
        from django.urls import reverse
        from django.utils.translation import gettext_lazy as _

        from ocop.core.context_processors import NavItem
        from ocop.demo.views import outbox_enabled_for

        if not user.is_authenticated or not outbox_enabled_for(user):
            return []
        return [NavItem(_("Outbox (demo)"), reverse("demo:outbox"), "outbox", more=True)]
