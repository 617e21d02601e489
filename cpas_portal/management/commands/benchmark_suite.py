"""``manage.py benchmark_suite``: every benchmark of issue "speed at scale" in one run, one table at the end.

On the configured database (PostgreSQL for the production figures), in this order, each in its own process:

1. the data: ``generate_data`` when the large CPAS has no people yet (``--scale``, ``--seed``);
2. the pages: ``benchmark`` (list, detail and home pages against the bare view, in the same run);
3. the throughput: gunicorn started here with the production settings (``DJANGO_ENV=production``, persistent
   database connections, sessions through Redis at ``--redis``), the bare view timed through it, then
   ``benchmarks/load.py``: 20 users without and with 1 s of think time;
4. the search: ``search_benchmark`` (500,000 people in a CPAS of their own);
5. claims and statements: ``claims_benchmark`` and ``statement_benchmark``, on a scratch database made here
   (PostgreSQL; they leave their data), dropped afterwards.

Each step prints its own detail, then its ``TARGET`` lines (:mod:`cpas_portal.benchmarking`); the summary
gathers them. ``--skip`` leaves steps out (e.g. ``--skip search,claims`` for a quick run). The exit status
is 1 when a target is missed.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cpas_portal import benchmarking
from cpas_portal.generator import LARGE_NIS
from cpas_portal.models import Beneficiary, Cpas, Membership, Role

STEPS = ("pages", "load", "search", "claims", "statements")
# Issue "speed at scale": 4 × the 26 requests/s measured before, p95 ≤ 150 ms without think time, ≤ 100 ms with.
THROUGHPUT = 104.0
P95_BUSY_MS = 150.0
P95_THINKING_MS = 100.0


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Command(BaseCommand):
    help = "Run every benchmark (pages, throughput, search, claims, statements) and print one table of targets."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Data generated when missing (1: 50,000).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--skip", default="", help=f"Comma-separated steps to leave out: {', '.join(STEPS)}.")
        parser.add_argument("--runs", type=int, default=15, help="Requests per page (pages step).")
        parser.add_argument("--duration", type=float, default=30, help="Seconds of each load run.")
        parser.add_argument("--users", type=int, default=20)
        parser.add_argument("--redis", default=os.environ.get("CELERY_BROKER_URL", ""),
                            help="Redis for the server's cache and sessions (load step); default: the broker.")
        parser.add_argument("--people", type=int, default=500_000, help="People of the search step.")

    def handle(self, *args, **options):
        skipped = {step.strip() for step in options["skip"].split(",") if step.strip()}
        unknown = skipped - set(STEPS)
        if unknown:
            raise CommandError(f"Unknown steps: {', '.join(sorted(unknown))}; the steps are {', '.join(STEPS)}.")
        self.results = []
        self._data(options)
        if "pages" not in skipped:
            self._run("pages", ["benchmark", "--runs", str(options["runs"]), "--explain", "2"])
        if "load" not in skipped:
            self._load(options)
        if "search" not in skipped:
            self._run("search", ["search_benchmark", "--people", str(options["people"])])
        scratch_steps = [step for step in ("claims", "statements") if step not in skipped]
        if scratch_steps:
            self._scratch(scratch_steps)
        self._summary()

    # Steps ------------------------------------------------------------------------------------

    def _data(self, options):
        cpas = Cpas.objects.filter(nis_code=LARGE_NIS).first()
        if cpas is not None and Beneficiary.objects.filter(cpas=cpas).exists():
            return
        self._run("data", ["generate_data", "--seed", str(options["seed"]), "--scale", str(options["scale"])])

    def _load(self, options):
        if connection.vendor != "postgresql" or not options["redis"]:
            raise CommandError("The load step runs the production settings: PostgreSQL (DATABASE_URL) and Redis "
                               "(--redis or CELERY_BROKER_URL). Leave it out with --skip load.")
        from benchmarks import load

        usernames = list(Membership.objects.filter(cpas__nis_code=LARGE_NIS, role=Role.CASEWORKER)
                         .order_by("user__username").values_list("user__username", flat=True)[:options["users"]])
        port = _free_port()
        base_url = f"http://127.0.0.1:{port}"
        server = self._server(port, options["redis"])
        try:
            floor = load.floor(base_url=base_url, username=usernames[0], password="benchmark")
            self.stdout.write(f"\n== load: gunicorn (production settings) at {base_url}; bare view through it: "
                              f"median {floor:.1f} ms")
            lines = []
            for think in (0.0, 1.0):
                result = load.run(base_url=base_url, usernames=usernames, password="benchmark",
                                  duration=options["duration"], think=think, log=self.stdout.write)
                self.stdout.write(load.summary(result, think=think))
                self.stdout.write(load.by_page(result))
                lines += self._load_targets(result, think)
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        for line in lines:
            self.stdout.write(line)
        self.results += [("load", result) for result in benchmarking.parse("\n".join(lines))]

    def _load_targets(self, result, think):
        from benchmarks import load

        figures = load.figures(result)
        lines = []
        write = lines.append
        if think == 0:
            benchmarking.target(write, f"throughput, {len(result.users)} users without think time",
                                figures["rate"], THROUGHPUT, "requests/s", higher_is_better=True)
            benchmarking.target(write, "p95 without think time", figures["p95"], P95_BUSY_MS, "ms")
        else:
            benchmarking.target(write, f"p95 with {think:g} s of think time", figures["p95"], P95_THINKING_MS, "ms")
        benchmarking.target(write, f"errors (think {think:g} s)", len(result.errors), 0, "")
        return lines

    def _server(self, port, redis_url):
        environment = {
            **os.environ, "DJANGO_ENV": "production", "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}", "CELERY_BROKER_URL": redis_url,
            "CPAS_BENCHMARK_FLOOR": "1", "GUNICORN_BIND": f"127.0.0.1:{port}",
        }
        # Production serves static files from the collected, hashed copies.
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=settings.BASE_DIR,
                       env=environment, check=True)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        log = open(os.devnull, "w")  # noqa: SIM115 (the access log: one line per request)
        server = subprocess.Popen(
            [str(gunicorn), "-c", "python:cpas_portal.gunicorn_conf", "cpas_portal.wsgi:application"],
            cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT)
        for _attempt in range(300):
            if server.poll() is not None:
                raise CommandError("gunicorn stopped at start (run it by hand with DJANGO_ENV=production to see why).")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=1).read()
                return server
            except OSError:
                time.sleep(0.2)
        server.kill()
        raise CommandError("gunicorn did not answer within 60 s.")

    def _scratch(self, steps):
        """Claims and statements write their own data: a scratch PostgreSQL database, migrated, then dropped."""
        if connection.vendor != "postgresql":
            raise CommandError("The claims and statements steps need PostgreSQL (they use a scratch database).")
        database = settings.DATABASES["default"]
        scratch = f"{database['NAME']}_benchmark_scratch"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
            cursor.execute(f'CREATE DATABASE "{scratch}"')
        user = database["USER"] + (f":{database['PASSWORD']}" if database.get("PASSWORD") else "")
        url = f"postgres://{user}@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{scratch}"
        try:
            self._run("scratch database", ["migrate", "-v", "0"], database_url=url)
            if "claims" in steps:
                self._run("claims", ["claims_benchmark", "--source", "measures"], database_url=url)
            if "statements" in steps:
                self._run("statements", ["statement_benchmark"], database_url=url)
        finally:
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')

    # Plumbing ---------------------------------------------------------------------------------

    def _run(self, step, arguments, database_url=None):
        self.stdout.write(f"\n== {step}: manage.py {' '.join(arguments)}")
        environment = {**os.environ, "DJANGO_DEBUG": "0", "PYTHONUNBUFFERED": "1"}
        if database_url:
            environment["DATABASE_URL"] = database_url
        process = subprocess.Popen([sys.executable, "manage.py", *arguments], cwd=settings.BASE_DIR,
                                   env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        output = []
        for line in process.stdout:
            output.append(line)
            self.stdout.write(line.rstrip("\n"))
        if process.wait() != 0:
            self.results.append((step, benchmarking.Result(f"{step} finished without error", "failed", "", False)))
        self.results += [(step, result) for result in benchmarking.parse("".join(output))]

    def _summary(self):
        self.stdout.write("\n## Targets\n\n| step | target | measured | limit | |\n|---|---|---:|---:|---|")
        for step, result in self.results:
            self.stdout.write(f"| {step} | {result.name} | {result.measured} | {result.limit} | "
                              f"{'met' if result.met else '**MISSED**'} |")
        missed = [result for _step, result in self.results if not result.met]
        self.stdout.write(f"\n{len(self.results) - len(missed)} of {len(self.results)} targets met.")
        if missed:
            sys.exit(1)
