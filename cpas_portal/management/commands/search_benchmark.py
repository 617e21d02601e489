"""Benchmark of the person search: one CPAS of ``--people`` beneficiaries, the search timed for several typed forms.

Bulk-creates the people missing from the benchmark CPAS (names drawn from a fixed pool with accents and
particles, valid national numbers, their name words; no history rows: a benchmark database only), then times,
for each typed form: what the list's HTMX search and the API search read (the capped count and the first page
with the rights in force, ``selectors.beneficiary_search_results``), what a person picker reads
(``selectors.person_choices``), and the whole HTMX and API requests (test client, full middleware): medians of
``--runs``. Prints the plan of each search on the current database (``EXPLAIN``) and one target line per typed
form (``benchmarking.target``: the search's own server time ≤ 20 ms). Writes into the configured database: run
it on a scratch one.
"""

import json
import os
import random
import re
import statistics
import time
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from cpas_portal import person_search, selectors
from cpas_portal.benchmarking import target
from cpas_portal.demo import national_number
from cpas_portal.identifiers import niss_display
from cpas_portal.models import Beneficiary, Cpas, Membership, Role
from cpas_portal.pagination import CappedPaginator

BATCH = 5000
PAGE_SIZE = 25
# Issue "speed at scale": a search answers in at most 20 ms of server time at 500,000 people.
TARGET_MS = 20
HTMX = {"HX-Request": "true", "HX-Target": "beneficiary-results"}
API_SEARCH = "/api/v1/beneficiaries/search/"
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
                    # Statistics and the visibility map a live database's autovacuum keeps: index-only scans.
                    cursor.execute("VACUUM ANALYZE cpas_portal_beneficiary")
                    cursor.execute("VACUUM ANALYZE cpas_portal_beneficiarynameword")
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
        database = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(connection.vendor, connection.vendor)
        client, api = self._clients(cpas)
        rows = []
        for label, typed in forms.items():
            list_times, list_cpu, picker_times, view_times, api_times = [], [], [], [], []
            for _run in range(options["runs"]):
                start, start_cpu = time.perf_counter(), time.process_time()
                paginator = CappedPaginator(selectors.beneficiary_search_results(cpas=cpas, search=typed), PAGE_SIZE)
                page = paginator.get_page(1)
                shown = list(page)
                found = paginator.shown_count
                list_times.append((time.perf_counter() - start) * 1000)
                # This process's CPU time: Python, and on SQLite the database too; steadier on a busy machine.
                list_cpu.append((time.process_time() - start_cpu) * 1000)
                start = time.perf_counter()
                list(selectors.person_choices(cpas=cpas, search=typed, limit=10))
                picker_times.append((time.perf_counter() - start) * 1000)
                start = time.perf_counter()
                # The list's HTMX search, a POST (a national number never travels in a URL).
                response = client.post(reverse("beneficiary_list"), {"q": typed}, headers=HTMX)
                view_times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
                start = time.perf_counter()
                response = api.post(API_SEARCH, {"q": typed}, format="json")
                api_times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
            matches = selectors.beneficiary_search_results(cpas=cpas, search=typed)
            rows.append({"form": label, "database_page_ms": self._execution_ms(matches),
                         "typed": "(number)" if person_search.is_number_search(typed) else typed,
                         "matches": found, "first_page": len(shown),
                         "list_median_ms": round(statistics.median(list_times), 2),
                         "list_cpu_median_ms": round(statistics.median(list_cpu), 2),
                         "picker_median_ms": round(statistics.median(picker_times), 2),
                         "htmx_median_ms": round(statistics.median(view_times), 2),
                         "api_median_ms": round(statistics.median(api_times), 2)})
        load = os.getloadavg()
        self.stdout.write(f"database: {database}; beneficiaries in the benchmark CPAS: {total}; "
                          f"generated in {generation:.1f} s; runs per form: {options['runs']}; "
                          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        self.stdout.write(f"{'typed form':30} {'matches':>8} {'list+count':>11} {'its CPU':>8} {'picker':>7} "
                          f"{'HTMX view':>10} {'API':>7} {'SQL (PG)':>9}   (medians, ms)")
        for row in rows:
            self.stdout.write(f"{row['form']:30} {row['matches']:>8} {row['list_median_ms']:>11} "
                              f"{row['list_cpu_median_ms']:>8} "
                              f"{row['picker_median_ms']:>7} {row['htmx_median_ms']:>10} {row['api_median_ms']:>7} "
                              f"{row['database_page_ms'] or '-':>9}")
        if options["explain"]:
            for label, typed in forms.items():
                matches = selectors.beneficiary_search_results(cpas=cpas, search=typed)
                self.stdout.write(f"\nEXPLAIN — {label} ({database}):\n{matches.explain()}")
        self.stdout.write("")
        for row in rows:
            # The search's own server time: the list's count and first page with the rights in force (what the
            # HTMX search, the API search and, for ten people, the picker read). The columns "HTMX view" and "API"
            # add the request's fixed cost (session, permissions, rendering), the same whatever the search.
            target(self.stdout.write, f"search {row['form']} ({row['typed']}), {database}", row["list_median_ms"],
                   TARGET_MS, "ms")
        self.stdout.write(json.dumps({"database": connection.vendor, "people": total, "load_average": load,
                                      "results": rows}))

    @staticmethod
    def _clients(cpas):
        """A caseworker of the benchmark CPAS, logged in to the pages and to the API."""
        user, _created = get_user_model().objects.get_or_create(username=f"search-benchmark-{cpas.nis_code}")
        Membership.objects.get_or_create(user=user, cpas=cpas, defaults={"role": Role.CASEWORKER})
        client, api = Client(), APIClient()
        client.force_login(user)
        api.force_authenticate(user)
        # Warm: templates, translations, URL resolvers.
        client.post(reverse("beneficiary_list"), {"q": "warm"}, headers=HTMX)
        api.post(API_SEARCH, {"q": "warm"}, format="json")
        return client, api

    @staticmethod
    def _execution_ms(matches):
        """PostgreSQL's own execution time of the first page's queries (``EXPLAIN ANALYZE``): the database's
        share, steady on a busy machine. ``None`` elsewhere."""
        if connection.vendor != "postgresql":
            return None
        plan = (matches[:PAGE_SIZE] if hasattr(matches, "filter") else matches).explain(analyze=True)
        return round(sum(float(ms) for ms in re.findall(r"Execution Time: ([0-9.]+) ms", plan)), 3)

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
