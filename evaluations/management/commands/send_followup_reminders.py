"""Remind producers of their yearly self-reports and tell the OCOP offices of the missed ones
(for cron, daily).

Each reminder goes once per certificate and year and is recorded
(`evaluations.followup.services.followup_reminders`): the first and the last before the due
date (`OCOP_SELF_REPORT_REMINDER_DAYS`) to the producer, the notice of a missed report to the
province's office. Safe to run more than once a day; `--dry-run` says what it would send and
records nothing.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from evaluations.followup.services import followup_reminders
from evaluations.followup.tasks import send_followup_reminders


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today: {value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = (
        "Mail producers before their yearly self-report is due and the OCOP offices when one "
        "is missed; each reminder once (run daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="run as on this day (for checks; default: today)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list the reminders that would go out, send and record nothing",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the run for the background worker (manage.py db_worker) and return",
        )

    def handle(self, *args, today=None, dry_run=False, enqueue=False, **options):
        day = _day(today) if today else timezone.localdate()
        if enqueue and not dry_run:
            result = send_followup_reminders.enqueue(today=today or "")
            self.stdout.write(f"{day.isoformat()}: queued as task {result.id}")
            return
        report = followup_reminders(today=day, dry_run=dry_run)
        for reminder in report.sent:
            certificate = reminder.certificate
            self.stdout.write(
                f"{reminder.kind:<13} {certificate.number} · {certificate.product.name} · "
                f"{reminder.year} due {reminder.due_on.isoformat()}"
            )
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{day.isoformat()}: {verb} {len(report.sent)} reminder(s)")
