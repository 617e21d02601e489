from django.core.management.base import BaseCommand

from cpas_portal import due_cache
from cpas_portal.demo import load_demo


class Command(BaseCommand):
    help = "Create two demo CPAS with one user per role and beneficiaries (idempotent; demo only)."

    def add_arguments(self, parser):
        parser.add_argument("--beneficiaries", type=int, default=25, help="beneficiaries per CPAS")

    def handle(self, *args, **options):
        logins = load_demo(options["beneficiaries"])
        due_cache.written()  # the home pages read the new people's items afresh
        self.stdout.write("Demo logins (username / password / role / CPAS):")
        for username, password, role, cpas in logins:
            self.stdout.write(f"  {username:<18} {password:<16} {role!s:<22} {cpas}")
