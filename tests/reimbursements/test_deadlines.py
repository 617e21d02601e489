from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from reimbursements import selectors, services
from tests.factories import BeneficiaryFactory

from .factories import fake_item

SAMPLE = Path(__file__).parent / "data" / "statement_92094_2026_04.txt"


def _equivalent_aid(cpas, items, since=0):
    """The items' beneficiaries receive equivalent financial aid: their lines fall under the law of 1965 (as the
    measures' sources say from the right type) and take its deadlines."""
    for position in range(since, len(items)):
        BeneficiaryFactory(cpas=cpas, niss=items[position].niss, right_type="equivalent_aid")
        items[position] = replace(items[position], legislation="1965")


@pytest.mark.django_db
def test_deadlines_list_unsent_claims_and_unclaimed_months(bob, cpas_a, fake_source, generate):
    _equivalent_aid(cpas_a, fake_source.items)
    claim = generate(bob, cpas_a).claim
    fake_source.items += [
        fake_item(10, start=date(2025, 6, 1), end=date(2025, 6, 30), amount="100.00"),
        fake_item(11, start=date(2025, 6, 1), end=date(2025, 6, 30), amount="50.00"),
        fake_item(12, start=date(2025, 12, 1), end=date(2025, 12, 31), amount="10.00"),
        fake_item(13, start=date(2026, 7, 1), end=date(2026, 7, 31), amount="1.00"),  # the current month
    ]
    _equivalent_aid(cpas_a, fake_source.items, since=3)
    found = selectors.deadlines(cpas=cpas_a, today=date(2026, 7, 15))
    assert [(row["claim"].pk, row["deadline"].due, row["state"]) for row in found["claims"]] == [
        (claim.pk, date(2027, 3, 31), "later")]
    items = [(row["period_start"], row["count"], row["total"], row["deadline"].due, row["state"], row["days_left"])
             for row in found["items"]]
    assert items == [
        (date(2025, 6, 1), 2, Decimal("150.00"), date(2026, 6, 30), "overdue", -15),
        (date(2025, 12, 1), 1, Decimal("10.00"), date(2026, 12, 31), "later", 169),
    ]


@pytest.mark.django_db
def test_a_claim_near_its_deadline_is_flagged(bob, cpas_a, fake_source, generate):
    _equivalent_aid(cpas_a, fake_source.items)
    generate(bob, cpas_a)
    found = selectors.deadlines(cpas=cpas_a, today=date(2027, 2, 15))
    assert [(row["state"], row["days_left"]) for row in found["claims"]] == [("soon", 44)]
    assert found["items"] == []


@pytest.mark.django_db
def test_a_sent_claim_has_no_deadline_left(bob, cpas_a, sent_claim):
    assert selectors.deadlines(cpas=cpas_a, today=date(2027, 2, 15))["claims"] == []


@pytest.mark.django_db
def test_a_statement_paying_every_line_marks_the_claim_paid(bob, cpas_a, sent_claim):
    from reimbursements.statement import format_record

    content = "\n".join(
        format_record(nis_code="92094", year_month="2026-04", niss=line.niss, first_day=line.covered_start,
                      last_day=line.covered_end, amount=line.signed_amount, amount_type=1 if line.sign > 0 else 3)
        for line in sent_claim.lines.all()).encode()
    services.statement_import(acting_user=bob, cpas=cpas_a, file_name="full.txt", content=content)
    sent_claim.refresh_from_db()
    assert sent_claim.status == "paid"
    result = selectors.claim_reconciliation(claim=sent_claim)
    assert result["counts"] == {"matched": 3} and result["difference_total"] == Decimal("0.00")


@pytest.mark.django_db
def test_each_line_follows_its_own_legislation(client_for, bob, cpas_a, fake_source, generate):
    """Integration income → form B (8 days, lost from day 45); equivalent aid → 12 months after the quarter."""
    ris, aid = fake_item(20, start=date(2026, 5, 1), end=date(2026, 5, 31), amount="100.00"), \
        fake_item(21, start=date(2026, 5, 1), end=date(2026, 5, 31), amount="40.00", legislation="1965")
    BeneficiaryFactory(cpas=cpas_a, niss=ris.niss, right_type="ris")
    BeneficiaryFactory(cpas=cpas_a, niss=aid.niss, right_type="equivalent_aid")
    fake_source.items[:] = [ris, aid]
    found = selectors.deadlines(cpas=cpas_a, today=date(2026, 7, 15))
    assert [(row["legislation"], row["total"], row["deadline"].due, row["state"]) for row in found["items"]] == [
        ("2002", Decimal("100.00"), date(2026, 6, 8), "lost"),
        ("1965", Decimal("40.00"), date(2027, 6, 30), "later"),
    ]
    # A claim holding both takes the earlier; the claim page and the claims page say so.
    claim = generate(bob, cpas_a, month=5).claim
    rows = selectors.deadlines(cpas=cpas_a, today=date(2026, 6, 3))["claims"]
    assert [(row["claim"].pk, row["deadline"].due, row["legislations"]) for row in rows] == [
        (claim.pk, date(2026, 6, 8), ["1965", "2002"])]
    client = client_for(bob)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert 'id="claim-deadline"' in page
    assert "deadline-" in client.get("/claims/deadlines/").content.decode()
    assert 'id="deadline-warnings"' in client.get("/claims/").content.decode()  # the claim is past day 45
