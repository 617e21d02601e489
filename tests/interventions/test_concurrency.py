"""Two part-time hires in two programmes saved at the same moment: the person's row lock lets one through."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from measures.interventions.models import Hire
from tests.helpers import requires_postgresql

from .factories import employer, hire

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def test_concurrent_part_time_hires_in_two_programmes_one_passes(alice, beneficiary_a):
    firms = [employer(beneficiary_a.cpas) for _ in range(4)]
    barrier, outcomes = threading.Barrier(4), []

    def record(programme, firm):
        try:
            barrier.wait()
            hire(alice, beneficiary_a, programme=programme, regime="0.5", organisation=firm)
            outcomes.append(programme)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(programme, firm))
               for programme, firm in zip(["activa", "ptp", "sine", "interim"], firms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("refused") == 3
    assert Hire.objects.filter(beneficiary=beneficiary_a).count() == 1
    assert Hire.objects.get().start == date(2025, 1, 1)
