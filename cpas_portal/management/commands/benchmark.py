"""``manage.py benchmark``: server time of the list, detail and home pages against a bare view, in one run.

Run it on the data of ``manage.py generate_data`` (same ``--nis``). Requests go through Django's test
client in this process, through the whole middleware stack, with the settings in force: the figure is the
server's time (URL resolution, middleware, queries, template rendering) without the network, the WSGI
server or the load generator competing for the same cores, and the floor (a bare view behind the same
middleware and session) is measured in the same way in the same run, so the ratio is fair on a noisy
machine. Throughput under load, which needs the real server, is ``--load URL`` (``benchmarks/load.py``).

For each page: the median of ``--runs`` requests, the number of queries of one, the ratio to the floor
and whether the target (≤ ``--target`` × the floor) is met. For a missed target the slowest queries of
one request are printed with the database's plan (EXPLAIN).

The home pages keep their due items until the next write in the CPAS (``cpas_portal/due_cache.py``): their
rows time the pages as a user reopens them. Each is timed a second time "after a write", its CPAS marked as
written before every request, so the page reads every due item afresh; these rows inform and carry no
target (they show what the cache saves and what the first visit after a write costs).
"""

import logging
import statistics
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from cpas_portal import due_cache
from cpas_portal.benchmarking import target
from cpas_portal.generator import LARGE_NIS
from cpas_portal.models import Beneficiary, Cpas, Membership, Role

FLOOR = "/__benchmark_floor__/"
AFTER_A_WRITE = ", after a write"


class Command(BaseCommand):
    help = "Time list, detail and home pages against a bare view (the floor) at the generated scale."

    def add_arguments(self, parser):
        parser.add_argument("--nis", default=LARGE_NIS, help="The CPAS whose pages are timed (the large one).")
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--target", type=float, default=5.0, help="Highest ratio to the floor that passes.")
        parser.add_argument("--explain", type=int, default=3, help="Slowest queries shown for a missed target.")
        parser.add_argument("--only", help="Time only the pages whose label contains this text (and the floor).")
        parser.add_argument("--load", metavar="URL", help="Then run the load generator against a running server.")
        parser.add_argument("--password", default="benchmark", help="Password of the generated users (--load).")
        parser.add_argument("--duration", type=float, default=30, help="Seconds of each load run (--load).")

    def handle(self, *args, **options):
        cpas = Cpas.objects.filter(nis_code=options["nis"]).first()
        if cpas is None or not Beneficiary.objects.filter(cpas=cpas).exists():
            raise CommandError(f"CPAS {options['nis']} has no people: run manage.py generate_data first.")
        logging.getLogger("axes").setLevel(logging.WARNING)  # one line per test-client login otherwise
        self.stdout.write(f"CPAS {cpas.nis_code} {cpas.name_fr}: {Beneficiary.objects.filter(cpas=cpas).count()} "
                          f"beneficiaries; database {connection.vendor}; {options['runs']} runs a page.")
        # The home pages keep their items as in production (Redis there; here the configured cache, which this
        # one process alone reads and writes).
        with override_settings(ROOT_URLCONF="cpas_portal.benchmark_urls", HOME_CACHE=True):
            rows = self._measure(cpas, options)
        self._print(rows, options)
        if options["load"]:
            from benchmarks import load

            usernames = list(Membership.objects.filter(cpas=cpas, role=Role.CASEWORKER)
                             .order_by("user__username").values_list("user__username", flat=True)[:20])
            for think in (0.0, 1.0):
                result = load.run(base_url=options["load"], usernames=usernames, password=options["password"],
                                  duration=options["duration"], think=think, log=self.stdout.write)
                self.stdout.write(load.summary(result, think=think))
                self.stdout.write(load.by_page(result))

    def _pages(self, cpas):
        """(label, user role, url) of every page timed; details of the busiest records of the large CPAS."""
        Placement = apps.get_model("measures", "Placement")
        Convention = apps.get_model("conventions", "Convention")
        Claim = apps.get_model("reimbursements", "Claim")
        Piis = apps.get_model("piis", "Piis")
        busiest = (Beneficiary.objects.filter(cpas=cpas).annotate(n=Count("placements") + Count("conventions"))
                   .order_by("-n", "id").first())
        placement = Placement.objects.filter(cpas=cpas).annotate(n=Count("monthly_subsidies")).order_by("-n").first()
        convention = Convention.objects.filter(cpas=cpas).annotate(n=Count("payments")).order_by("-n").first()
        claim = Claim.objects.filter(cpas=cpas).order_by("-line_count").first()
        piis = Piis.objects.filter(cpas=cpas).annotate(n=Count("evaluations")).order_by("-n").first()
        pages = [
            ("floor (bare view)", Role.CASEWORKER, FLOOR),
            ("home — caseworker", Role.CASEWORKER, "/"),
            ("home — finance", Role.FINANCE, "/"),
            ("home — manager", Role.MANAGER, "/"),
            *((f"{label}{AFTER_A_WRITE}", role, "/") for label, role in (
                ("home — caseworker", Role.CASEWORKER), ("home — finance", Role.FINANCE),
                ("home — manager", Role.MANAGER)) if due_cache.enabled()),
            # An auditor has no home page of their own: they start from the beneficiaries.
            ("beneficiary list — auditor", Role.AUDITOR, "/beneficiaries/"),
            ("beneficiary list", Role.CASEWORKER, "/beneficiaries/"),
            ("beneficiary list, page 50", Role.CASEWORKER, "/beneficiaries/?page=50"),
            ("beneficiary search", Role.CASEWORKER, "/beneficiaries/?q=dubois"),
            ("beneficiary detail", Role.CASEWORKER, f"/beneficiaries/{busiest.pk}/"),
            ("convention list", Role.CASEWORKER, "/conventions/"),
            ("placement list", Role.CASEWORKER, "/placements/"),
            ("claim list", Role.FINANCE, "/claims/"),
            ("PIIS list", Role.CASEWORKER, "/piis/"),
        ]
        for label, record, prefix in (("convention detail", convention, "conventions"),
                                      ("placement detail", placement, "placements"),
                                      ("claim detail", claim, "claims"), ("PIIS detail", piis, "piis")):
            if record is not None:
                pages.append((label, Role.FINANCE if prefix == "claims" else Role.CASEWORKER,
                              f"/{prefix}/{record.pk}/"))
        return pages

    def _clients(self, cpas):
        """One logged-in client per role: the first user of the role (the busiest caseworker comes first)."""
        clients = {}
        for role in Role:
            membership = (Membership.objects.filter(cpas=cpas, role=role).select_related("user")
                          .order_by("user__username").first())
            if membership is None:
                continue
            client = Client()
            client.force_login(membership.user)
            clients[role] = client
        return clients

    def _measure(self, cpas, options):
        """Every page is timed once per round, round after round, so a burst of load elsewhere on the machine
        falls on the floor and the pages alike."""
        clients = self._clients(cpas)
        pages = [(label, role, url) for label, role, url in self._pages(cpas)
                 if not options["only"] or url == FLOOR or options["only"] in label]
        for label, role, url in pages:
            for _warm in range(2):  # templates, translations, the database's cache
                response = clients[role].get(url)
            if response.status_code != 200:
                raise CommandError(f"{label}: {url} answered {response.status_code}.")
        timings = [[] for _page in pages]
        # The pages after a write come in rounds of their own: marking the CPAS as written in the middle of a
        # round would make the next round's home pages read afresh too.
        for cold in (False, True):
            for _run in range(options["runs"]):
                for index, (label, role, url) in enumerate(pages):
                    if label.endswith(AFTER_A_WRITE) != cold:
                        continue
                    if cold:
                        due_cache.written(cpas.pk)
                    began = time.perf_counter()
                    clients[role].get(url)
                    timings[index].append((time.perf_counter() - began) * 1000)
        rows = []
        for index, (label, role, url) in sorted(enumerate(pages), key=lambda page: page[1][0].endswith(AFTER_A_WRITE)):
            # The queries of one request as timed: after a write for those rows, else with the page's items kept
            # (the request before refills them after the rounds after a write).
            if label.endswith(AFTER_A_WRITE):
                due_cache.written(cpas.pk)
            else:
                clients[role].get(url)
            with CaptureQueriesContext(connection) as queries:
                clients[role].get(url)
            rows.append({"label": label, "url": url, "median": statistics.median(timings[index]),
                         "queries": len(queries), "captured": list(queries.captured_queries)})
        return rows

    def _print(self, rows, options):
        floor = rows[0]["median"]
        self.stdout.write(f"\n| page | median ms | queries | × floor | ≤ {options['target']:g}× |")
        self.stdout.write("|---|---:|---:|---:|---|")
        missed = []
        for row in rows:
            ratio = row["median"] / floor
            if row["label"].endswith(AFTER_A_WRITE):
                self.stdout.write(f"| {row['label']} | {row['median']:.1f} | {row['queries']} | {ratio:.1f} | — |")
                continue
            met = ratio <= options["target"]
            if not met:
                missed.append(row)
            self.stdout.write(f"| {row['label']} | {row['median']:.1f} | {row['queries']} | {ratio:.1f} | "
                              f"{'met' if met else 'MISSED'} |")
        targeted = [row for row in rows[1:] if not row["label"].endswith(AFTER_A_WRITE)]
        self.stdout.write(f"\n{len(targeted) - len(missed)} of {len(targeted)} pages within "
                          f"{options['target']:g}× the floor ({floor:.1f} ms).")
        for row in targeted:
            target(self.stdout.write, f"{row['label']} ({row['median']:.1f} ms, {row['queries']} queries), × floor",
                   row["median"] / floor, options["target"], "×")
        for row in missed:
            self._explain(row, options["explain"])

    def _explain(self, row, count):
        slowest = sorted(row["captured"], key=lambda query: float(query.get("time") or 0), reverse=True)[:count]
        total = sum(float(query.get("time") or 0) for query in row["captured"]) * 1000
        self.stdout.write(f"\n{row['label']} ({row['url']}): {row['queries']} queries, {total:.1f} ms of SQL; "
                          f"slowest:")
        for query in slowest:
            self.stdout.write(f"  {float(query['time']) * 1000:.1f} ms  {query['sql'][:300]}")
            try:
                with connection.cursor() as cursor:
                    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
                    cursor.execute(prefix + query["sql"])
                    for line in cursor.fetchall():
                        self.stdout.write(f"      {' '.join(str(part) for part in line)[:240]}")
            except Exception as error:  # a captured statement with literal parameters may not re-run as is
                self.stdout.write(f"      (no plan: {error.__class__.__name__})")
