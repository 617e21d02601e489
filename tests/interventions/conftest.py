import pytest

from cpas_portal.models import Role
from tests.factories import member

from .factories import right


@pytest.fixture
def manager_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="manon")


@pytest.fixture
def person(beneficiary_a):
    """Amélie of CPAS A, entitled to the integration income since 2020."""
    right(beneficiary_a)
    return beneficiary_a
