from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make demo`. Lives on the top floor: it may import every app."""

    name = "ocop.demo"
    label = "demo"
    verbose_name = "Demo data"
