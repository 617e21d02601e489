"""Benchmark of the statement import (issue "Speed at scale", statements): is it linear?

For each size (2,000 / 8,000 / 50,000 records by default) it makes a sent claim of as many lines
and SPP IS's statement paying them, written in the fixed-width layout the importer reads, then
times the parsing alone and the whole import (parse, match, record with history) as the import
job runs it (wall time, and the CPU time of this process: the rest is the database's and waiting
for the machine's cores), and prints the time per record and the ratio to the smallest size. The target: the
50,000-record file imported in ≤ 30 s; linear (the time per record does not grow with the size).

It writes a benchmark CPAS (NIS code 99997) into the configured database and clears its claims
and statements first: run it on a scratch database.
"""

import json
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cpas_portal import benchmarking
from cpas_portal.models import Cpas, Membership, Role

from .claims_benchmark import table

BENCHMARK_NIS = "99997"
TARGET_SECONDS = 30.0
TARGET_RECORDS = 50_000


class Command(BaseCommand):
    help = "Time the import of statements of 2,000, 8,000 and 50,000 records and print the growth ratio."

    def add_arguments(self, parser):
        parser.add_argument("--sizes", default="2000,8000,50000")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        sizes = [int(size) for size in options["sizes"].split(",") if size.strip()]
        cpas, user = self._cpas_and_user()
        figures = [self._measure(cpas, user, size) for size in sizes]
        smallest = figures[0]
        rows = []
        for figure in figures:
            size = figure["records"]
            growth = round(figure["import_seconds"] / smallest["import_seconds"], 2)
            rows += [
                (f"statement of {size} records: parse (s)", figure["parse_seconds"]),
                (f"statement of {size} records: parse + match + record (s)", figure["import_seconds"]),
                (f"statement of {size} records: of which CPU of this process (s)", figure["import_cpu_seconds"]),
                (f"statement of {size} records: ms per record", figure["ms_per_record"]),
                (f"statement of {size} records: time / time of {smallest['records']} "
                 f"(linear: {round(size / smallest['records'], 1)})", growth),
            ]
        self.stdout.write(table(rows))
        for figure in figures:
            if figure["records"] == TARGET_RECORDS:
                benchmarking.target(self.stdout.write, f"statement import, {TARGET_RECORDS:,} records (job)",
                       figure["import_seconds"], TARGET_SECONDS, "s")
        if len(figures) > 1:
            largest = figures[-1]
            # Linear: the time per record of the largest file at most twice that of the smallest.
            benchmarking.target(self.stdout.write, f"statement import, ms per record {largest['records']:,} / "
                   f"{smallest['records']:,}", largest["ms_per_record"] / smallest["ms_per_record"], 2.0, "×")
        if options["json"]:
            self.stdout.write(json.dumps(figures))

    def _cpas_and_user(self):
        cpas, _created = Cpas.objects.get_or_create(
            nis_code=BENCHMARK_NIS, defaults={"name_fr": "CPAS des relevés", "name_nl": "OCMW van de staten",
                                              "region": "brussels", "language": "fr",
                                              "street": "Rue de la Référence 2", "postal_code": "1000",
                                              "city": "Bruxelles", "contact_name": "Service des finances",
                                              "contact_phone": "02 000 00 00", "iban": "BE71096123456769"})
        user, _created = get_user_model().objects.get_or_create(
            username="benchmark-statements", defaults={"first_name": "Bench", "last_name": "Statements"})
        Membership.objects.update_or_create(user=user, defaults={"cpas": cpas, "role": Role.FINANCE})
        return cpas, user

    def _measure(self, cpas, user, size):
        from reimbursements import statement, statements
        from reimbursements.models import Claim, ClaimLine, StatementImport, StatementJob, StatementRecord
        from reimbursements.statement_benchmark_data import sent_claim, statement_text

        StatementJob.objects.filter(cpas=cpas).delete()
        StatementRecord.objects.filter(cpas=cpas).delete()
        StatementImport.objects.filter(cpas=cpas).delete()
        ClaimLine.objects.filter(cpas=cpas).delete()
        Claim.objects.filter(cpas=cpas).delete()
        sent_claim(cpas=cpas, user=user, lines=size, sequence=1)
        content = statement_text(nis_code=cpas.nis_code, records=size)
        began = time.perf_counter()
        parsed = statement.parse(content, file_name="statement.txt")
        parsing = time.perf_counter() - began
        assert len(parsed) == size
        # As the worker runs it: the job row (not sent to a queue here), then its body, timed alone.
        job = StatementJob.objects.create(cpas=cpas, file_name="statement.txt", content=content,
                                          sha256=statement.checksum(content), requested_by=user)
        began, cpu = time.perf_counter(), time.process_time()
        job = statements.run_statement_job(job.pk)
        importing, cpu = time.perf_counter() - began, time.process_time() - cpu
        if job.status != "done":
            raise RuntimeError(f"The import of {size} records failed: {job.errors}")
        return {"records": size, "bytes": len(content), "parse_seconds": round(parsing, 2),
                "import_seconds": round(importing, 2), "import_cpu_seconds": round(cpu, 2),
                "ms_per_record": round(importing * 1000 / size, 3),
                "matched": job.statement.records.filter(state="matched").count()}
