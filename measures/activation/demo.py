"""A demo social-activation subsidy of one CPAS, recorded through the services by its manager."""

from datetime import date
from decimal import Decimal

from cpas_portal.models import Role

from . import services
from .models import ActivationYear

DEMO_YEAR = 2026


def load_demo(cpas, users):
    if ActivationYear.objects.filter(cpas=cpas).exists():
        return None
    return services.activation_create(
        acting_user=users[Role.MANAGER], cpas=cpas, year=DEMO_YEAR, kind="large_city",
        granted_amount=Decimal("85000.00"), opened_on=date(DEMO_YEAR, 3, 2), filed_on=date(DEMO_YEAR, 3, 20),
        objective_social_assessments=60, objective_piis_total=45, objective_piis_socio_professional=20,
        objective_piis_social_participation=15, objective_piis_community_service=10,
    )
