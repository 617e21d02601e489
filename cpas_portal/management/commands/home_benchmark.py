"""Benchmark of the home page: the busiest caseworker of a CPAS with 50,000 beneficiaries.

Generates the CPAS fast (``bulk_create``, rows made directly from the models of every app: right
decisions, placements and their monthly lines, firm employments, conventions with their partners and
payments, PIIS and evaluations, claims), then times the caseworker's home page through the whole
request stack: the median of ``--runs`` requests and the number of queries of one. Writes into the
configured database and removes nothing: run it on a scratch database, outside CI.

Models of the measure apps are looked up by label (``apps.get_model``): the kernel never imports them.
"""

import json
import os
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cpas_portal.demo import enterprise_number, national_number
from cpas_portal.home import caseworker_home
from cpas_portal.models import Beneficiary, Cpas, Membership, Organisation, RightDecision, Role
from cpas_portal.months import add_months
from cpas_portal.person_search import save_name_words, search_columns

BATCH = 5000


def first_of_month(day):
    return day.replace(day=1)


class Command(BaseCommand):
    help = "Generate a CPAS of 50,000 beneficiaries and time its busiest caseworker's home page."

    def add_arguments(self, parser):
        parser.add_argument("--beneficiaries", type=int, default=50000)
        parser.add_argument("--caseworkers", type=int, default=100)
        parser.add_argument("--runs", type=int, default=21)
        parser.add_argument("--nis", default="99997", help="NIS code of the benchmark CPAS (created, must be new).")
        parser.add_argument("--reuse", action="store_true", help="Time an existing benchmark CPAS again.")

    def handle(self, *args, **options):
        on = timezone.localdate()
        cpas = Cpas.objects.filter(nis_code=options["nis"]).first()
        if cpas is not None and not options["reuse"]:
            raise CommandError(f"CPAS {options['nis']} exists: use --reuse to time it again, or another --nis.")
        began = time.perf_counter()
        if cpas is None:
            cpas = self._generate(options["nis"], options["beneficiaries"], options["caseworkers"], on)
        generation = time.perf_counter() - began
        if connection.vendor == "postgresql":
            # Fresh planner statistics, as autovacuum gives a live database after a bulk load.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        busiest = (Beneficiary.objects.filter(cpas=cpas, referent__isnull=False).values("referent_id")
                   .annotate(n=Count("id"))
                   .order_by("-n").first())
        user = get_user_model().objects.get(pk=busiest["referent_id"])
        client = Client()
        client.force_login(user)
        url = reverse("home")
        client.get(url)  # warm: templates, translations
        timings, cpu = [], []
        for _run in range(options["runs"]):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            # This process's own CPU time (Python and rendering, not the database's): steadier on a busy machine.
            cpu.append((time.process_time() - start_cpu) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        groups = caseworker_home(cpas=cpas, user=user, on=on)["groups"]
        self.stdout.write(json.dumps({
            "beneficiaries": Beneficiary.objects.filter(cpas=cpas).count(),
            "caseworkers": Membership.objects.filter(cpas=cpas, role=Role.CASEWORKER).count(),
            "busiest_caseworker_files": busiest["n"],
            "items": groups.counts,
            "generation_seconds": round(generation, 1),
            "runs": options["runs"],
            "median_ms": round(statistics.median(timings), 1),
            "min_ms": round(min(timings), 1), "max_ms": round(max(timings), 1),
            "median_cpu_ms": round(statistics.median(cpu), 1),
            "load_average": [round(value, 2) for value in os.getloadavg()],
            "queries": len(queries),
        }))

    @transaction.atomic
    def _generate(self, nis, count, caseworker_count, on):
        Placement = apps.get_model("measures", "Placement")
        PlacementPay = apps.get_model("measures", "PlacementPay")
        MonthlySubsidy = apps.get_model("measures", "MonthlySubsidy")
        FirmEmployment = apps.get_model("measures", "FirmEmployment")
        Convention = apps.get_model("conventions", "Convention")
        ConventionPartner = apps.get_model("conventions", "ConventionPartner")
        Payment = apps.get_model("conventions", "Payment")
        Piis = apps.get_model("piis", "Piis")
        Evaluation = apps.get_model("piis", "Evaluation")

        cpas = Cpas.objects.create(nis_code=nis, name_fr=f"CPAS de mesure {nis}", name_nl=f"Meet-OCMW {nis}",
                                   region="brussels", language="fr")
        User = get_user_model()
        users = User.objects.bulk_create([
            User(username=f"bench{nis}-cw{index:03d}", first_name=f"Case{index:03d}", last_name="Worker")
            for index in range(caseworker_count)])
        Membership.objects.bulk_create([Membership(user=user, cpas=cpas, role=Role.CASEWORKER) for user in users])
        firm = Organisation.objects.create(cpas=cpas, name="Firme de mesure", kind="private_firm",
                                           enterprise_number=enterprise_number(990001))
        partner = Organisation.objects.create(cpas=cpas, name="Partenaire de mesure", kind="coaching_partner",
                                              enterprise_number=enterprise_number(990002))
        # The first caseworker follows three times as many people as the others: the busiest.
        weights = [3] + [1] * (caseworker_count - 1)
        slots = [users[index] for index, weight in enumerate(weights) for _ in range(weight)]
        people = Beneficiary.objects.bulk_create([
            Beneficiary(cpas=cpas, niss=national_number(date(1960, 1, 1) + timedelta(days=index % 14000),
                                                        index // 14000 + 1),
                        first_name=f"Prénom{index:05d}", last_name=f"Nom{index:05d}",
                        birth_date=date(1960, 1, 1) + timedelta(days=index % 14000), sex="F" if index % 2 else "M",
                        referent=slots[index % len(slots)],
                        # bulk_create skips save(), which keeps the search columns.
                        **search_columns(first_name=f"Prénom{index:05d}", last_name=f"Nom{index:05d}"))
            for index in range(count)], batch_size=BATCH)
        save_name_words(people)

        def day(index, spread):
            return on + timedelta(days=(index * 7919) % spread - spread // 2)

        RightDecision.objects.bulk_create([
            RightDecision(cpas=cpas, beneficiary=person, right_type="equivalent_aid" if index % 5 == 0 else "ris",
                          category=1 + index % 3,
                          decided_on=on - timedelta(days=410), start=on - timedelta(days=400),
                          end=on + timedelta(days=index % 400) if index % 4 == 0 else None)
            for index, person in enumerate(people)], batch_size=BATCH)

        placements, pays = [], []
        for index, person in enumerate(people[::10]):
            part_time = index % 5 == 0
            at_firm = index % 10 == 1
            start = day(index, 600) - timedelta(days=300)
            placements.append(Placement(
                cpas=cpas, beneficiary=person, workplace="private_firm" if at_firm else "cpas",
                organisation=firm if at_firm else None, cooperation_convention_date=start if at_firm else None,
                start=start, planned_end=start + timedelta(days=300 + index % 400), status="approved",
                regime=Decimal("0.500") if part_time else Decimal("1.000"), counts_as_full_time=not part_time,
                approved_at=timezone.now()))
        placements = Placement.objects.bulk_create(placements, batch_size=BATCH)
        for placement in placements:
            pays.append(PlacementPay(placement=placement, effective_date=placement.start,
                                     gross_monthly_pay=Decimal("2000.00")))
        PlacementPay.objects.bulk_create(pays, batch_size=BATCH)
        lines = []
        for placement in placements:
            for offset in range(6):
                month = first_of_month(add_months(placement.start, offset))
                explanation = [{"code": "part_time", "params": {"amount": "500.00"}}]
                ran_out = add_months(placement.start, 6) - timedelta(days=1)
                if not placement.counts_as_full_time and offset == 5:
                    explanation.append({"code": "part_time_credit_end",
                                        "params": {"day": ran_out.isoformat(), "refused": "10"}})
                lines.append(MonthlySubsidy(
                    cpas=cpas, placement=placement, beneficiary_id=placement.beneficiary_id, month=month,
                    amount=Decimal("500.00"), scheme="normal", legal_basis="benchmark", rule_set="federal-2002",
                    days_covered=30, days_in_month=30, gross_pay=Decimal("1000.00"), explanation=explanation))
        MonthlySubsidy.objects.bulk_create(lines, batch_size=BATCH)
        employments = []
        for index, person in enumerate(people[3::50]):
            start = first_of_month(add_months(on, -(index % 30)))
            employments.append(FirmEmployment(
                cpas=cpas, beneficiary=person, organisation=firm, cooperation_convention_date=on - timedelta(days=900),
                start=start, end=start + timedelta(days=30 + (index * 37) % 900) if index % 2 else None))
        FirmEmployment.objects.bulk_create(employments, batch_size=BATCH)

        conventions = Convention.objects.bulk_create([
            Convention(cpas=cpas, beneficiary=person, conclusion_date=on - timedelta(days=300), planned_hours=100,
                       methodology="both", status="completed", end_date=on - timedelta(days=60 + index % 60),
                       agreed_amount=Decimal("500.00"), advance_amount=Decimal("250.00"),
                       final_amount=Decimal("500.00"), balance_amount=Decimal("250.00"))
            for index, person in enumerate(people[5::20])], batch_size=BATCH)
        shares = ConventionPartner.objects.bulk_create([
            ConventionPartner(convention=convention, organisation=partner, share=Decimal("100"))
            for convention in conventions], batch_size=BATCH)
        Payment.objects.bulk_create([
            Payment(convention_id=share.convention_id, partner=share, kind="balance", amount=Decimal("250.00"),
                    due_date=on + timedelta(days=(index % 90) - 60),
                    status="awaiting_claim" if index % 3 == 0 else "paid",
                    paid_date=None if index % 3 == 0 else on - timedelta(days=5))
            for index, share in enumerate(shares)], batch_size=BATCH)

        # A PIIS is compulsory for a new integration income (DOMAIN.md §4): nine people in ten have one, one in
        # ten of those still being negotiated; each signed one has its next meeting planned, a few overdue.
        piis = Piis.objects.bulk_create([
            Piis(cpas=cpas, beneficiary=person, kind="socio_professional" if index % 2 else "social_participation",
                 status="draft" if index % 10 == 1 else "signed", applied_on=day(index, 300) - timedelta(days=100),
                 decided_on=day(index, 300) - timedelta(days=90),
                 signed_on=None if index % 10 == 1 else day(index, 300) - timedelta(days=80),
                 start=day(index, 300) - timedelta(days=80), end=day(index, 300) + timedelta(days=200))
            for index, person in enumerate(people) if index % 10], batch_size=BATCH)
        Evaluation.objects.bulk_create([
            Evaluation(cpas=cpas, beneficiary_id=row.beneficiary_id, piis=row,
                       planned_on=on + timedelta(days=(index * 7919) % 150 - 20))
            for index, row in enumerate(piis) if row.status == "signed"], batch_size=BATCH)
        return cpas
