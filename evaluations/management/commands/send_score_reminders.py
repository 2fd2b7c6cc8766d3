"""Mail council members who still have score sheets to submit (for cron, e.g. daily).

Sending reminders changes no state, so nothing is audited here; reminders sent on demand
from a session's page are audited by `session_remind`.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from evaluations.councils.services.sessions import pending_sheets, send_reminders
from evaluations.councils.tasks import send_score_reminders, sessions_scoring
from evaluations.models import Session


class Command(BaseCommand):
    help = (
        "Remind council members of the score sheets they have not submitted, for every "
        "session with products still scoring (or one session with --session)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--session", type=int, dest="session_id", help="only this session")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list who would be reminded, send nothing",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="queue the run for the background worker (manage.py db_worker) and return",
        )

    def handle(self, *args, session_id=None, dry_run=False, enqueue=False, **options):
        sessions = sessions_scoring()
        if session_id is not None:
            if not Session.objects.filter(pk=session_id).exists():
                raise CommandError(f"No session {session_id}.")
            sessions = sessions.filter(pk=session_id)
        if enqueue and not dry_run:
            result = send_score_reminders.enqueue(session_id=session_id)
            self.stdout.write(f"queued as task {result.id}")
            return
        total = 0
        for session in sessions:
            if dry_run:
                pending = pending_sheets(session)
                count = len(pending)
                self.stdout.write(f"Session {session.pk} ({session}): would remind {count}")
                for member, items in pending.items():
                    products = ", ".join(item.dossier.product.name for item in items)
                    self.stdout.write(f"    {member.name} <{member.user.email or '-'}>: {products}")
            else:
                with transaction.atomic():
                    count = send_reminders(session)
                self.stdout.write(f"Session {session.pk} ({session}): reminded {count}")
            total += count
        verb = "would remind" if dry_run else "reminded"
        self.stdout.write(f"{verb} {total} member(s) in {len(sessions)} session(s)")
