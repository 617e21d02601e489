"""``manage.py benchmark_growth``: the page benchmark at 5,000 / 50,000 / 500,000 beneficiaries, on SQLite and
PostgreSQL, with the ratio largest / smallest of each page.

Each size has a database of its own, generated once and kept (``generate_data --scale S --others 0``: the large
CPAS alone, as big as asked): on PostgreSQL ``<database>_growth_<people>`` next to the configured database
(``--postgresql URL``, default ``DATABASE_URL``), on SQLite ``benchmarks/data/growth_<people>.sqlite3``. Then
``manage.py benchmark`` runs on each, in its own process, and the medians are set side by side. A page whose
time grows more than twice from the smallest to the largest size is marked: it is explained in the README's
Performance section or fixed. Generating 500,000 people takes a while (see the README); the databases are
reused by later runs.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cpas_portal import benchmarking

PEOPLE_AT_SCALE_1 = 50_000
ROW = re.compile(r"^\| (?P<label>[^|]+?) \| (?P<median>[0-9.]+) \| (?P<queries>\d+) \| (?P<ratio>[0-9.]+) \|")
GROWTH_LIMIT = 2.0


class Command(BaseCommand):
    help = "Time the pages at three sizes on SQLite and PostgreSQL and print each page's growth."

    def add_arguments(self, parser):
        parser.add_argument("--scales", default="0.1,1,10", help="Sizes as generate_data scales (1: 50,000).")
        parser.add_argument("--databases", default="sqlite,postgresql")
        parser.add_argument("--postgresql", default=os.environ.get("DATABASE_URL", ""),
                            help="A PostgreSQL URL whose server holds the growth databases.")
        parser.add_argument("--runs", type=int, default=9)

    def handle(self, *args, **options):
        scales = [float(scale) for scale in options["scales"].split(",")]
        engines = [engine.strip() for engine in options["databases"].split(",") if engine.strip()]
        if "postgresql" in engines and not options["postgresql"].startswith("postgres"):
            raise CommandError("Give --postgresql postgres://… (or DATABASE_URL) for the PostgreSQL sizes.")
        table = {}
        for engine in engines:
            for scale in scales:
                url = self._database(engine, scale, options["postgresql"])
                table[(engine, scale)] = self._pages(url, options["runs"])
        self._print(table, engines, scales)

    def _database(self, engine, scale, postgresql_url):
        people = int(PEOPLE_AT_SCALE_1 * scale)
        if engine == "sqlite":
            folder = Path(settings.BASE_DIR) / "benchmarks" / "data"
            folder.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{folder / f'growth_{people}.sqlite3'}"
        elif engine == "postgresql":
            base, _slash, name = postgresql_url.rpartition("/")
            url = f"{base}/{name.split('?')[0]}_growth_{people}"
            self._create_postgresql(url)
        else:
            raise CommandError(f"Unknown database {engine!r}: sqlite or postgresql.")
        # Migrated every time: a database kept from an earlier run follows the schema of the code measured.
        self._manage(url, ["migrate", "-v", "0"])
        if "generated" not in self._manage(url, ["shell", "-c", (
                "from cpas_portal.models import Beneficiary; from cpas_portal.generator import LARGE_NIS; "
                "print('generated' if Beneficiary.objects.filter(cpas__nis_code=LARGE_NIS).exists() else 'empty')")],
                check=False):
            self.stdout.write(f"== {engine}, {people:,} people: generate (once)")
            self._manage(url, ["generate_data", "--seed", "1", "--scale", str(scale), "--others", "0"], echo=True)
        return url

    def _create_postgresql(self, url):
        import psycopg2

        base, _slash, name = url.rpartition("/")
        connection = psycopg2.connect(f"{base}/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()

    def _pages(self, url, runs):
        output = self._manage(url, ["benchmark", "--runs", str(runs), "--explain", "0"], echo=True)
        return {match["label"]: float(match["median"]) for line in output.splitlines() if (match := ROW.match(line))}

    def _manage(self, url, arguments, check=True, echo=False):
        environment = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "0", "PYTHONUNBUFFERED": "1"}
        process = subprocess.run([sys.executable, "manage.py", *arguments], cwd=settings.BASE_DIR, env=environment,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if echo:
            self.stdout.write(process.stdout.rstrip())
        if check and process.returncode != 0:
            raise CommandError(f"manage.py {' '.join(arguments)} failed on {url}:\n{process.stdout[-2000:]}")
        return process.stdout

    def _print(self, table, engines, scales):
        sizes = [f"{int(PEOPLE_AT_SCALE_1 * scale):,}" for scale in scales]
        for engine in engines:
            pages = table[(engine, scales[0])]
            self.stdout.write(f"\n## Growth on {engine} (median ms)\n")
            self.stdout.write("| page | " + " | ".join(sizes) + f" | {sizes[-1]} / {sizes[0]} |")
            self.stdout.write("|---|" + "---:|" * (len(sizes) + 1))
            targets = []
            for label in pages:
                medians = [table[(engine, scale)].get(label) for scale in scales]
                if None in medians:
                    continue
                growth = medians[-1] / medians[0]
                self.stdout.write(f"| {label} | " + " | ".join(f"{median:.1f}" for median in medians)
                                  + f" | {growth:.2f} |")
                if label != "floor (bare view)":
                    targets.append((f"{engine}: {label}, {sizes[-1]} / {sizes[0]}", growth))
            self.stdout.write("")
            for name, growth in targets:
                benchmarking.target(self.stdout.write, name, growth, GROWTH_LIMIT, "×")
