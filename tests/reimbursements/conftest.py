import pytest

from cpas_portal.models import Role
from reimbursements import sources
from tests.factories import member

from .factories import FakeSource, fake_item


@pytest.fixture
def fake_source():
    """The art. 60 §7 measure fed by a fake source holding three items of March 2026."""
    source = FakeSource([
        fake_item(1, name="Amélie Dubois", amount="1811.57"),
        fake_item(2, name="Julien Renard", amount="625.00"),
        fake_item(3, name="Sarah Martin", amount="-120.50"),
    ])
    with sources.overridden("art60", source):
        yield source


@pytest.fixture
def director_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="diane", first_name="Diane", last_name="Leroy")


@pytest.fixture
def president_a(cpas_a):
    return member(cpas_a, Role.MANAGER, username="paul", first_name="Paul", last_name="Moreau")


@pytest.fixture
def finance_b(cpas_b):
    return member(cpas_b, Role.FINANCE, username="bert", first_name="Bert", last_name="Maes")
