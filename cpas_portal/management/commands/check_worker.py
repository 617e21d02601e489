from django.core.management.base import BaseCommand, CommandError

from cpas_portal.models import Cpas
from cpas_portal.tasks import database_health


class Command(BaseCommand):
    help = "Send a task to the Celery workers and check that they answer from the same database."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=20)

    def handle(self, *args, **options):
        seen = database_health.delay().get(timeout=options["timeout"])
        if seen != Cpas.objects.count():
            raise CommandError(f"The worker sees {seen} CPAS, this process {Cpas.objects.count()}.")
        self.stdout.write(f"Worker answered: {seen} CPAS.")
