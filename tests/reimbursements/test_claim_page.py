"""The claim page at scale: its queries do not grow with its lines or its payments, its lines are counted once (the
count the pages use is the lines' own), and the reconciliation summed from the statement records agrees with the one
worked out line by line."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reimbursements import selectors, services
from reimbursements.models import Claim, ClaimLine, StatementRecord

from .factories import fake_item

SAMPLE = Path(__file__).parent / "data" / "statement_92094_2026_04.txt"

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _more_lines(fake_source, count):
    """The three items of the sample statement, then ``count`` more people."""
    fake_source.items.extend(fake_item(index, name=f"Person <b>{index}</b>") for index in range(10, 10 + count))


@pytest.mark.parametrize("count", [2, 150])
def test_a_sent_claim_page_costs_the_same_queries_for_any_number_of_lines_paid_or_not(
        client_for, bob, cpas_a, fake_source, generate, send, count):
    _more_lines(fake_source, count)
    claim = send(generate(bob, cpas_a).claim)
    client = client_for(bob)
    # session, user, membership (+CPAS), claim (+CPAS, author, PDF stored), its lines counted, signatures, who
    # reviewed it (history), payments by statement, active correction jobs, page of lines. Nobody may still sign:
    # the managers are not read.
    queries, page = _queries(client, f"/claims/{claim.pk}/")
    assert queries == 10
    assert "Person &lt;b&gt;10&lt;/b&gt;" in page and "<b>10</b>" not in page
    assert ('href="?page=2"' in page) == (count > 97)
    services.statement_import(acting_user=bob, cpas=cpas_a, file_name=SAMPLE.name, content=SAMPLE.read_bytes())
    # Once paid, the reconciliation summed over the paying records: one more.
    queries, page = _queries(client, f"/claims/{claim.pk}/")
    assert queries == 11
    assert 'id="claim-payments"' in page


def test_the_second_page_shows_the_lines_after_the_first_hundred(client_for, bob, cpas_a, fake_source, generate):
    _more_lines(fake_source, 150)
    claim = generate(bob, cpas_a).claim
    assert claim.line_count == 153
    page = client_for(bob).get(f"/claims/{claim.pk}/?page=2").content.decode()
    assert 'href="?page=1"' in page and "?page=3" not in page
    shown = [line.beneficiary_name for line in claim.lines.order_by("position")[100:]]
    assert all(name.replace("<", "&lt;").replace(">", "&gt;") in page for name in shown)
    assert "Amélie Dubois" not in page


def test_a_correction_and_the_claim_it_replaces_link_to_each_other(
        client_for, bob, cpas_a, sent_claim, fake_source, django_capture_on_commit_callbacks):
    fake_source.items[1] = fake_item(2, name="Julien Renard", amount="500.00")
    with django_capture_on_commit_callbacks(execute=True):
        job = services.claim_correction_request(acting_user=bob, claim=sent_claim)
    job.refresh_from_db()
    correction = job.claim
    client = client_for(bob)
    # A correction (and a replaced claim) reads the versions before and after it: one query more than a draft.
    queries, page = _queries(client, f"/claims/{correction.pk}/")
    assert queries == 10
    assert f'href="/claims/{sent_claim.pk}/">{sent_claim.reference}</a>' in page
    assert "Montant précédent" in page  # the lines show the amounts of the claim replaced
    queries, page = _queries(client, f"/claims/{sent_claim.pk}/")
    assert f'href="/claims/{correction.pk}/">{correction.reference}</a>' in page
    # Replaced after it was sent: who reviewed it and its payments by statement rather than the managers who may
    # sign and the deadline.
    assert queries == 11


def test_the_line_facts_are_the_lines_own_counts(bob, cpas_a, sent_claim, fake_source, generate):
    empty = Claim.objects.create(
        cpas=cpas_a, measure="art60", period_kind="month", period_start=sent_claim.period_start,
        period_end=sent_claim.period_end, sequence=9, legal_basis="x", generated_at=sent_claim.generated_at)
    ClaimLine.objects.filter(claim=sent_claim, position=2).update(live=False, unconfirmed=True)
    ClaimLine.objects.filter(claim=sent_claim, position=3).update(unconfirmed=True)
    facts = selectors.claim_line_facts(claims=[sent_claim, empty])
    lines = sent_claim.lines
    assert facts[sent_claim.pk] == {
        "lines": lines.count(), "held": lines.filter(live=True).count(),
        "held_unconfirmed": lines.filter(live=True, unconfirmed=True).count(),
        "first_key": min(lines.values_list("pk", flat=True)), "last_key": max(lines.values_list("pk", flat=True))}
    assert facts[sent_claim.pk]["lines"] == sent_claim.line_count == 3
    assert facts[sent_claim.pk]["held"] == 2 and facts[sent_claim.pk]["held_unconfirmed"] == 1
    assert facts[empty.pk] == {"lines": 0, "held": 0, "held_unconfirmed": 0, "first_key": None, "last_key": None}
    assert selectors.claim_line_facts(claims=[]) == {}


def test_every_written_claim_counts_its_lines(bob, cpas_a, fake_source, generate):
    """``Claim.line_count`` (shown on the list and the page) is the number of lines the services wrote."""
    _more_lines(fake_source, 40)
    claim = generate(bob, cpas_a).claim
    assert claim.line_count == claim.lines.count() == selectors.claim_line_facts(claims=[claim])[claim.pk]["lines"]


def _summary(claim):
    """The reconciliation worked out line by line, without its rows."""
    return {key: value for key, value in selectors.claim_reconciliation(claim=claim, rows=True).items()
            if key != "rows"}


def test_the_summed_reconciliation_agrees_line_by_line_with_doubled_records_and_lines_no_longer_held(
        bob, cpas_a, sent_claim):
    assert selectors.claim_reconciliation(claim=sent_claim, payments=[]) == _summary(sent_claim) == {
        "paid_total": 0, "claimed_total": sent_claim.total, "difference_total": -sent_claim.total,
        "counts": {"unpaid": 3}}
    imported, _created = services.statement_import(acting_user=bob, cpas=cpas_a, file_name=SAMPLE.name,
                                                   content=SAMPLE.read_bytes())
    assert selectors.claim_reconciliation(claim=sent_claim) == _summary(sent_claim)
    # A second record on the line paid as claimed, which differs: the line is then paid with a difference.
    matched = imported.records.get(state="matched")
    doubled = StatementRecord.objects.get(pk=matched.pk)
    doubled.pk, doubled.row, doubled.state, doubled.record_key = None, 99, "differs", ""
    doubled.save()
    summed = selectors.claim_reconciliation(claim=sent_claim)
    assert summed == _summary(sent_claim)
    assert summed["counts"] == {"differs": 2, "unpaid": 1}
    # A line no longer held (refused by SPP IS) counts nowhere, even with its records.
    ClaimLine.objects.filter(pk=matched.line_id).update(live=False)
    facts = selectors.claim_line_facts(claims=[sent_claim])[sent_claim.pk]
    payments = selectors.claim_payments(claim=sent_claim, facts=facts)
    summed = selectors.claim_reconciliation(claim=sent_claim, facts=facts, payments=payments)
    assert summed == _summary(sent_claim)
    assert summed["counts"] == {"differs": 1, "unpaid": 1}
    assert sum(payment["records"] for payment in payments) == 3  # payments list every record of the claim's lines
