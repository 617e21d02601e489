"""Partners of CPAS A used across the conventions tests."""

import pytest

from .factories import coaching_partner, employment_office


@pytest.fixture
def forem(cpas_a):
    return employment_office(cpas_a)


@pytest.fixture
def jobin(cpas_a):
    return coaching_partner(cpas_a)
