from django.core.management.base import BaseCommand

from evaluations.criteria.services import regimes_load


class Command(BaseCommand):
    help = "Create or update the OCOP regimes (1048/2019, 148/2023, 1489/2025) and their levels."

    def handle(self, *args, **options):
        for regime in regimes_load():
            self.stdout.write(f"{regime.code}: {regime.levels.count()} levels")
