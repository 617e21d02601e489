"""The deadline panel (claims page, finance home) leaves claimed items out in the database and counts the others
there: on generated data it gives the same groups as gathering every item and dropping the claimed ones."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps

from cpas_portal.generator import generate
from cpas_portal.money import eur
from cpas_portal.months import add_months
from cpas_portal.tenancy import scoped
from reimbursements import rules, selectors, sources
from reimbursements.models import ClaimLine, Measure

ON = date(2026, 3, 15)


def gathered_then_filtered(*, cpas, today, months_back=15):
    """The groups as computed before: every item of every source, then the claimed ones dropped in Python."""
    start = add_months(rules.month_period(today.year, today.month)[0], -months_back)
    end = rules.month_period(today.year, today.month)[1]
    claimed = set(scoped(ClaimLine.objects.filter(live=True, covered_end__gte=start), cpas)
                  .values_list("source_key", flat=True))
    groups = defaultdict(lambda: [0, Decimal("0.00")])
    for measure, _label in Measure.choices:
        try:
            items = sources.gather(measure=measure, cpas=cpas, start=start, end=end)
        except LookupError:
            continue
        for item in items:
            if item.source_key in claimed:
                continue
            month_start, month_end = rules.month_period(item.covered_end.year, item.covered_end.month)
            if month_end >= today:
                continue
            groups[(measure, month_start, item.legislation)][0] += 1
            groups[(measure, month_start, item.legislation)][1] += item.amount
    return {key: (count, eur(total)) for key, (count, total) in groups.items()}


def panel(*, cpas, today):
    return {(row["measure"], row["period_start"], row["legislation"]): (row["count"], row["total"])
            for row in selectors.deadlines(cpas=cpas, today=today)["items"]}


@pytest.fixture
def generated(db):
    cpas, _counts = generate(seed=5, scale=0.004, on=ON, others=0)
    # Some payments of conventions claimed, some not: the sources' keys are compared, not their flags.
    Payment = apps.get_model("conventions", "Payment")
    claim = ClaimLine.objects.filter(cpas=cpas).select_related("claim").first().claim
    paid = list(Payment.objects.filter(convention__cpas=cpas, status="paid").select_related(
        "convention__beneficiary").order_by("id")[::2])
    position = claim.lines.count()
    ClaimLine.objects.bulk_create([
        ClaimLine(claim=claim, cpas=cpas, position=position + index, source_key=f"conventions.payment:{payment.pk}",
                  niss=payment.convention.beneficiary.niss, beneficiary_name="X", covered_start=payment.paid_date,
                  covered_end=payment.paid_date, amount=payment.amount, legal_basis="-", legislation="2002")
        for index, payment in enumerate(paid, start=1)])
    return cpas


@pytest.mark.django_db
def test_the_panel_counts_what_gathering_every_item_counted(generated):
    # Mid-month days, and the first and last day of a month (a month is listed once it has ended).
    for today in (ON, date(2026, 1, 20), date(2025, 9, 3), date(2026, 3, 1), date(2026, 2, 28)):
        expected = gathered_then_filtered(cpas=generated, today=today)
        assert expected, "the generated data leave items to claim"
        assert panel(cpas=generated, today=today) == expected


@pytest.mark.django_db
def test_a_year_of_released_claims_is_counted_again_whatever_the_subsidies_flags(generated):
    # Lines of cancelled claims are no longer live: their items are to claim again, though the subsidies still
    # carry the date they were claimed (the panel reads the claims, not the flags).
    def art60_count(groups):
        return sum(count for (measure, _month, _law), (count, _total) in groups.items() if measure == "art60")

    before = gathered_then_filtered(cpas=generated, today=ON)
    ClaimLine.objects.filter(cpas=generated, covered_start__gte=date(2025, 3, 1)).update(live=False)
    expected = gathered_then_filtered(cpas=generated, today=ON)
    assert art60_count(expected) > art60_count(before)
    assert panel(cpas=generated, today=ON) == expected


# The legislation of each item: the right the person held in the period the item covers (DOMAIN.md §3, §10) ---------

JANUARY = date(2026, 1, 1)


def released_january_subsidies(cpas):
    """Make the January art. 60 subsidies unclaimed again (their claim lines no longer live), and return them."""
    from measures.models import MonthlySubsidy

    ClaimLine.objects.filter(cpas=cpas, covered_start=JANUARY, source_key__startswith="measures.subsidy:").update(
        live=False)
    return list(MonthlySubsidy.objects.filter(cpas=cpas, month=JANUARY, amount__isnull=False, scheme="normal",
                                              placement__status__in=["approved", "ended"]).order_by("id"))


def rights_of(person, *periods):
    """Replace the person's decisions by ``(right_type, start, end)`` periods."""
    from cpas_portal.models import RightDecision

    RightDecision.objects.filter(beneficiary=person).delete()
    for right_type, start, end in periods:
        RightDecision.objects.create(beneficiary=person, cpas=person.cpas, right_type=right_type, category=1,
                                     decided_on=start, start=start, end=end)


def gathered_legislation(cpas, measure, key):
    start, end = date(2024, 12, 1), date(2026, 3, 31)
    return next(item.legislation for item in sources.gather(measure=measure, cpas=cpas, start=start, end=end)
                if item.source_key == key)


@pytest.mark.django_db
def test_a_right_changing_type_mid_month_or_missing_gives_the_legislation_of_the_items_own_period(generated):
    subsidies = released_january_subsidies(generated)
    people = list(dict.fromkeys(subsidy.beneficiary for subsidy in subsidies))
    assert len(people) >= 3, "the generated data have January subsidies for several people"
    first_day, started_later, no_right = people[:3]
    # Equivalent aid on the 1st, integration income from the 11th: the right in force on the month's first day.
    rights_of(first_day, ("equivalent_aid", date(2025, 6, 1), date(2026, 1, 10)), ("ris", date(2026, 1, 11), None))
    # No right on the 1st, equivalent aid from the 20th: the right held during the month.
    rights_of(started_later, ("ris", date(2024, 1, 1), date(2025, 11, 30)),
              ("equivalent_aid", date(2026, 1, 20), None))
    # No right at all: the law of 2002 (the earlier deadline).
    rights_of(no_right)
    expected_law = {first_day: rules.LAW_1965, started_later: rules.LAW_1965, no_right: rules.LAW_2002}
    for subsidy in subsidies:
        if subsidy.beneficiary in expected_law:
            assert gathered_legislation(generated, "art60", f"measures.subsidy:{subsidy.pk}") == \
                expected_law[subsidy.beneficiary]

    expected = gathered_then_filtered(cpas=generated, today=ON)
    assert expected[("art60", JANUARY, rules.LAW_1965)][0] >= 2
    assert panel(cpas=generated, today=ON) == expected


@pytest.mark.django_db
def test_a_convention_payment_takes_the_right_held_at_its_conclusion_else_the_latest_until_the_payment(generated):
    Payment = apps.get_model("conventions", "Payment")
    ClaimLine.objects.filter(cpas=generated, source_key__startswith="conventions.payment:").update(live=False)
    payments = list(Payment.objects.filter(convention__cpas=generated, status="paid", paid_date__lt=date(2026, 3, 1),
                                           paid_date__gte=date(2025, 1, 1))
                    .select_related("convention__beneficiary").order_by("id"))
    later = next(payment for payment in payments if payment.paid_date > payment.convention.conclusion_date)
    at_conclusion = next(payment for payment in payments
                         if payment.convention.beneficiary_id != later.convention.beneficiary_id)
    # No right when the convention was concluded, equivalent aid from the day after: the latest until the payment.
    concluded = later.convention.conclusion_date
    rights_of(later.convention.beneficiary, ("equivalent_aid", concluded + timedelta(days=1), None))
    # Equivalent aid when concluded, integration income from the next day on: the one held at the conclusion.
    concluded = at_conclusion.convention.conclusion_date
    rights_of(at_conclusion.convention.beneficiary, ("equivalent_aid", concluded - timedelta(days=30), concluded),
              ("ris", concluded + timedelta(days=1), None))
    for payment in (later, at_conclusion):
        assert gathered_legislation(generated, "convention", f"conventions.payment:{payment.pk}") == rules.LAW_1965

    expected = gathered_then_filtered(cpas=generated, today=ON)
    assert panel(cpas=generated, today=ON) == expected
