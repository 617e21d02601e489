"""``manage.py generate_data --seed N --scale S``: the benchmark data set (see ``cpas_portal/generator.py``).

Writes into the configured database (run it on an empty one, after ``migrate``); every user it creates
has the password given by ``--password``.
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from cpas_portal import due_cache
from cpas_portal.generator import LARGE_NIS, OTHER_CPAS, generate, plan


class Command(BaseCommand):
    help = "Generate the 565 CPAS, one very large CPAS and 100 others with their people and measures."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--scale", type=float, default=1.0,
                            help="Multiplies the people: 1 = 50,000 in the large CPAS and 2,000 in each other.")
        parser.add_argument("--on", type=date.fromisoformat, default=None,
                            help="The day the data is built around (default: today). Same seed and day, same rows.")
        parser.add_argument("--large-nis", default=LARGE_NIS, help="NIS code of the very large CPAS.")
        parser.add_argument("--others", type=int, default=OTHER_CPAS, help="How many other CPAS get people.")
        parser.add_argument("--password", default="benchmark", help="Password of every generated user.")

    def handle(self, *args, **options):
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive.")
        on = options["on"] or timezone.localdate()
        large, other = plan(options["scale"])
        self.stdout.write(f"Generating: {large} people in CPAS {options['large_nis']}, {other} in each of "
                          f"{options['others']} others, seed {options['seed']}, around {on.isoformat()}.")
        began = time.perf_counter()
        try:
            cpas, counts = generate(seed=options["seed"], scale=options["scale"], on=on,
                                    large_nis=options["large_nis"], others=options["others"],
                                    password=options["password"], log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from None
        # Planner statistics for the new rows, as autovacuum gives a live PostgreSQL database. SQLite keeps none
        # unless asked: without them it read a person's PIIS through the index of the CPAS's PIIS list (to save
        # a sort) and scanned all of them, 765 ms for a person's file at 500,000 people instead of 29 ms.
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA analysis_limit = 1000")  # sampled: a fraction of a second at any size
            cursor.execute("ANALYZE")
        due_cache.written()  # written in bulk, outside any request: the home pages read afresh
        for label, number in counts.rows.items():
            self.stdout.write(f"  {label}: {number}")
        self.stdout.write(self.style.SUCCESS(
            f"Done in {time.perf_counter() - began:.0f} s. Large CPAS: {cpas.nis_code} {cpas.name_fr}."))
