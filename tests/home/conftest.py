import pytest

from cpas_portal.models import Role
from tests.factories import member


@pytest.fixture
def manager_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="marie", first_name="Marie", last_name="Martin")


@pytest.fixture
def manager_b(cpas_b):
    return member(cpas_b, Role.MANAGER, username="nathan", first_name="Nathan", last_name="Claes")
