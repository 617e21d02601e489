"""The deadline panel (claims page, finance home) leaves claimed items out in the database and counts the others
there: on generated data it gives the same groups as gathering every item and dropping the claimed ones."""

from collections import defaultdict
from datetime import date
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
    for today in (ON, date(2026, 1, 20), date(2025, 9, 3)):
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
