from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

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
