import time

from django.core.management.base import BaseCommand

from ocop.core.enums import UnitScheme
from ocop.core.services.units import units_load


class Command(BaseCommand):
    help = "Load Vietnam's provinces, districts and communes (both schemes) by official code."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scheme",
            action="append",
            choices=UnitScheme.values,
            help="Load only this scheme (repeatable). Default: both.",
        )

    def handle(self, *args, scheme=None, **options):
        started = time.monotonic()
        result = units_load(schemes=scheme)
        for scheme_code, counts in result.items():
            label = UnitScheme(scheme_code).label
            parts = ", ".join(f"{level}: {n}" for level, n in counts.items())
            self.stdout.write(f"{label}: {parts}")
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f}s."))
