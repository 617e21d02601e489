"""Claims to SPP IS: an intervention month is a line once, never twice; frozen once claimed."""

from datetime import date
from decimal import Decimal

import pytest

from measures.interventions.models import InterventionPayment
from reimbursements import services as claims
from reimbursements.models import ClaimLine

from .factories import hire, pay, rate, right

pytestmark = pytest.mark.django_db


def test_an_intervention_month_is_claimed_once_and_never_twice(alice, bob, person, generate):
    rate("activa")
    rate("interim")
    hired = hire(alice, person, start=date(2026, 2, 16), end=None)
    march, february = pay(bob, hired, date(2026, 3, 1)), pay(bob, hired, date(2026, 2, 1), net="150.00")
    first = generate(bob, person.cpas, measure="intervention", year=2026, month=1, kind="quarter")
    assert first.status == "done", first.error
    lines = {line.source_key: line for line in first.claim.lines.all()}
    assert set(lines) == {f"interventions.payment:{march.pk}", f"interventions.payment:{february.pk}"}
    feb = lines[f"interventions.payment:{february.pk}"]
    assert (feb.amount, feb.covered_start, feb.covered_end) == (Decimal("150.00"), date(2026, 2, 1),
                                                                 date(2026, 2, 28))
    assert "AR/KB 11/07/2002 (Activa)" in feb.legal_basis and feb.legislation == "2002"
    assert first.claim.reference.split("-")[1] == "INTFIN"
    march.refresh_from_db()
    assert march.claimed and march.claim_reference == first.claim.reference

    # The same quarter again, and the month alone: nothing claimed twice.
    again = generate(bob, person.cpas, measure="intervention", year=2026, month=1, kind="quarter")
    alone = generate(bob, person.cpas, measure="intervention", year=2026, month=3)
    for job in (again, alone):
        assert job.claim is None or not job.claim.lines.filter(source_key__in=list(lines)).exists()
    assert ClaimLine.objects.filter(source_key=f"interventions.payment:{march.pk}", live=True).count() == 1

    # A month recorded later goes on the next claim, alone.
    april = pay(bob, hired, date(2026, 4, 1))
    later = generate(bob, person.cpas, measure="intervention", year=2026, month=4)
    assert [line.source_key for line in later.claim.lines.all()] == [f"interventions.payment:{april.pk}"]


def test_a_cancelled_claim_releases_its_months(alice, bob, person, generate):
    rate("activa")
    payment = pay(bob, hire(alice, person, start=date(2026, 1, 1), end=None), date(2026, 3, 1))
    claim = generate(bob, person.cpas, measure="intervention").claim
    claims.claim_cancel(acting_user=bob, claim=claim)
    payment.refresh_from_db()
    assert not payment.claimed
    again = generate(bob, person.cpas, measure="intervention").claim
    assert [line.source_key for line in again.lines.all()] == [f"interventions.payment:{payment.pk}"]


def test_the_line_takes_the_legislation_of_the_right_in_force_on_the_month(alice, bob, beneficiary_a, generate):
    rate("activa")
    decision = right(beneficiary_a, start=date(2026, 1, 1))
    payment = pay(bob, hire(alice, beneficiary_a, start=date(2026, 1, 1), end=None), date(2026, 3, 1))
    # The right recorded was in fact equivalent aid: corrected in the rights records before the claim.
    decision.right_type = "equivalent_aid"
    decision.save()
    line = generate(bob, beneficiary_a.cpas, measure="intervention").claim.lines.get()
    assert line.legislation == "1965"
    assert InterventionPayment.objects.get(pk=payment.pk).legislation == "2002"  # what was recorded stays


def test_the_claim_pdf_shows_the_intervention_lines(alice, bob, person, generate, tmp_path):
    import subprocess

    rate("activa")
    pay(bob, hire(alice, person, start=date(2026, 3, 10), end=None), date(2026, 3, 1), net="210.40",
        document_reference="F-2026-03")
    claim = generate(bob, person.cpas).claim
    rendered = claims.claim_pdf_render(claim=claim)
    path = tmp_path / "claim.pdf"
    path.write_bytes(bytes(rendered.content))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "INTFIN" in text and "210,40" in text and "F-2026-03" in text
    assert "AR/KB 11/07/2002" in text
