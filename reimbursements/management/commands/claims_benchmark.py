"""Benchmark of the claims (issue "Speed at scale", claims): one table of figures and targets.

- one CPAS-month of 5,000 art. 60 §7 subsidy lines: gathering, then writing the claim and freezing
  its items (the target: ≤ 1 s);
- its PDF form rendered by the application and, in the same run, the same HTML rendered by raw
  WeasyPrint: time and peak memory of each in a child process of its own (``ru_maxrss``), and the
  ratio (the target: ≤ 1.1× raw WeasyPrint, ≤ 600 MB). The two are timed ``--pdf-runs`` times as
  pairs, one right after the other and in alternating order, so that load from elsewhere on a shared
  machine falls on both sides alike; the ratio is the median of the pairs' ratios. The CPU time of each
  side (user + system, the rendering process alone) is shown beside it, and both PDFs must have the same
  bytes: the proof that both sides rendered the same HTML with the same fonts and options;
- the claims of one month for 101 CPAS (this one and 100 smaller ones) made by real Celery workers,
  with 1 and with 2 workers: wall time and speed-up (the target: 2 workers are not slower than 1).
  The workers are started by the command on a queue of their own (so a worker already running
  elsewhere takes none of these jobs) and stopped after; this part needs ``CELERY_BROKER_URL``.

After its table it prints one ``TARGET`` line per target (:mod:`cpas_portal.benchmarking`), which
``benchmark_suite`` gathers. ``--quick`` keeps every measure but makes the batch 21 CPAS.

It writes benchmark CPAS (NIS codes 99998 and 98000–98099) into the configured database and
clears their claims first: run it on a scratch database.
"""

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cpas_portal.benchmarking import target
from cpas_portal.demo import national_number
from cpas_portal.models import Cpas, Membership, Role

BENCHMARK_NIS = "99998"
BATCH_NIS_FROM = 98000
BATCH_QUEUE = "claims-benchmark"
# The targets of issue "speed at scale", claims.
GATHER_TARGET_SECONDS = 2.0
WRITE_TARGET_SECONDS = 1.0
PDF_RATIO_TARGET = 1.1
PDF_MEMORY_TARGET_MB = 600
SPEEDUP_TARGET = 1.0  # two workers make the batch no slower than one
QUICK_BATCH_CPAS = 20


def synthetic_item(index, start, end):
    from reimbursements.sources import ClaimItem

    return ClaimItem(
        source_key=f"benchmark.art60:{index}", niss=national_number(date(1980 + index % 20, 1 + index % 12, 1),
                                                                   index % 997 + 1),
        beneficiary_name=f"Beneficiary {index:05d}", covered_start=start, covered_end=end,
        amount=Decimal("1811.57"), legal_basis="Loi organique des CPAS 08/07/1976 art. 60 §7",
        legislation="1965" if index % 5 == 0 else "2002", description="Full-time subsidy",
    )


def _peak_mb():
    # ru_maxrss is in kilobytes on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def table(rows):
    """The rows ``(measure, value)`` as a text table."""
    width = max(len(measure) for measure, _value in rows)
    values = max(len(str(value)) for _measure, value in rows)
    out = [f"{'measure':<{width}}  {'value':>{values}}"]
    out += [f"{measure:<{width}}  {value!s:>{values}}" for measure, value in rows]
    return "\n".join(out)


class Command(BaseCommand):
    help = "Time a claim of 5,000 lines (write + freeze, PDF against raw WeasyPrint) and the claims of 101 CPAS."

    def add_arguments(self, parser):
        parser.add_argument("--lines", type=int, default=5000)
        parser.add_argument("--runs", type=int, default=3,
                            help="Times the claim is gathered, written and frozen again (the median is reported).")
        parser.add_argument("--source", choices=["measures", "synthetic"], default="measures",
                            help="Art. 60 §7 subsidy lines created in the measures app, or an in-memory source.")
        parser.add_argument("--batch-cpas", type=int, default=100, help="CPAS besides the large one in the batch.")
        parser.add_argument("--batch-lines", type=int, default=100, help="Lines of each of those CPAS.")
        parser.add_argument("--workers", default="1,2", help="Worker counts to time the batch with (0: skip).")
        parser.add_argument("--skip-pdf", action="store_true")
        parser.add_argument("--pdf-runs", type=int, default=5,
                            help="Pairs of PDF renderings (application, raw WeasyPrint) timed; the medians are "
                                 "reported.")
        parser.add_argument("--quick", action="store_true",
                            help=f"A shorter run: the batch is made of {QUICK_BATCH_CPAS + 1} CPAS instead of 101.")
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON after the table.")
        parser.add_argument("--render-claim", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--render-raw", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["render_claim"]:
            return self._render_child(options["render_claim"])
        if options["render_raw"]:
            return self._render_raw_child(options["render_raw"])
        figures = self._claim(options)
        if not options["skip_pdf"]:
            figures.update(self._pdf(figures["claim_id"], max(1, options["pdf_runs"])))
        counts = [int(count) for count in options["workers"].split(",") if count.strip() and int(count) > 0]
        if counts:
            others = min(options["batch_cpas"], QUICK_BATCH_CPAS) if options["quick"] else options["batch_cpas"]
            figures.update(self._batch(counts, others, options["batch_lines"]))
        self.stdout.write(table(self._rows(figures)))
        if figures.get("pdf_same_bytes") == "NO":
            self.stderr.write("The application's PDF differs from raw WeasyPrint's: the two did not render the same "
                              "HTML with the same options, and their times do not compare.")
        self._targets(figures)
        if options["json"]:
            self.stdout.write(json.dumps(figures, default=str))

    def _rows(self, figures):
        lines = figures["lines"]
        rows = [
            (f"claim of {lines} lines: gathering, median (s)", figures["gather_seconds"]),
            ("  runs (s)", ", ".join(map(str, figures["gather_runs"]))),
            (f"claim of {lines} lines: write + freeze, median (s)", figures["write_freeze_seconds"]),
            ("  runs (s)", ", ".join(map(str, figures["write_freeze_runs"]))),
        ]
        if "pdf_seconds" in figures:
            rows += [
                (f"PDF, application ({figures['pdf_pages']} pages), median (s)", figures["pdf_seconds"]),
                ("PDF, raw WeasyPrint of the same HTML, median (s)", figures["raw_seconds"]),
                ("PDF time / raw WeasyPrint, median of the pairs", figures["pdf_ratio"]),
                ("  pairs", ", ".join(map(str, figures["pdf_ratio_runs"]))),
                ("PDF CPU time / raw WeasyPrint, median of the pairs", figures["pdf_cpu_ratio"]),
                ("  CPU time, application / raw, medians (s)",
                 f"{figures['pdf_cpu_seconds']} / {figures['raw_cpu_seconds']}"),
                ("  application: its own work outside WeasyPrint, median (s)", figures["pdf_own_seconds"]),
                ("  application: inside WeasyPrint / raw WeasyPrint, median of the pairs",
                 figures["pdf_weasyprint_ratio"]),
                ("PDF of the application = raw WeasyPrint's, byte for byte", figures["pdf_same_bytes"]),
                ("PDF peak memory, application (MB)", figures["pdf_peak_mb"]),
                ("PDF peak memory, raw WeasyPrint (MB)", figures["raw_peak_mb"]),
            ]
        for count, seconds in sorted(figures.get("batch_seconds", {}).items()):
            rows.append((f"claims of one month, {figures['batch_claims']} CPAS, {count} worker(s) (s)", seconds))
        if "batch_speedup" in figures:
            rows.append(("speed-up, 2 workers / 1", figures["batch_speedup"]))
        if figures.get("batch_skipped"):
            rows.append(("claims of a batch of CPAS", f"skipped: {figures['batch_skipped']}"))
        return rows

    def _targets(self, figures):
        write, lines = self.stdout.write, figures["lines"]
        target(write, f"claim of {lines} lines: gathering", figures["gather_seconds"], GATHER_TARGET_SECONDS, "s")
        target(write, f"claim of {lines} lines: write + freeze", figures["write_freeze_seconds"],
               WRITE_TARGET_SECONDS, "s")
        if "pdf_seconds" in figures:
            target(write, "claim PDF time / raw WeasyPrint of the same HTML", figures["pdf_ratio"], PDF_RATIO_TARGET,
                   "×")
            target(write, "claim PDF peak memory", figures["pdf_peak_mb"], PDF_MEMORY_TARGET_MB, "MB")
        if "batch_speedup" in figures:
            target(write, f"claims of one month, {figures['batch_claims']} CPAS: speed-up of 2 Celery workers over 1",
                   figures["batch_speedup"], SPEEDUP_TARGET, "×", higher_is_better=True)

    # One large claim ------------------------------------------------------------------------

    def _claim(self, options):
        """Gather, then write and freeze, the month's claim ``--runs`` times (each from an unclaimed month);
        the figures are the medians, the runs are listed beside them."""
        from reimbursements import sources

        cpas, user = self._cpas_and_user()
        start, end = date(2026, 3, 1), date(2026, 3, 31)
        if options["source"] == "measures":
            from reimbursements.benchmark_data import create_art60_month

            create_art60_month(cpas=cpas, user=user, count=options["lines"], start=start, end=end)
            source = sources.source_for("art60")
            adapter, freeze = source.gather, source.freeze
        else:
            items = [synthetic_item(index, start, end) for index in range(1, options["lines"] + 1)]

            def adapter(*, cpas, start, end):
                return items

            freeze = None
        runs = [self._claim_once(cpas, user, start, end, adapter, freeze, options["source"])
                for _run in range(max(1, options["runs"]))]
        gathering = [run[1] for run in runs]
        making = [run[2] for run in runs]
        claim = runs[-1][0]
        return {"source": options["source"], "lines": claim.line_count, "total": str(claim.total),
                "claim_id": claim.pk, "gather_seconds": round(statistics.median(gathering), 2),
                "write_freeze_seconds": round(statistics.median(making), 2),
                "gather_runs": [round(value, 2) for value in gathering],
                "write_freeze_runs": [round(value, 2) for value in making]}

    def _claim_once(self, cpas, user, start, end, adapter, freeze, source):
        from reimbursements import services, sources
        from reimbursements.models import Claim, GenerationJob

        GenerationJob.objects.filter(cpas=cpas).delete()
        Claim.objects.filter(cpas=cpas).delete()
        if source == "measures":
            from reimbursements.benchmark_data import reset_frozen_month

            reset_frozen_month(cpas=cpas, start=start)
        job = GenerationJob.objects.create(cpas=cpas, measure="art60", period_kind="month", period_start=start,
                                           period_end=end, requested_by=user)
        with sources.overridden("art60", adapter, freeze):
            began = time.perf_counter()
            gathered = sources.gather(measure="art60", cpas=cpas, start=start, end=end)
            gathering = time.perf_counter() - began

        # Writing and freezing on their own (one transaction, its commit included): the claim is made from the
        # items just gathered.
        def gathered_items(*, cpas, start, end):
            return gathered

        with sources.overridden("art60", gathered_items, freeze):
            began = time.perf_counter()
            claim, _note = services._make_claim(job)
            making = time.perf_counter() - began
        return claim, gathering, making

    def _cpas_and_user(self):
        cpas = self._benchmark_cpas(BENCHMARK_NIS, "de référence")
        user, _created = get_user_model().objects.get_or_create(
            username="benchmark-finance", defaults={"first_name": "Bench", "last_name": "Mark"})
        Membership.objects.get_or_create(user=user, defaults={"cpas": cpas, "role": Role.FINANCE})
        return cpas, user

    def _benchmark_cpas(self, nis_code, name):
        cpas, _created = Cpas.objects.get_or_create(
            nis_code=nis_code, defaults={"name_fr": f"CPAS {name}", "name_nl": f"OCMW {name}",
                                         "region": "brussels", "language": "fr",
                                         "street": "Rue de la Référence 1", "postal_code": "1000",
                                         "city": "Bruxelles", "contact_name": "Service des finances",
                                         "contact_phone": "02 000 00 00", "iban": "BE71096123456769"})
        return cpas

    # PDF: the application against raw WeasyPrint ----------------------------------------------

    def _child(self, *arguments):
        child = subprocess.run([sys.executable, sys.argv[0], "claims_benchmark", *arguments],
                               capture_output=True, text=True, check=True)
        return json.loads(child.stdout.strip().splitlines()[-1])

    def _pdf(self, claim_id, runs):
        from django.template.loader import render_to_string
        from django.utils import translation

        from reimbursements.models import Claim
        from reimbursements.pdf import claim_context, claim_language

        claim = Claim.objects.select_related("cpas", "supersedes").get(pk=claim_id)
        language = claim_language(claim)
        with translation.override(language):
            html = render_to_string("pdf/claim.html", claim_context(claim, language))
        with tempfile.NamedTemporaryFile("w", suffix=".html", encoding="utf-8", delete=False) as file:
            file.write(html)
        pairs = []
        try:
            for run in range(runs):
                # Alternating order: a side never always runs first, after the other has warmed or loaded the machine.
                sides = ("application", "raw") if run % 2 == 0 else ("raw", "application")
                pair = {side: (self._child("--render-claim", str(claim_id)) if side == "application"
                               else self._child("--render-raw", file.name)) for side in sides}
                pairs.append((pair["application"], pair["raw"]))
        finally:
            os.unlink(file.name)

        def median(side, key):
            return round(statistics.median(pair[side][key] for pair in pairs), 2)

        ratios = [round(rendered["seconds"] / raw["seconds"], 2) for rendered, raw in pairs]
        cpu_ratios = [rendered["cpu_seconds"] / raw["cpu_seconds"] for rendered, raw in pairs]
        rendered = pairs[-1][0]
        return {"pdf_seconds": median(0, "seconds"), "raw_seconds": median(1, "seconds"),
                "pdf_ratio": round(statistics.median(ratios), 2), "pdf_ratio_runs": ratios,
                "pdf_cpu_seconds": median(0, "cpu_seconds"), "raw_cpu_seconds": median(1, "cpu_seconds"),
                "pdf_cpu_ratio": round(statistics.median(cpu_ratios), 2),
                "pdf_own_seconds": round(statistics.median(pair[0]["own_seconds"] for pair in pairs), 3),
                "pdf_weasyprint_seconds": median(0, "weasyprint_seconds"),
                "pdf_weasyprint_ratio": round(statistics.median(
                    rendered["weasyprint_seconds"] / raw["seconds"] for rendered, raw in pairs), 2),
                "pdf_same_bytes": "yes" if all(one["sha256"] == raw["sha256"] for one, raw in pairs) else "NO",
                "pdf_peak_mb": max(pair[0]["peak_mb"] for pair in pairs),
                "raw_peak_mb": max(pair[1]["peak_mb"] for pair in pairs),
                "pdf_pages": rendered["pages"], "pdf_bytes": rendered["bytes"]}

    def _render_child(self, claim_id):
        import weasyprint  # imported once per worker process, not per rendering
        from weasyprint.document import Document

        from reimbursements import services
        from reimbursements.models import Claim

        # The time spent inside WeasyPrint's three calls (parse, lay out, write), to tell the application's own
        # work (gathering the lines, the markup, storing the document) from WeasyPrint's.
        inside = {"seconds": 0.0}

        def timed(method):
            def call(*args, **kwargs):
                began = time.perf_counter()
                try:
                    return method(*args, **kwargs)
                finally:
                    inside["seconds"] += time.perf_counter() - began
            return call

        weasyprint.HTML.__init__ = timed(weasyprint.HTML.__init__)
        weasyprint.HTML.render = timed(weasyprint.HTML.render)
        Document.write_pdf = timed(Document.write_pdf)
        began, cpu = time.perf_counter(), time.process_time()
        rendered = services.claim_pdf_render(claim=Claim.objects.get(pk=claim_id))
        self._report(began, cpu, rendered.content, pages=rendered.page_count, weasyprint_seconds=inside["seconds"])

    def _render_raw_child(self, path):
        from weasyprint import HTML

        html = Path(path).read_text(encoding="utf-8")
        began, cpu = time.perf_counter(), time.process_time()
        document = HTML(string=html, base_url=None).render()
        self._report(began, cpu, document.write_pdf(), pages=len(document.pages))

    def _report(self, began, cpu, content, *, pages, weasyprint_seconds=None):
        seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - cpu
        own = {} if weasyprint_seconds is None else {"own_seconds": round(seconds - weasyprint_seconds, 3),
                                                     "weasyprint_seconds": round(weasyprint_seconds, 2)}
        self.stdout.write(json.dumps({**own, "seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
                                      "peak_mb": _peak_mb(), "pages": pages, "bytes": len(content),
                                      "sha256": hashlib.sha256(content).hexdigest()}))

    # The claims of one month for 101 CPAS, by real workers --------------------------------------

    def _batch(self, counts, others, lines):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return {"batch_skipped": "needs CELERY_BROKER_URL (real workers)"}
        from reimbursements.benchmark_data import create_art60_month

        start, end = date(2026, 3, 1), date(2026, 3, 31)
        big, user = self._cpas_and_user()
        group = [big]
        for index in range(others):
            cpas = self._benchmark_cpas(str(BATCH_NIS_FROM + index), f"de référence {index + 1}")
            create_art60_month(cpas=cpas, user=user, count=lines, start=start, end=end)
            group.append(cpas)
        seconds = {}
        for count in counts:
            seconds[count] = self._timed_batch(group, user, count, start, end)
        figures = {"batch_claims": len(group), "batch_seconds": seconds}
        if 1 in seconds and 2 in seconds:
            figures["batch_speedup"] = round(seconds[1] / seconds[2], 2)
        return figures

    def _timed_batch(self, group, user, count, start, end):
        from reimbursements.benchmark_data import reset_frozen_month
        from reimbursements.models import Claim, GenerationJob, JobStatus
        from reimbursements.tasks import generate_claim

        GenerationJob.objects.filter(cpas__in=group).delete()
        Claim.objects.filter(cpas__in=group).delete()
        for cpas in group:
            reset_frozen_month(cpas=cpas, start=start)
        workers = [self._start_worker(index) for index in range(count)]
        try:
            jobs = [GenerationJob.objects.create(cpas=cpas, measure="art60", period_kind="month",
                                                 period_start=start, period_end=end, requested_by=user).pk
                    for cpas in group]
            began = time.perf_counter()
            for pk in jobs:
                generate_claim.apply_async(args=[pk], queue=BATCH_QUEUE)
            pending = GenerationJob.objects.filter(pk__in=jobs).exclude(status__in=[JobStatus.DONE, JobStatus.FAILED])
            while pending.exists():
                time.sleep(0.2)
            seconds = round(time.perf_counter() - began, 1)
            failed = GenerationJob.objects.filter(pk__in=jobs, status=JobStatus.FAILED).count()
            if failed:
                self.stderr.write(f"{failed} claim job(s) failed with {count} worker(s)")
            return seconds
        finally:
            for process, log in workers:
                process.terminate()
                process.wait(timeout=60)
                log.close()

    def _start_worker(self, index):
        log = tempfile.NamedTemporaryFile("w+", suffix=".log")
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "--workdir", str(settings.BASE_DIR), "-A", "cpas_portal",
             "worker", "-Q", BATCH_QUEUE, "--concurrency=1", f"--hostname=claims-benchmark-{index}@%h",
             "--max-tasks-per-child=50", "--without-gossip", "--without-mingle", "--loglevel=INFO"],
            stdout=log, stderr=subprocess.STDOUT)
        for _attempt in range(600):
            log.seek(0)
            if " ready." in log.read():
                return process, log
            time.sleep(0.1)
        process.terminate()
        raise RuntimeError("A benchmark Celery worker did not start.")
