"""Six planners at the same moment (the daily job run twice, a signature meanwhile): each meeting is planned once."""

import threading
from datetime import date

import pytest
from django.db import connection

from measures.piis import services
from measures.piis.models import Evaluation
from tests.factories import BeneficiaryFactory
from tests.helpers import requires_postgresql

from .factories import make_piis

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def test_concurrent_planning_plans_each_meeting_once(alice, cpas_a):
    for _ in range(10):
        make_piis(alice, beneficiary=BeneficiaryFactory(right_type=None, cpas=cpas_a), sign=True, end=None)
    Evaluation.objects.all().delete()
    barrier, added, errors = threading.Barrier(6), [], []

    def plan():
        try:
            barrier.wait()
            added.append(services.evaluations_plan(cpas=cpas_a, on=date(2026, 3, 1)))
        except Exception as error:  # noqa: BLE001 — any failure of a planner is the finding
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=plan) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # Up to 2027-03-01: 2026-06-01, 2026-10-01, 2027-02-01 for each of the ten PIIS, planned by one planner.
    assert sorted(added) == [0, 0, 0, 0, 0, 30]
    assert Evaluation.objects.count() == 30
