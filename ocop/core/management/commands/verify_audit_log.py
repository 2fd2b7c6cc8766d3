from django.core.management.base import BaseCommand, CommandError

from ocop.core.audit import verify_audit_chain


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options):
        report = verify_audit_chain()
        if not report.ok:
            raise CommandError(
                f"Audit log broken at entry #{report.broken_seq}: {report.reason} "
                f"({report.checked} entries verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {report.checked} entries."))
