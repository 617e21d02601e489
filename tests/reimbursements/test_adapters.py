"""The real sources: convention payments, art. 60 §7 and social-economy subsidies, art. 61 premiums."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from cpas_portal.models import Role
from measures import services as measure_services
from measures.models import Art61Premium, MonthlySubsidy
from reimbursements import services as reimbursement_services
from tests.conventions.factories import coaching_partner, make_convention, partner
from tests.factories import member
from tests.measures.factories import budget, placement, private_firm

D = Decimal


@pytest.fixture
def manager_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="manon")


@pytest.mark.django_db
def test_convention_payments_are_claimed_with_tier_code_partner_and_niss(alice, bob, cpas_a, beneficiary_a,
                                                                       generate):
    from conventions import services as convention_services
    from conventions.models import Payment

    job_in = coaching_partner(cpas_a, name="Job'In asbl")
    convention = make_convention(user=alice, beneficiary=beneficiary_a,
                                 partners=[partner(job_in, "60"), partner(None, "40")], sign=True)
    for payment in Payment.objects.filter(convention=convention, status="due"):
        convention_services.payment_mark_paid(acting_user=bob, payment=payment, paid_date=date(2024, 3, 5))
    paid = Payment.objects.filter(convention=convention, status="paid")
    assert paid.count() == 2

    job = generate(bob, cpas_a, measure="convention", year=2024, month=1, kind="quarter")
    assert job.status == "done", job.error
    claim = job.claim
    with translation.override("fr"):  # the CPAS's language: lines are written in it
        own_share, advance = _("the CPAS itself (own share)"), _("Advance")
    lines = {line.partner: line for line in claim.lines.all()}
    assert set(lines) == {"Job'In asbl", own_share}
    assert {line.tier_code for line in lines.values()} == {"2"}
    assert {line.niss for line in lines.values()} == {beneficiary_a.niss}
    assert lines["Job'In asbl"].amount == D("150.00") and lines[own_share].amount == D("100.00")
    assert claim.total == D("250.00")  # the 50 % advance of 500 €
    assert "08/10/2012" in lines["Job'In asbl"].legal_basis
    assert {line.description for line in lines.values()} == {advance}


@pytest.mark.django_db
def test_art60_subsidies_are_claimed_and_frozen(alice, bob, cpas_a, beneficiary_a, generate):
    approved = measure_services.placement_approve(
        acting_user=alice, placement=placement(alice, cpas=cpas_a, beneficiary=beneficiary_a))
    job = generate(bob, cpas_a, measure="art60", year=2019, month=7)
    assert job.status == "done", job.error
    line = job.claim.lines.get()
    assert line.amount == D("1254.82")  # RIS category 3 in force on 2019-07-01 (full-time)
    assert (line.covered_start, line.covered_end) == (date(2019, 7, 1), date(2019, 7, 31))
    assert line.niss == beneficiary_a.niss and line.beneficiary_name == "DUBOIS Amélie"
    subsidy = MonthlySubsidy.objects.get(placement=approved, month=date(2019, 7, 1))
    assert subsidy.claimed_at is not None and subsidy.claim_reference == job.claim.reference

    quarter = generate(bob, cpas_a, measure="art60", year=2019, month=3, kind="quarter").claim
    assert quarter.line_count == 2  # August and September; July is already claimed

    reimbursement_services.claim_cancel(acting_user=bob, claim=job.claim)
    subsidy.refresh_from_db()
    assert (subsidy.claimed_at, subsidy.claim_reference) == (None, "")  # open again in measures too
    again = generate(bob, cpas_a, measure="art60", year=2019, month=7).claim
    assert again.lines.get().source_key == line.source_key
    assert generate(bob, cpas_a, measure="social_economy", year=2019, month=7).claim is None


@pytest.mark.django_db
def test_social_economy_subsidies_are_their_own_measure(alice, bob, cpas_a, beneficiary_a, generate):
    budget(cpas_a, 2025, "100000.00")
    measure_services.placement_approve(acting_user=alice, placement=placement(
        alice, cpas=cpas_a, beneficiary=beneficiary_a, scheme="social_economy", start=date(2025, 3, 1),
        planned_end=date(2025, 8, 31), gross_monthly_pay=D("2100.00")))
    assert generate(bob, cpas_a, measure="art60", year=2025, month=3).claim is None
    claim = generate(bob, cpas_a, measure="social_economy", year=2025, month=3).claim
    line = claim.lines.get()
    assert line.amount == D("2100.00")  # the gross pay, below the RMMMG of 2,111.89 in force from 2025-02-01
    assert "subvention majorée" in claim.legal_basis


@pytest.mark.django_db
def test_art61_premiums_are_claimed_and_frozen(alice, bob, cpas_a, beneficiary_a, generate):
    approved = measure_services.placement_approve(acting_user=alice, placement=placement(
        alice, cpas=cpas_a, beneficiary=beneficiary_a, workplace="private_firm", organisation=private_firm(cpas_a),
        cooperation_convention_date=date(2019, 6, 1)))
    premium = measure_services.art61_premium_record(acting_user=alice, placement=approved, month=date(2019, 7, 1),
                                                    supervision_costs=D("300.00"), training_costs=D("0.00"))
    claim = generate(bob, cpas_a, measure="art61", year=2019, month=7).claim
    line = claim.lines.get()
    assert line.amount == premium.granted_amount == D("250.00")
    premium = Art61Premium.objects.get(pk=premium.pk)
    assert premium.claim_reference == claim.reference
