"""Each home page costs the same number of queries when its items and caseworkers double."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cpas_portal.home import horizon
from reimbursements import sources
from tests.reimbursements.factories import FakeSource, fake_item

from .world import claim, today, world

pytestmark = pytest.mark.django_db


def queries_of(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def year_end_check():
    """1 when the home page's horizon reaches 31 December (in December): only then are the PIIS's evaluations of
    the year counted (``measures.piis.due.yearly_evaluations_short``, one query), else 0."""
    on = today()
    return int(date(on.year, 12, 31) <= horizon(on))


def fill(cpas, caseworker_count, people_each, prefix, sequence):
    workers = world(cpas, caseworker_count=caseworker_count, people_each=people_each, prefix=prefix)
    claim(cpas, status="reviewed", sequence=sequence)
    claim(cpas, status="sent", sequence=sequence + 1, sent_days_ago=40)
    return workers


def test_caseworker_page(client_for, cpas_a, alice):
    from .world import person_with_items

    person_with_items(cpas_a, alice)
    client = client_for(alice)
    fill(cpas_a, 2, 1, "a", 1)
    # session, user, membership+CPAS; rights (1), conventions (1), placements ending (1), credits (1),
    # art. 61 windows (2: placements, firm employments), firm employments ending (1); PIIS to conclude,
    # evaluations due; interventions ending (2); in December, years short of evaluations.
    small = queries_of(client, reverse("home"))
    person_with_items(cpas_a, alice)
    fill(cpas_a, 4, 2, "b", 3)
    assert queries_of(client, reverse("home")) == small <= 15 + year_end_check()


def test_manager_page_and_drill_down(client_for, cpas_a, alice, manager_a):
    client = client_for(manager_a)
    fill(cpas_a, 2, 1, "a", 1)
    # + the file holders (1), the claims awaiting signature (2); a drill-down adds the caseworker's own page (the
    # same providers, counted and cut for one caseworker, so in December the years short of evaluations twice) and
    # their files (1).
    small, drill_small = queries_of(client, reverse("home")), queries_of(client, reverse("home"), caseworker=alice.pk)
    fill(cpas_a, 4, 2, "b", 3)
    assert queries_of(client, reverse("home")) == small <= 19 + year_end_check()
    assert queries_of(client, reverse("home"), caseworker=alice.pk) == drill_small <= 33 + 2 * year_end_check()


def test_finance_page(client_for, cpas_a, bob):
    client = client_for(bob)
    on = today()
    month_end = on.replace(day=1) - timedelta(days=1)
    source = FakeSource([fake_item(index, start=month_end.replace(day=1), end=month_end) for index in range(3)])
    fill(cpas_a, 1, 1, "a", 1)
    with sources.overridden("art60", source):
        small = queries_of(client, reverse("home"))
        source.items += [fake_item(index, start=month_end.replace(day=1), end=month_end) for index in range(3, 9)]
        fill(cpas_a, 2, 2, "b", 3)
        fill(cpas_a, 0, 0, "c", 5)
        assert queries_of(client, reverse("home")) == small


def test_inbox_page(client_for, cpas_a, alice):
    from cpas_portal.notifications import notifications_record_due

    client = client_for(alice)
    from .world import person_with_items

    person_with_items(cpas_a, alice)
    notifications_record_due(cpas=cpas_a, on=today())
    # session, user, membership (member_required), count, page.
    small = queries_of(client, reverse("inbox"))
    person_with_items(cpas_a, alice)
    person_with_items(cpas_a, alice)
    notifications_record_due(cpas=cpas_a, on=today())
    assert queries_of(client, reverse("inbox")) == small <= 5
