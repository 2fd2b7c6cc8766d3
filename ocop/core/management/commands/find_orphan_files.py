import datetime

from django.core.management.base import BaseCommand, CommandError

from ocop.core.services.media import DEFAULT_GRACE, media_check, media_orphans_delete


class Command(BaseCommand):
    help = (
        "Report files under MEDIA_ROOT that no row refers to (orphans, e.g. left by a crash "
        "during an upload) and rows whose file is missing. Exits non-zero while either remains. "
        "--delete removes the orphans older than the grace period, audited (decision 0032)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete",
            action="store_true",
            help="delete the orphans older than the grace period (one audit entry lists them)",
        )
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=int(DEFAULT_GRACE.total_seconds() // 60),
            help="a file younger than this may belong to an upload still in its transaction: "
            "it is reported as recent, never deleted (default %(default)s)",
        )

    def handle(self, *args, **options):
        if options["grace_minutes"] < 0:
            raise CommandError("--grace-minutes cannot be negative.")
        grace = datetime.timedelta(minutes=options["grace_minutes"])
        if options["delete"]:
            report = media_orphans_delete(grace=grace)
        else:
            report = media_check(grace=grace)
        for stored in report.orphans:
            self.stdout.write(
                f"orphan   {stored.name} ({stored.size} bytes, {stored.modified:%Y-%m-%d %H:%M})"
            )
        for stored in report.deleted:
            self.stdout.write(f"deleted  {stored.name} ({stored.size} bytes)")
        for stored in report.recent:
            self.stdout.write(f"recent   {stored.name} (within the grace period: not judged)")
        for missing in report.missing:
            self.stdout.write(
                f"missing  {missing.name} ({missing.model} #{missing.pk}, field {missing.field})"
            )
        summary = (
            f"{report.files} files, {report.referenced} referenced by rows; "
            f"{len(report.orphans)} orphans, {len(report.deleted)} deleted, "
            f"{len(report.recent)} recent, {len(report.missing)} missing."
        )
        if not report.clean:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
