"""Benchmark of the person search: one CPAS of ``--people`` beneficiaries, the search timed for several typed forms.

Bulk-creates the people missing from the benchmark CPAS (names drawn from a fixed pool with accents and
particles, valid national numbers; no history rows: a benchmark database only), then times, for each typed
form, what the list's HTMX search does (the count and the first page, through ``selectors.beneficiary_list``)
and what a person picker does (``selectors.person_choices``): medians of ``--runs``. Prints the plan of each
search on the current database (``EXPLAIN``). Writes into the configured database: run it on a scratch one.
"""

import json
import random
import re
import statistics
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.core.paginator import Paginator
from django.db import connection, transaction

from cpas_portal import person_search, selectors
from cpas_portal.demo import national_number
from cpas_portal.identifiers import niss_display
from cpas_portal.models import Beneficiary, Cpas

BATCH = 5000
PAGE_SIZE = 25
LAST_NAMES = (
    "Dupont", "Lambert", "Dubois", "Martin", "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems",
    "Claes", "Goossens", "Wouters", "De Smet", "Van den Berg", "Vandenberghe", "Lejeune", "Renard", "Lefèvre",
    "François", "Laurent", "Simon", "Michel", "Leclercq", "Hermans", "Denis", "Noël", "Müller", "Schmitz",
    "Çelik", "Yılmaz", "El Amrani", "Benali", "Nowak", "Kowalski", "Da Silva", "Gonçalves", "Ngoy", "Mbuyi",
    "O'Brien",
)
FIRST_NAMES = (
    "Inès", "Marie", "Jean", "Luc", "Sofie", "Jan", "Léa", "Noé", "Zoë", "Mohamed", "Fatima", "Ahmed", "Élise",
    "Chloé", "Hélène", "Raphaël", "Björn", "Anaïs", "Joël", "Benoît", "Jean-Pierre", "Marie-Claire", "Ayşe",
    "Łukasz", "Agnieszka", "Kevin", "Sarah", "Thomas", "Nathalie", "Pieter",
)


SYLLABLES = ("ka", "ro", "vic", "mé", "lan", "ber", "ghe", "dri", "sø", "ël", "tan", "os", "wa", "ny", "çi",
             "pu", "lo", "ren", "za", "hu", "dé", "mar", "tin", "eck", "van", "de", "ju", "li", "an", "sch")


def _synthetic(rng, parts):
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _person_name(index, rng):
    """One person in ten has a common name of the pool (0.25 % each, like Belgium's commonest surnames); the
    others a name made of syllables, so that a search finds hundreds of people, not the whole CPAS."""
    last = rng.choice(LAST_NAMES) if index % 10 == 0 else _synthetic(rng, 3)
    first = rng.choice(FIRST_NAMES) if index % 2 == 0 else _synthetic(rng, 2)
    return first, last


class Command(BaseCommand):
    help = "Time the person search (name and national number, several typed forms) at a given number of people."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=500_000)
        parser.add_argument("--runs", type=int, default=21)
        parser.add_argument("--nis", default="99996", help="NIS code of the benchmark CPAS (created if absent).")
        parser.add_argument("--explain", action="store_true", default=True)
        parser.add_argument("--no-explain", dest="explain", action="store_false")

    def handle(self, *args, **options):
        cpas = Cpas.objects.filter(nis_code=options["nis"]).first()
        if cpas is None:
            cpas = Cpas.objects.create(nis_code=options["nis"], name_fr=f"CPAS de mesure {options['nis']}",
                                       name_nl=f"Meet-OCMW {options['nis']}", region="brussels", language="fr")
        present = Beneficiary.objects.filter(cpas=cpas).count()
        began = time.perf_counter()
        if present < options["people"]:
            self._generate(cpas, present, options["people"])
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE cpas_portal_beneficiary")
            else:
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        generation = time.perf_counter() - began
        total = Beneficiary.objects.filter(cpas=cpas).count()
        known = Beneficiary.objects.filter(cpas=cpas).order_by("id")[total // 2]
        number = known.niss
        forms = {
            "last name": "dupont",
            "accent-free first name": "ines",
            "upper case, accents": "INÈS DUPONT",
            "first then last": "ines dupont",
            "last then first": "dupont ines",
            "partial last name": "lamb",
            "inside a name": "berg",
            "full number, formatted": niss_display(number),
            "full number, digits": number,
            "number with spaces": f"{number[:2]} {number[2:4]} {number[4:6]} {number[6:9]} {number[9:]}",
            "partial number (birth date)": number[:6],
            "partial number, formatted": f"{number[:2]}.{number[2:4]}",
        }
        rows = []
        for label, typed in forms.items():
            list_times, picker_times, found = [], [], 0
            for _run in range(options["runs"]):
                start = time.perf_counter()
                page = Paginator(selectors.beneficiary_list(cpas=cpas, search=typed), PAGE_SIZE).get_page(1)
                shown = list(page)
                found = page.paginator.count
                list_times.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                list(selectors.person_choices(cpas=cpas, search=typed, limit=10))
                picker_times.append((time.perf_counter() - start) * 1000)
            database_ms = self._execution_ms(selectors.beneficiary_list(cpas=cpas, search=typed)[:PAGE_SIZE])
            rows.append({"form": label, "database_page_ms": database_ms,
                         "typed": "(number)" if person_search.is_number_search(typed) else typed,
                         "matches": found, "first_page": len(shown),
                         "list_median_ms": round(statistics.median(list_times), 2),
                         "picker_median_ms": round(statistics.median(picker_times), 2)})
        self.stdout.write(f"database: {connection.vendor}; beneficiaries in the benchmark CPAS: {total}; "
                          f"generated in {generation:.1f} s; runs per form: {options['runs']}")
        self.stdout.write(f"{'typed form':32} {'matches':>8} {'list+count ms':>14} {'picker ms':>10} "
                          f"{'page in PostgreSQL ms':>22}")
        for row in rows:
            self.stdout.write(f"{row['form']:32} {row['matches']:>8} {row['list_median_ms']:>14} "
                              f"{row['picker_median_ms']:>10} {row['database_page_ms'] or '-':>22}")
        if options["explain"]:
            for label, typed in forms.items():
                query = selectors.person_choices(cpas=cpas, search=typed, limit=PAGE_SIZE)
                self.stdout.write(f"\nEXPLAIN — {label}:\n{query.explain()}")
        self.stdout.write(json.dumps({"database": connection.vendor, "people": total, "results": rows}))

    @staticmethod
    def _execution_ms(queryset):
        """PostgreSQL's own execution time of the first page (``EXPLAIN ANALYZE``): the database's share, steady
        on a busy machine. ``None`` elsewhere."""
        if connection.vendor != "postgresql":
            return None
        plan = queryset.explain(analyze=True)
        found = re.search(r"Execution Time: ([0-9.]+) ms", plan)
        return float(found.group(1)) if found else None

    @transaction.atomic
    def _generate(self, cpas, present, wanted):
        rng = random.Random(present)
        origin = date(1940, 1, 1)
        for batch_start in range(present, wanted, BATCH):
            people = []
            for index in range(batch_start, min(batch_start + BATCH, wanted)):
                # (birth date, counter) is unique per index: 25,000 days, then the next counter.
                birth = origin + timedelta(days=index % 25_000)
                counter = index // 25_000 + 1
                first_name, last_name = _person_name(index, rng)
                people.append(Beneficiary(
                    cpas=cpas, niss=national_number(birth, counter), first_name=first_name, last_name=last_name,
                    birth_date=birth, sex="M" if counter % 2 else "F",
                    **person_search.search_columns(first_name=first_name, last_name=last_name)))
            # bulk_create skips save(): the name words a search reads are written here.
            person_search.save_name_words(Beneficiary.objects.bulk_create(people, batch_size=BATCH))
