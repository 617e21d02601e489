"""Twenty approvals at the same moment against a budget with room for five: exactly five pass (row lock)."""

import threading
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from measures import services
from measures.models import Placement
from tests.helpers import requires_postgresql

from .factories import budget, placement

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("seeded_parameters")]


def test_twenty_concurrent_approvals_five_fit(alice, cpas_a):
    budget(cpas_a, 2025, "9000.00")  # room for five placements of one month at 1800
    drafts = [placement(alice, cpas=cpas_a, scheme="social_economy", start=date(2025, 1, 1),
                        planned_end=date(2025, 1, 31), gross_monthly_pay=D("1800")) for _ in range(20)]
    barrier, outcomes = threading.Barrier(20), []

    def approve(draft):
        try:
            barrier.wait()
            services.placement_approve(acting_user=alice, placement=draft)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes).count("approved") == 5 and len(outcomes) == 20
    assert Placement.objects.filter(status="approved").count() == 5
    assert services.committed_in_year(cpas_a.pk, 2025) == D("9000.00")
