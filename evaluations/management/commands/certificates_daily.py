"""The certificates' daily run, for cron: mark the certificates past their date expired and
tell producers (and the OCOP offices) once when a certificate enters its expiring period.

`certificates_lifecycle` audits what it changes and mails after its transaction commits, and
it is safe to run more than once a day: a second run finds nothing new.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from evaluations.certificates.services import certificates_lifecycle
from evaluations.certificates.tasks import certificates_daily


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today: {value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = (
        "Expire the certificates past their date and notify once about the certificates "
        "entering their expiring period (run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="run as on this day (for checks; default: today)",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the run for the background worker (manage.py db_worker) and return",
        )

    def handle(self, *args, today=None, enqueue=False, **options):
        day = _day(today) if today else timezone.localdate()
        if enqueue:
            result = certificates_daily.enqueue(today=today or "")
            self.stdout.write(f"{day.isoformat()}: queued as task {result.id}")
            return
        report = certificates_lifecycle(today=day)
        for certificate in report.expired:
            self.stdout.write(
                f"expired   {certificate.number} · {certificate.product.name} · "
                f"valid until {certificate.valid_until.isoformat()}"
            )
        for certificate in report.expiring_notified:
            self.stdout.write(
                f"expiring  {certificate.number} · {certificate.product.name} · "
                f"valid until {certificate.valid_until.isoformat()}"
            )
        self.stdout.write(
            f"{day.isoformat()}: {len(report.expired)} expired, "
            f"{len(report.expiring_notified)} newly expiring"
        )
