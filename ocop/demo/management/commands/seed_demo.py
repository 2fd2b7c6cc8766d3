from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from evaluations.certificates.validity import status_on
from evaluations.enums import CertificateStatus
from ocop.demo.seed import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Create the demo data set (refused under production settings)."

    def handle(self, *args, **options):
        try:
            logins = seed_demo()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for account, user in logins.roles:
            where = f" — {user.jurisdiction.full_path}" if user.jurisdiction_id else ""
            self.stdout.write(f"  {account.username:<16} {account.role.label}{where}")
        self.stdout.write("Council members (no role; they score in the council sessions):")
        for account, user in logins.council_members:
            self.stdout.write(f"  {account.username:<16} {user.get_full_name()} — {account.label}")
        today = timezone.localdate()
        published = logins.published
        if published is not None:
            created = sum(published.created.values())
            self.stdout.write(
                f"Published results ({published.file_name}, {published.rows} rows): "
                + (
                    f"imported, {published.created['certificates']} certificates"
                    if created
                    else "already imported"
                )
            )
        self.stdout.write("OCOP certificates (public page: /verify/<number>/):")
        for certificate in logins.certificates:
            status = CertificateStatus(status_on(certificate, today)).label
            self.stdout.write(
                f"  {certificate.number:<18} {status!s:<14} {certificate.stars}★ "
                f"{certificate.product.name} — {certificate.decision.number}, "
                f"valid until {certificate.valid_until:%d/%m/%Y}"
            )
