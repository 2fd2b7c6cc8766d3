"""Remind, 7 days and 1 day before each deadline of a running round, the producers whose
dossiers are not (re)submitted, the working groups still holding dossiers and the province's
office holding dossiers at its level (for cron, daily; evaluations.reports.progress).

Reminders change no state, so nothing is audited; a reminder already sent today is not sent
again, so a second run the same day sends nothing."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from evaluations.reports.progress import send_deadline_reminders
from evaluations.reports.tasks import running_rounds
from evaluations.reports.tasks import send_deadline_reminders as send_deadline_reminders_task


class Command(BaseCommand):
    help = "Remind producers, working groups and offices of the deadlines of running rounds."

    def add_arguments(self, parser):
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="run as on this day")
        parser.add_argument("--dry-run", action="store_true", help="list, send nothing")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the run for the background worker (manage.py db_worker) and return",
        )

    def handle(self, *args, today=None, dry_run=False, enqueue=False, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--today: {today!r} is not a date (YYYY-MM-DD).") from error
        if enqueue and not dry_run:
            result = send_deadline_reminders_task.enqueue(today=today or "")
            self.stdout.write(f"{day.isoformat()}: queued as task {result.id}")
            return
        rounds = running_rounds(day)
        with transaction.atomic():
            reminders = send_deadline_reminders(rounds, day, dry_run=dry_run)
        for reminder in reminders:
            names = ", ".join(u.username for u in reminder.users)
            self.stdout.write(f"{reminder.subject} -> {names}")
        verb = "would send" if dry_run else "sent"
        people = sum(len(r.users) for r in reminders)
        self.stdout.write(f"{verb} {len(reminders)} reminder(s) to {people} person(s)")
