"""Benchmark of the person's file: one person with ten years of history, the page timed through the test client.

Creates a fresh CPAS (NIS 999xx) holding one person with ten years of right decisions, case notes, documents,
art. 60 §7 placements and their subsidies, conventions, firm employments and art. 61 premiums, and claim lines;
then opens the person's page ``--runs`` times and prints the median and the query count. It writes into the
configured database (documents into a temporary directory, removed afterwards): run it on a scratch database.
"""

import os
import shutil
import statistics
import tempfile
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


class Command(BaseCommand):
    help = "Time the person's file of a person with ten years of history (median of N runs, query count)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--years", type=int, default=10)

    def handle(self, *args, **options):
        from reimbursements.person_file_benchmark_data import create_person_with_history

        documents = tempfile.mkdtemp(prefix="cpas-benchmark-documents-")
        settings.CPAS_DOCUMENTS_ROOT = documents
        try:
            started = time.perf_counter()
            cpas, user, person = create_person_with_history(years=options["years"])
            self.stdout.write(f"data: CPAS {cpas.nis_code}, person {person.pk}, {options['years']} years "
                              f"({self._counts(person)}) in {time.perf_counter() - started:.1f} s")
            client = Client()
            client.force_login(user)
            url = reverse("beneficiary_detail", args=[person.pk])
            assert client.get(url).status_code == 200  # warm-up: templates, translations, connections
            timings, cpu = [], []
            for _ in range(options["runs"]):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                assert response.status_code == 200
            # Counted apart: capturing queries slows each one a little.
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            self.stdout.write(
                f"person's file: median {statistics.median(timings):.1f} ms (min {min(timings):.1f}, "
                f"max {max(timings):.1f}) over {options['runs']} runs, of which {statistics.median(cpu):.1f} ms "
                f"of this process's CPU; {len(queries)} queries; {len(response.content) // 1024} KiB; "
                f"target ≤ 100 ms; load average {os.getloadavg()[0]:.1f}")
        finally:
            shutil.rmtree(documents, ignore_errors=True)

    @staticmethod
    def _counts(person):
        from conventions.models import Convention
        from measures.models import Art61Premium, MonthlySubsidy, Placement
        from reimbursements.models import ClaimLine

        return ", ".join(f"{count} {name}" for name, count in (
            ("decisions", person.right_decisions.count()), ("notes", person.case_notes.count()),
            ("documents", person.documents.count()),
            ("placements", Placement.objects.filter(beneficiary=person).count()),
            ("subsidy months", MonthlySubsidy.objects.filter(beneficiary=person).count()),
            ("conventions", Convention.objects.filter(beneficiary=person).count()),
            ("premiums", Art61Premium.objects.filter(beneficiary=person).count()),
            ("claim lines", ClaimLine.objects.filter(cpas=person.cpas, niss=person.niss).count()),
        ))
