"""Import a file of published OCOP results (CSV or XLSX), for cron or a one-off load:
`manage.py import_results FILE --user USERNAME [--dry-run]` (evaluations.history)."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from evaluations.history.services import results_import
from ocop.core.models import User


class Command(BaseCommand):
    help = (
        "Import published results (columns province, decision, decision_date, product, "
        "producer, commune, district, stars, score; optional level, outcome, product_set, "
        "producer_kind). All rows or none; run again, it creates nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .csv (UTF-8) or .xlsx file")
        parser.add_argument(
            "--user",
            required=True,
            help="who imports: an OCOP office officer of the rows' province, or a superuser",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, then roll back"
        )

    def handle(self, *args, file, user, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {user!r}.")
        try:
            report = results_import(
                file_name=path.name, content=path.read_bytes(), actor=actor, dry_run=dry_run
            )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        for line, message in report.warnings:
            self.stdout.write(f"line {line}: note: {message}")
        for line, message in report.errors:
            self.stderr.write(f"line {line}: {message}" if line else message)
        if not report.ok:
            raise CommandError(
                f"{len(report.errors)} problem(s) in {path.name}: nothing was imported."
            )
        created = ", ".join(f"{k} {v}" for k, v in sorted(report.created.items())) or "nothing"
        matched = ", ".join(f"{k} {v}" for k, v in sorted(report.matched.items())) or "nothing"
        stars = ", ".join(f"{n}★ {c}" for n, c in sorted(report.certificates_by_stars.items()))
        verb = "would create" if dry_run else "created"
        self.stdout.write(
            f"{path.name}: {report.rows} rows; {verb} {created}; already present {matched}"
            + (f"; certificates {stars}" if stars else "")
            + (" (dry run: rolled back)" if dry_run else "")
        )
