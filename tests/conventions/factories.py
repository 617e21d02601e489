"""Conventions built through the services, as a caseworker would (so amounts are always the rules')."""

from datetime import date
from decimal import Decimal

from conventions import services
from cpas_portal.models import OrganisationKind
from tests.factories import OrganisationFactory

FULL_PLAN = {
    "plan_assessment": True, "plan_job_offers": True, "plan_application_techniques": True,
    "plan_work_attitudes": True, "plan_prospection": True,
}


def employment_office(cpas, name="Forem"):
    return OrganisationFactory(cpas=cpas, name=name, kind=OrganisationKind.EMPLOYMENT_OFFICE)


def coaching_partner(cpas, name="Job'In asbl"):
    return OrganisationFactory(cpas=cpas, name=name, kind=OrganisationKind.COACHING_PARTNER)


def partner(organisation=None, share="100"):
    """A partner row for ``convention_create``; no organisation means the CPAS itself."""
    return {"organisation": organisation, "is_cpas": organisation is None, "share": Decimal(share)}


def make_convention(*, user, beneficiary, partners, planned_hours=100, conclusion_date=date(2024, 3, 1),
                    sign=False, **data):
    convention = services.convention_create(
        acting_user=user, cpas=beneficiary.cpas, beneficiary=beneficiary, partners=partners,
        conclusion_date=conclusion_date, planned_hours=planned_hours, methodology="both",
        **{**FULL_PLAN, **data},
    )
    if sign:
        convention = services.convention_sign(acting_user=user, convention=convention)
    return convention
