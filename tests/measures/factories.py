"""Factories of the measures app: placements go through the service, so their monthly lines exist."""

from datetime import date
from decimal import Decimal

from cpas_portal.models import OrganisationKind
from measures import services
from measures.models import SocialEconomyBudget
from tests.factories import BeneficiaryFactory, OrganisationFactory


def social_economy_initiative(cpas, **fields):
    return OrganisationFactory(cpas=cpas, kind=OrganisationKind.SOCIAL_ECONOMY, recognised=True, **fields)


def private_firm(cpas, **fields):
    return OrganisationFactory(cpas=cpas, kind=OrganisationKind.PRIVATE_FIRM, **fields)


SOCIAL_ECONOMY_CONDITIONS = {
    "se_convention_date": date(2024, 12, 1), "se_staff_count": 12, "se_staff_not_reduced": True,
    "se_new_additional_job": True, "se_no_service_vouchers": True,
}


def placement(user, *, cpas, beneficiary=None, gross_monthly_pay=Decimal("2000.00"), **fields):
    """A placement recorded by ``user`` through :func:`measures.services.placement_create`."""
    data = {"workplace": "cpas", "start": date(2019, 7, 1), "planned_end": date(2019, 12, 31),
            "regime": Decimal("1.000"), "counts_as_full_time": True, "scheme": "normal", **fields}
    if data.get("scheme") == "social_economy":
        data = {**SOCIAL_ECONOMY_CONDITIONS, **data}
        data.setdefault("organisation", social_economy_initiative(cpas))
        data["workplace"] = "social_economy"
    return services.placement_create(
        acting_user=user, cpas=cpas, beneficiary=beneficiary or BeneficiaryFactory(cpas=cpas),
        gross_monthly_pay=gross_monthly_pay, **data)


def budget(cpas, year, amount):
    return SocialEconomyBudget.objects.create(cpas=cpas, year=year, granted_amount=Decimal(amount), source="test")
