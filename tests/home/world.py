"""A CPAS with caseworkers and their people, each person holding one item of every kind that falls due.

Rows are made directly from the models (the services are tested in their apps): what matters here is
what the home pages and the notification job gather from them, relative to ``on``.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from conventions.models import Convention, ConventionPartner, Payment, PaymentKind, PaymentStatus
from cpas_portal.models import OrganisationKind, RightDecision, Role
from cpas_portal.months import add_months
from measures.models import FirmEmployment, MonthlySubsidy, Placement, PlacementPay
from measures.rules import first_of_month
from reimbursements.models import Claim
from tests.factories import BeneficiaryFactory, OrganisationFactory, member

# The kinds every caseworker's person brings, and when each falls due (days from ``on``).
CASEWORKER_KINDS = {
    "rights.ending": 20,
    "measures.placement_ending": 5,
    "measures.part_time_credit": 3,
    "measures.art61_window": None,  # the end of the current month
    "measures.firm_employment_ending": 12,
    "conventions.partner_claim": -10,
}


def today():
    return timezone.localdate()


def caseworkers(cpas, count, prefix):
    return [member(cpas, Role.CASEWORKER, username=f"{prefix}{index}", first_name=f"Case{index}",
                   last_name=f"{prefix.title()}worker") for index in range(count)]


def person_with_items(cpas, referent, on=None, *, firm=None, partner=None):
    """One person followed by ``referent`` with one item of each caseworker kind."""
    on = on or today()
    person = BeneficiaryFactory(cpas=cpas, referent=referent, right_type=None)
    # Equivalent aid (law of 1965): no PIIS is compulsory for it, so the PIIS items stay out of these counts.
    RightDecision.objects.create(cpas=cpas, beneficiary=person, right_type="equivalent_aid", category=2,
                                 start=on - timedelta(days=300), end=on + timedelta(days=20))
    ending = Placement.objects.create(cpas=cpas, beneficiary=person, workplace="cpas",
                                      start=on - timedelta(days=200), planned_end=on + timedelta(days=5),
                                      status="approved")
    part_time = Placement.objects.create(
        cpas=cpas, beneficiary=person, workplace="cpas", start=on - timedelta(days=180),
        planned_end=on + timedelta(days=200), status="approved", regime=Decimal("0.500"), counts_as_full_time=False)
    PlacementPay.objects.bulk_create([
        PlacementPay(placement=ending, effective_date=ending.start, gross_monthly_pay=Decimal("2000.00")),
        PlacementPay(placement=part_time, effective_date=part_time.start, gross_monthly_pay=Decimal("1000.00"))])
    ran_out = on + timedelta(days=3)
    MonthlySubsidy.objects.create(
        cpas=cpas, placement=part_time, beneficiary=person, month=first_of_month(ran_out), amount=Decimal("50.00"),
        scheme="normal", legal_basis="test", rule_set="federal-2002", days_covered=30, days_in_month=30,
        gross_pay=Decimal("900.00"),
        explanation=[{"code": "part_time_credit_end", "params": {"day": ran_out.isoformat(), "refused": "20"}}])
    firm = firm or OrganisationFactory(cpas=cpas, kind=OrganisationKind.PRIVATE_FIRM)
    # Started 23 months before this month: its 24-month art. 61 window closes at the end of this month.
    FirmEmployment.objects.create(cpas=cpas, beneficiary=person, organisation=firm,
                                  cooperation_convention_date=on - timedelta(days=800),
                                  start=add_months(first_of_month(on), -23), end=on + timedelta(days=12))
    partner = partner or OrganisationFactory(cpas=cpas)
    convention = Convention.objects.create(
        cpas=cpas, beneficiary=person, conclusion_date=on - timedelta(days=200), planned_hours=100,
        methodology="both", status="completed", end_date=on - timedelta(days=70), agreed_amount=Decimal("500.00"),
        advance_amount=Decimal("250.00"), final_amount=Decimal("500.00"), balance_amount=Decimal("250.00"))
    share = ConventionPartner.objects.create(convention=convention, organisation=partner, share=Decimal("100"))
    Payment.objects.create(convention=convention, partner=share, kind=PaymentKind.BALANCE, amount=Decimal("250.00"),
                           due_date=on - timedelta(days=10), status=PaymentStatus.AWAITING_CLAIM)
    return person


def claim(cpas, *, status, sequence, sent_days_ago=None, total="1000.00", on=None):
    on = on or today()
    start = first_of_month(add_months(on, -2))
    return Claim.objects.create(
        cpas=cpas, measure="art60", period_kind="month", period_start=start,
        period_end=add_months(start, 1) - timedelta(days=1), sequence=sequence, status=status,
        legal_basis="test", total=Decimal(total), generated_at=timezone.now(),
        sent_at=timezone.now() - timedelta(days=sent_days_ago) if sent_days_ago is not None else None)


def world(cpas, *, caseworker_count, people_each, prefix="cw"):
    workers = caseworkers(cpas, caseworker_count, prefix)
    firm = OrganisationFactory(cpas=cpas, kind=OrganisationKind.PRIVATE_FIRM)
    partner = OrganisationFactory(cpas=cpas)
    for worker in workers:
        for _ in range(people_each):
            person_with_items(cpas, worker, firm=firm, partner=partner)
    return workers
