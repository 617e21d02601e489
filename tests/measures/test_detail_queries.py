"""A placement's page costs the same number of queries for a few and for many months."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures import services

from .factories import placement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("end", [date(2019, 8, 31), date(2021, 6, 30)])
def test_the_placement_page_queries_do_not_grow_with_the_months(client_for, alice, cpas_a, end):
    created = services.placement_approve(acting_user=alice, placement=placement(alice, cpas=cpas_a, planned_end=end))
    months = created.monthly_subsidies.count()
    assert months in (2, 24)
    client = client_for(alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/placements/{created.pk}/")
    assert response.status_code == 200
    # session, user, membership (+CPAS), the placement (+CPAS, person, employer, approver), its months, pay
    # periods, their history (+users), tutoring premiums (none for a placement at the CPAS)
    assert len(queries) == 7
    assert response.content.decode().count('<tr>\n        <td>') >= months
