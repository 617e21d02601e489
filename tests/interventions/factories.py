"""Hires, amount rows and payments of the financial interventions, made through the services."""

import importlib
from datetime import date
from decimal import Decimal

from cpas_portal.models import RightDecision
from measures.interventions import services
from measures.interventions.models import InterventionProgramme, InterventionRate
from tests.factories import OrganisationFactory

# Not a legal amount: the seeds give none. A test row, added as an administrator would.
TEST_RATE = Decimal("500.00")


def seed_programmes():
    """The programmes of the data migration, again: a transactional test may have flushed them."""
    from django.apps import apps

    importlib.import_module("measures.interventions.migrations.0002_seed_programmes_without_amounts").seed(apps, None)


def rate(programme, since=date(2020, 1, 1), amount=TEST_RATE, source="test row"):
    seed_programmes()
    return InterventionRate.objects.create(programme=InterventionProgramme.objects.get(code=programme),
                                           effective_date=since, full_time_monthly_amount=Decimal(amount),
                                           source=source)


def right(beneficiary, start=date(2020, 1, 1), end=None, right_type="ris"):
    return RightDecision.objects.create(cpas=beneficiary.cpas, beneficiary=beneficiary, right_type=right_type,
                                        category=2, start=start, end=end)


def employer(cpas, **fields):
    return OrganisationFactory(cpas=cpas, kind="private_firm", **fields)


def hire(user, beneficiary, *, programme="activa", start=date(2025, 1, 1), end=date(2025, 12, 31), regime="1",
         organisation=None, **data):
    return services.hire_create(acting_user=user, cpas=beneficiary.cpas, beneficiary=beneficiary,
                                employer=organisation or employer(beneficiary.cpas), programme=programme,
                                start=start, end=end, regime=Decimal(regime), **data)


def pay(user, hired, month, net="1400.00", **data):
    fields = {"document_kind": hired.supporting_document, "document_date": month.replace(day=28),
              "document_reference": f"DOC-{month:%Y%m}", "net_pay_due": Decimal(net)}
    fields.update(data)
    return services.payment_record(acting_user=user, hire=hired, month=month, **fields)
