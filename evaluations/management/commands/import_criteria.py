from pathlib import Path

from django.core.management.base import BaseCommand

from evaluations.criteria.reference_data import CRITERIA_DIR_148
from evaluations.criteria.services import criteria_import


class Command(BaseCommand):
    help = "Import the official scoring forms (CSV) of a criteria version and validate them."

    def add_arguments(self, parser):
        parser.add_argument("--criteria-version", default="148/2023", dest="version_code")
        parser.add_argument("--dir", type=Path, default=CRITERIA_DIR_148)

    def handle(self, *args, version_code, dir, **options):
        results = criteria_import(version_code=version_code, directory=dir)
        verified = [r for r in results if r.status == "verified"]
        for r in results:
            style = self.style.SUCCESS if r.status == "verified" else self.style.WARNING
            self.stdout.write(style(f"{r.file}: {r.action}, {r.status}"))
            for c in r.corrections:
                self.stdout.write(f"    corrected: {c}")
            for d in r.defects:
                self.stdout.write(f"    {d['ref']}: {d['message']}")
        self.stdout.write(
            f"{len(results)} forms: {len(verified)} verified, "
            f"{len(results) - len(verified)} unverified (cannot be used to score until corrected)."
        )
