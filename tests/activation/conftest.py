from datetime import date
from decimal import Decimal

import pytest

from cpas_portal.models import Role
from measures.activation import services
from tests.factories import member


@pytest.fixture
def manager_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="martine", first_name="Martine", last_name="Renard")


@pytest.fixture
def manager_b(cpas_b):
    return member(cpas_b, Role.MANAGER, username="marc", first_name="Marc", last_name="Claes")


@pytest.fixture
def make_activation():
    def make(user, cpas, year=2024, **fields):
        data = {"kind": "large_city", "granted_amount": Decimal("120000.00"), "opened_on": date(year, 3, 2),
                "objective_social_assessments": 40, "objective_piis_total": 30,
                "objective_piis_socio_professional": 12, "objective_piis_social_participation": 10,
                "objective_piis_community_service": 8, **fields}
        return services.activation_create(acting_user=user, cpas=cpas, year=year, **data)

    return make



@pytest.fixture(autouse=True)
def tasks_in_process(request):
    """Tasks run in this process, on the test's database, even where a broker is set; the real-worker test
    keeps the configured broker (its worker reads the committed rows)."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from cpas_portal.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
