from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from cpas_portal import due_cache
from cpas_portal.models import Cpas
from measures.piis import services


class Command(BaseCommand):
    help = "Plan the missing evaluation meetings of running PIIS and approved art. 60 §7 placements (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--on", type=date.fromisoformat, default=None, help="Planning date (default: today).")

    def handle(self, *args, on=None, **options):
        day = on or timezone.localdate()
        try:
            total = sum(services.evaluations_plan(cpas=cpas, on=day) for cpas in Cpas.objects.order_by("pk"))
        finally:
            due_cache.written()  # the planned meetings are due items: the home pages read afresh
        self.stdout.write(f"{total} meeting(s) planned.")
