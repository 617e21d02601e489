"""Benchmark of the issue's "Speed" section: one CPAS-month of 5,000 art. 60 §7 subsidy lines.

Measures the time to gather the items and write the claim, then the time and peak memory of the
PDF rendering in a child process (its ``ru_maxrss``). It writes a benchmark CPAS into the
configured database and clears that CPAS's claims first: run it on a scratch database.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cpas_portal.demo import national_number
from cpas_portal.models import Cpas, Membership, Role

BENCHMARK_NIS = "99998"


def synthetic_item(index, start, end):
    from reimbursements.sources import ClaimItem

    return ClaimItem(
        source_key=f"benchmark.art60:{index}", niss=national_number(date(1980 + index % 20, 1 + index % 12, 1),
                                                                   index % 997 + 1),
        beneficiary_name=f"Beneficiary {index:05d}", covered_start=start, covered_end=end,
        amount=Decimal("1811.57"), legal_basis="Loi organique des CPAS 08/07/1976 art. 60 §7",
        legislation="1965" if index % 5 == 0 else "2002", description="Full-time subsidy",
    )


class Command(BaseCommand):
    help = "Time the gathering and the PDF rendering of a claim of 5,000 art. 60 §7 lines."

    def add_arguments(self, parser):
        parser.add_argument("--lines", type=int, default=5000)
        parser.add_argument("--source", choices=["measures", "synthetic"], default="synthetic",
                            help="Art. 60 §7 subsidy lines created in the measures app, or an in-memory source.")
        parser.add_argument("--render-claim", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["render_claim"]:
            return self._render_child(options["render_claim"])
        from reimbursements import services, sources
        from reimbursements.models import Claim, GenerationJob

        cpas, user = self._cpas_and_user()
        GenerationJob.objects.filter(cpas=cpas).delete()
        Claim.objects.filter(cpas=cpas).delete()
        start, end = date(2026, 3, 1), date(2026, 3, 31)
        if options["source"] == "measures":
            from reimbursements.benchmark_data import create_art60_month, reset_frozen_month

            create_art60_month(cpas=cpas, user=user, count=options["lines"], start=start, end=end)
            reset_frozen_month(cpas=cpas, start=start)
            source = sources.source_for("art60")
            adapter, freeze = source.gather, source.freeze
        else:
            items = [synthetic_item(index, start, end) for index in range(1, options["lines"] + 1)]

            def adapter(*, cpas, start, end):
                return items

            freeze = None

        job = GenerationJob.objects.create(cpas=cpas, measure="art60", period_kind="month", period_start=start,
                                           period_end=end, requested_by=user)
        with sources.overridden("art60", adapter, freeze):
            began = time.perf_counter()
            gathered = sources.gather(measure="art60", cpas=cpas, start=start, end=end)
            gathering = time.perf_counter() - began
            began = time.perf_counter()
            claim, _note = services._make_claim(job)
            making = time.perf_counter() - began
        child = subprocess.run(
            [sys.executable, sys.argv[0], "claims_benchmark", "--render-claim", str(claim.pk)],
            capture_output=True, text=True, check=True,
        )
        rendering = json.loads(child.stdout.strip().splitlines()[-1])
        self.stdout.write(json.dumps({
            "source": options["source"], "items": len(gathered), "lines": claim.line_count, "total": str(claim.total),
            "gather_seconds": round(gathering, 2), "gather_write_freeze_seconds": round(making, 2), **rendering,
        }))

    def _cpas_and_user(self):
        cpas, _created = Cpas.objects.get_or_create(
            nis_code=BENCHMARK_NIS, defaults={"name_fr": "CPAS de référence", "name_nl": "Referentie-OCMW",
                                              "region": "brussels", "language": "fr",
                                              "street": "Rue de la Référence 1", "postal_code": "1000",
                                              "city": "Bruxelles", "contact_name": "Service des finances",
                                              "contact_phone": "02 000 00 00", "iban": "BE71096123456769"})
        user, _created = get_user_model().objects.get_or_create(
            username="benchmark-finance", defaults={"first_name": "Bench", "last_name": "Mark"})
        Membership.objects.get_or_create(user=user, defaults={"cpas": cpas, "role": Role.FINANCE})
        return cpas, user

    def _render_child(self, claim_id):
        from reimbursements import services
        from reimbursements.models import Claim

        began = time.perf_counter()
        rendered = services.claim_pdf_render(claim=Claim.objects.get(pk=claim_id))
        seconds = time.perf_counter() - began
        # ru_maxrss is in kilobytes on Linux.
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(json.dumps({"pdf_seconds": round(seconds, 2), "pdf_peak_mb": round(peak_mb),
                                      "pdf_pages": rendered.page_count, "pdf_bytes": len(rendered.content)}))
