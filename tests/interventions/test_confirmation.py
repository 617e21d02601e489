"""A month past a programme's "amounts confirmed up to" date is claimed "not confirmed", until confirmed."""

from datetime import date

import pytest

from measures.interventions.models import InterventionProgramme

from .factories import hire, pay, rate

pytestmark = pytest.mark.django_db


def test_a_month_past_the_confirmed_date_is_not_confirmed_until_an_administrator_confirms(
        alice, bob, person, generate):
    rate("activa")
    pay(bob, hire(alice, person, start=date(2026, 1, 1), end=None), date(2026, 3, 1))
    InterventionProgramme.objects.filter(code="activa").update(rates_confirmed_up_to=date(2026, 2, 28))
    claim = generate(bob, person.cpas).claim
    line = claim.lines.get()
    assert line.unconfirmed and line.unconfirmed_rows == "intervention_activa@2020-01-01"
    assert claim.unconfirmed_line_count == 1

    from reimbursements import sources

    assert [pending for _line, pending in sources.still_unconfirmed(measure="intervention", lines=[line])] == [
        ["intervention_activa@2020-01-01"]]
    InterventionProgramme.objects.filter(code="activa").update(rates_confirmed_up_to=date(2026, 3, 31))
    assert sources.still_unconfirmed(measure="intervention", lines=[line]) == []


def test_a_confirmed_month_is_claimed_confirmed(alice, bob, person, generate):
    rate("activa")
    pay(bob, hire(alice, person, start=date(2026, 1, 1), end=None), date(2026, 3, 1))
    InterventionProgramme.objects.filter(code="activa").update(rates_confirmed_up_to=date(2026, 3, 31))
    assert not generate(bob, person.cpas).claim.lines.get().unconfirmed
