"""A convention's page costs the same number of queries for a few and for many hours, payments and corrections, and
shows each partner's hours as the hours entries add up."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conventions import selectors, services
from tests.factories import BeneficiaryFactory

from .factories import coaching_partner, employment_office, make_convention, partner

pytestmark = pytest.mark.django_db


def _convention(user, cpas, entries):
    forem, jobin = employment_office(cpas), coaching_partner(cpas, name="Job <In> & co")
    convention = make_convention(user=user, beneficiary=BeneficiaryFactory(cpas=cpas),
                                 partners=[partner(forem, "50"), partner(jobin, "30"), partner(None, "20")], sign=True)
    partners = list(convention.partners.order_by("id"))
    for index in range(entries):
        entry = services.coaching_hours_record(
            acting_user=user, convention=convention, partner=partners[index % 2],
            day=date(2024, 3, 4) + timedelta(days=index), hours=Decimal("2.50"))
        if index % 3 == 1:
            services.coaching_hours_cancel(acting_user=user, entry=entry, reason="twice")
        elif index % 3 == 2:
            services.coaching_hours_correct(acting_user=user, entry=entry, reason="less", hours=Decimal("1.25"))
    for payment in convention.payments.filter(status="due"):
        services.payment_mark_paid(acting_user=user, payment=payment, paid_date=date(2024, 3, 20))
    return convention


def _page(client, convention):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/conventions/{convention.pk}/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize(("entries", "expected"), [(1, 10), (3, 11), (12, 11)])
def test_the_convention_page_queries_do_not_grow(client_for, alice, cpas_a, entries, expected):
    convention = _convention(alice, cpas_a, entries)
    # session, user, membership (+CPAS), the convention (+person, CPAS), its partners (+organisations), payments,
    # claims and hours (each given its partner), its history (+users) for the timeline, then the partners offered
    # by the form of new hours; and the corrections of its hours (+users) once one of them is corrected or
    # cancelled (the third entry on).
    queries, page = _page(client_for(alice), convention)
    assert queries == expected
    assert "Job &lt;In&gt; &amp; co" in page and "Job <In>" not in page
    # The timeline read with the log (the corrections read only when one exists) is the one read without it.
    timeline = selectors.convention_page(convention)["timeline"]
    assert timeline == selectors.timeline(convention)
    assert any("twice" in str(event["label"]) for event in timeline) == (entries > 1)


def test_the_hours_done_are_the_entries_not_cancelled(client_for, alice, cpas_a):
    convention = _convention(alice, cpas_a, 6)
    page = selectors.convention_page(convention)
    assert page["hours_done"] == selectors.hours_done(convention) == Decimal("2.50") * 2 + Decimal("1.25") * 2
    by_partner = {row.partner.pk: row.hours for row in page["partner_rows"]}
    assert by_partner == {row.partner.pk: row.hours for row in selectors.partner_rows(convention)}
    assert [entry.pk for entry in page["hours_log"]] == list(
        convention.hours_log.order_by("-day", "-id").values_list("pk", flat=True))
